/* done: what a step on a case just did, in words. The node answers a step
 * before the pool has applied it, with its own copy of the case's state,
 * which has not moved yet: the confirmation says what was recorded and
 * what the pool does next, never that older state. */
#ifndef MPOOL_CLIENT_DONE_H
#define MPOOL_CLIENT_DONE_H

#include <jansson.h>

#include "case_op.h"

/* The step's words, for cli_request's print callback: ctx is a struct
 * done_ctx. */
struct done_ctx {
    const char *op;   /* "case.choose", ... */
    char *const *ids; /* CASE, then the mediators the command named */
    const struct case_flags *f;
};

void done_print(const json_t *result, const void *ctx);

#endif
