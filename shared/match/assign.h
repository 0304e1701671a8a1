/* assign: the pool-wide optimum, as a minimum-cost flow.
 *
 * Every seat of every case is filled by an eligible mediator or left empty
 * at the `unassigned` cost, minimising the published objective
 * (docs/matching.md): pair costs, a convex load cost per mediator, and the
 * empty seats. Pure: no I/O, no globals.
 *
 * The network: case c supplies its seats; an arc c -> sink per seat left
 * empty; an arc c -> m per eligible mediator m (for a 2-seat case through a
 * node per (c, municipality) with capacity 1, which keeps its two mediators
 * in different municipalities: rule R10); from each mediator, one arc per
 * free place to the sink, costing load_step x (open + i - 1) for the i-th,
 * so load grows convexly and spreads. */
#ifndef MPOOL_ASSIGN_H
#define MPOOL_ASSIGN_H

#include <stddef.h>
#include <stdint.h>

#include "match/match.h"
#include "match/mcf.h"

struct assign;

/* One mediator given to a case, with the cost of that pair term by term
 * and the load step this assignment takes. */
struct assign_pick {
    size_t mediator;
    struct match_cost cost; /* cost.load is the step taken, cost.total includes it */
};

/* Builds the network; the arrays must outlive the result. NULL with a
 * one-line reason in err when out of memory or when the costs are too
 * large for exact 64-bit arithmetic. */
struct assign *assign_build(const struct match_case *cases, size_t n_cases,
                            const struct match_mediator *mediators, size_t n_mediators,
                            const struct match_weights *w, char *err, size_t errlen);
enum mcf_result assign_run(struct assign *a);
void assign_destroy(struct assign **a);

/* The network as solved; its arc costs carry the tie-break (assign.c). */
const struct mcf *assign_network(const struct assign *a);
/* An arc with the objective's own cost, as in the DIMACS file. */
void assign_arc(const struct assign *a, size_t arc, int *from, int *to, int64_t *cap,
                int64_t *cost);
size_t assign_eligible_pairs(const struct assign *a);
int64_t assign_objective(const struct assign *a);
/* After assign_run: the picks of case i (0, 1 or 2, in id order). */
size_t assign_picks(struct assign *a, size_t case_index, struct assign_pick out[2]);
int assign_unfilled(const struct assign *a, size_t case_index);

#endif
