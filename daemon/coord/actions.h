/* journey: the coordinator's case state machine (docs/protocol.md).
 *
 * posted -> shortlisted -> chosen -> offered -> accepted -> in_mediation
 * -> closed; a decline, an expiry, a veto or a refused consent goes back to
 * a new shortlist without that mediator; nobody eligible -> escalated;
 * withdrawn at any point before closed. Every transition is recorded in
 * c_transitions with who, when and why, and told to each node concerned
 * through its journal. */
#ifndef MPOOL_ACTIONS_H
#define MPOOL_ACTIONS_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Applies one member message inside the caller's transaction. A request
 * the state does not allow is answered with an event to the sender and
 * counts as handled (0); -1 means a storage failure. */
int journey_dispatch(struct node *n, const char *sender, const Mpool__V1__Envelope *env);

/* What became of a CaseAction. */
enum coord_outcome {
    COORD_APPLIED, /* the case took the step */
    COORD_REFUSED, /* the journey table said no: the sender got a refusal event */
    COORD_DROPPED, /* unknown case, or not the sender's to take: only logged */
};
/* Checks one CaseAction from sender against the journey table and takes
 * it, inside the caller's transaction. Returns 0, or -1 on a storage
 * failure; *outcome says what became of it. */
int journey_apply_action(struct node *n, const char *sender, const Mpool__V1__CaseAction *a,
                         enum coord_outcome *outcome);

/* Expires overdue offers, each in its own transaction (override.c). */
void journey_expire(struct node *n, int64_t now);

/* A coordinator's override: offers the case to mediator_id, bypassing the
 * parties' choice but no rule that can never be waived. The new mediator
 * takes an open seat, or the seat of replace (which may be NULL when the
 * case has one seat). A mediator who had taken the case on leaves it with
 * minutes in the ledger. Returns a Mpool__V1__ReplyStatus; err says why
 * when not OK. */
int journey_override(struct node *n, const char *actor, const char *case_id,
                     const char *mediator_id, const char *replace, const char *reason,
                     unsigned minutes, const struct tx_hook *hook, char *err, size_t errlen);

#endif
