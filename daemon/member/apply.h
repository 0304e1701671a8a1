/* apply: what a member node does with each event from its journal. */
#ifndef MPOOL_APPLY_H
#define MPOOL_APPLY_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Applies one journal entry inside the caller's transaction. */
int member_apply(struct node *n, const Mpool__V1__Envelope *env);

/* Moves this node's offer of case_id to user from state `from` to `to`,
 * or every offer in `from` when case_id is NULL, inside the caller's
 * transaction. An offer in another state stays. */
int member_offer_move(struct node *n, const char *case_id, const char *user, const char *from,
                      const char *to);

#endif
