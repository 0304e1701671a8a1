/* instance: a matching problem read from JSON (mpool match --instance).
 *
 * Parses text already in memory (no I/O) into the matcher's structures.
 * Every error names the offending element and field, e.g.
 * "mediators[3] (m7).capacity: must be a whole number from 0 to 1000".
 * The format is described in docs/matching.md. */
#ifndef MPOOL_INSTANCE_H
#define MPOOL_INSTANCE_H

#include <stddef.h>
#include <stdint.h>

#include "match/match.h"

struct instance {
    struct match_weights weights;
    struct match_mediator *mediators;
    size_t n_mediators;
    struct match_case *cases;
    size_t n_cases;
    void *storage; /* owns every string and list the structures point to */
};

/* Returns 0, or -1 with a one-line message in err; on error *out is empty. */
int instance_parse(const char *text, size_t len, struct instance *out, char *err, size_t errlen);
void instance_free(struct instance *in);

#endif
