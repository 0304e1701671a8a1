/* mcf: exact minimum-cost flow, by the primal network simplex method.
 *
 * Pure: no I/O, no globals. Integer capacities and costs; the result is an
 * optimal flow that satisfies every supply and demand, or a statement that
 * none exists. The same network built in the same order always gives the
 * same flow. Used by the batch matcher (assign.h), and checked against
 * LEMON's solver on DIMACS files in `make bench`. */
#ifndef MPOOL_MCF_H
#define MPOOL_MCF_H

#include <stddef.h>
#include <stdint.h>

enum mcf_result { MCF_OPTIMAL = 0, MCF_INFEASIBLE, MCF_UNBOUNDED, MCF_NOMEM };

struct mcf;

/* A network of `nodes` nodes numbered 0..nodes-1; arcs_hint sizes the first
 * allocation and may be 0. NULL when out of memory. */
struct mcf *mcf_new(int nodes, size_t arcs_hint);
void mcf_destroy(struct mcf **m);

/* A capacity with no upper bound. A negative-cost cycle made only of such
 * arcs makes the problem MCF_UNBOUNDED. */
#define MCF_UNLIMITED INT64_MAX

/* Adds an arc with lower bound 0; returns its index (0, 1, ...) or -1 when
 * out of memory, the nodes are out of range or cap < 0. Limits: with C the
 * largest |cost| and N the node count, 4 * (C + 1) * (N + 1) and the sum of
 * |flow * cost| over all arcs must stay below 2^62. */
long mcf_add_arc(struct mcf *m, int from, int to, int64_t cap, int64_t cost);
/* Supply (> 0) or demand (< 0) of a node; all supplies must sum to 0. */
void mcf_set_supply(struct mcf *m, int node, int64_t supply);

enum mcf_result mcf_solve(struct mcf *m);

int mcf_nodes(const struct mcf *m);
size_t mcf_arcs(const struct mcf *m);
/* The arc as added. */
void mcf_arc(const struct mcf *m, size_t arc, int *from, int *to, int64_t *cap, int64_t *cost);
int64_t mcf_supply(const struct mcf *m, int node);
/* After MCF_OPTIMAL: the flow on an arc, and the total cost. */
int64_t mcf_flow(const struct mcf *m, size_t arc);
int64_t mcf_total_cost(const struct mcf *m);
/* Pivots the last mcf_solve made; for benchmarks. */
size_t mcf_pivots(const struct mcf *m);

#endif
