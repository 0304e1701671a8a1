/* fingerprint: a hash of a matching problem, so that any decision can be
 * reproduced later: the record of a round keeps it with the configuration,
 * and the same cases, mediators and weights always give the same hash. */
#ifndef MPOOL_FINGERPRINT_H
#define MPOOL_FINGERPRINT_H

#include <stddef.h>

#include "match/match.h"

#define FINGERPRINT_HEX 65 /* 32 bytes of BLAKE2b in hex, with the NUL */

void match_fingerprint(const struct match_case *cases, size_t n_cases,
                       const struct match_mediator *mediators, size_t n_mediators,
                       const struct match_weights *w, char out[FINGERPRINT_HEX]);

#endif
