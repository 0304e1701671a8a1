/* candidates: the pool's mediators as the matcher sees them, read from the
 * coordinator's tables at one moment: profile, current load, availability
 * now, certification now, and their municipality's balance of hours. */
#ifndef MPOOL_CANDIDATES_H
#define MPOOL_CANDIDATES_H

#include "match/match.h"
#include "node/node.h"

struct candidates {
    struct match_mediator *list;
    size_t count;
    char **strings; /* every string the list points to, freed together */
    size_t nstrings, capstrings;
    const char **slots; /* the arrays of string pointers */
    size_t nslots, capslots;
};

int candidates_load(struct node *n, int64_t now, struct candidates *c);
void candidates_free(struct candidates *c);
const struct match_mediator *candidates_find(const struct candidates *c, const char *id);

/* The matcher's view of one case: its parties and marks. The strings are
 * owned by `c` (a candidates used as a string pool). */
int candidates_case(struct node *n, const char *case_id, struct candidates *pool,
                    struct match_case *mc);

/* The states in which a case counts as its mediator's load (offered,
 * accepted, awaiting consent, in mediation): for the matcher and for
 * `pool status` alike. */
#define CANDIDATE_LOAD_STATES "(4, 5, 6, 7)"

#endif
