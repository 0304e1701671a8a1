/* journey: the coordinator's case state machine (docs/protocol.md).
 *
 * posted -> shortlisted -> chosen -> offered -> accepted -> in_mediation
 * -> closed; a decline, an expiry, a veto or a refused consent goes back to
 * a new shortlist without that mediator; nobody eligible -> escalated;
 * withdrawn at any point before closed. Every transition is recorded in
 * c_transitions with who, when and why, and told to each node concerned
 * through its journal. */
#ifndef MPOOL_JOURNEY_H
#define MPOOL_JOURNEY_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Applies one member message inside the caller's transaction. A request
 * the state does not allow is answered with an event to the sender and
 * counts as handled (0); -1 means a storage failure. */
int journey_dispatch(struct node *n, const char *sender, const Mpool__V1__Envelope *env);

/* Expires overdue offers, each in its own transaction. */
void journey_expire(struct node *n, int64_t now);

/* A coordinator's override: offers the case to mediator_id, bypassing the
 * parties' choice but no rule that can never be waived. Returns a
 * Mpool__V1__ReplyStatus; err says why when not OK. */
int journey_override(struct node *n, const char *actor, const char *case_id,
                     const char *mediator_id, const char *reason, char *err, size_t errlen);

#endif
