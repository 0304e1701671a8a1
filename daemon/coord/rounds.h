/* rounds: the coordinator's record of every matching decision.
 *
 * Each shortlist and each batch round is stored with the configuration in
 * force and a fingerprint of its whole input (fingerprint.h), so that any
 * decision can be recomputed and checked later. */
#ifndef MPOOL_ROUNDS_H
#define MPOOL_ROUNDS_H

#include <jansson.h>

#include "match/match.h"
#include "node/node.h"

/* Inside the caller's transaction; takes over result. Returns the round's
 * number, or -1. */
int64_t round_record(struct node *n, const char *kind, const char *case_id,
                     const struct match_case *cases, size_t n_cases,
                     const struct match_mediator *mediators, size_t n_mediators, int64_t objective,
                     json_t *result);

/* The matching configuration as recorded, for the round and for people. */
json_t *round_config_json(const struct config *cfg);

#endif
