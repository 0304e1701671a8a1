/* refs: a case's party references made again by its requesting node, when
 * the rule of names changed (MSG_TYPE_CASE_PARTIES, docs/privacy.md). They
 * are added to the case's, never put in the place of any: the conflict
 * check errs towards exclusion. A case waiting for the parties' choice is
 * ranked again when it gained a reference, so that a mediator it now
 * excludes leaves its shortlist. */
#ifndef MPOOL_REFS_H
#define MPOOL_REFS_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Inside the batch's transaction; a message that is not the sender's, or
 * about a case the coordinator no longer holds, is logged and skipped.
 * Returns 0, or -1 on a database error. */
int refs_take(struct node *n, const char *sender, const Mpool__V1__Envelope *env);

#endif
