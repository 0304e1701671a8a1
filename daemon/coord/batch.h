/* batch: a pool-wide round over every shortlisted case.
 *
 * The exact optimum of the published objective (assign.h) over all cases
 * waiting for the parties' choice or escalated, with the mediators' accepted and running
 * cases pinned as their current load. Each case's optimal mediator becomes
 * the first on its shortlist; the parties still choose. */
#ifndef MPOOL_BATCH_H
#define MPOOL_BATCH_H

#include <jansson.h>

#include "node/node.h"

/* Runs, records and announces one round in its own transaction. Returns a
 * Mpool__V1__ReplyStatus; on OK *result describes the round. */
int batch_round(struct node *n, const char *actor, const struct tx_hook *hook, json_t **result,
                char *err, size_t errlen);

#endif
