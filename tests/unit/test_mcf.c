/* Tests for mcf: hand-made networks whose optimum is worked out in the
 * comments, and seeded random networks checked against two independent
 * solvers written here (successive shortest paths, and plain enumeration). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "match/mcf.h"

#define MAX_NODES 8
#define MAX_ARCS  20

/* A small network, kept so that the reference solvers can read it. */
struct net {
    int n, m;
    int from[MAX_ARCS], to[MAX_ARCS];
    int64_t cap[MAX_ARCS], cost[MAX_ARCS];
    int64_t supply[MAX_NODES];
};

static struct mcf *build(const struct net *g)
{
    struct mcf *m = mcf_new(g->n, (size_t)g->m);
    assert_non_null(m);
    for (int e = 0; e < g->m; e++)
        assert_int_equal(mcf_add_arc(m, g->from[e], g->to[e], g->cap[e], g->cost[e]), e);
    for (int u = 0; u < g->n; u++)
        mcf_set_supply(m, u, g->supply[u]);
    return m;
}

static void add(struct net *g, int from, int to, int64_t cap, int64_t cost)
{
    g->from[g->m] = from;
    g->to[g->m] = to;
    g->cap[g->m] = cap;
    g->cost[g->m] = cost;
    g->m++;
}

/* The flow mcf returned stays within capacities, meets every supply and
 * demand, and costs what mcf_total_cost says. */
static void assert_valid_flow(const struct mcf *m, const struct net *g)
{
    int64_t balance[MAX_NODES] = {0}, total = 0;
    for (int e = 0; e < g->m; e++) {
        int64_t f = mcf_flow(m, (size_t)e);
        assert_true(f >= 0 && f <= g->cap[e]);
        balance[g->from[e]] += f;
        balance[g->to[e]] -= f;
        total += f * g->cost[e];
    }
    for (int u = 0; u < g->n; u++)
        assert_int_equal(balance[u], g->supply[u]);
    assert_int_equal(total, mcf_total_cost(m));
}

/* ---- Hand-made networks ---- */

static void test_assignment_3x3(void **state)
{
    (void)state;
    /* Costs: worker 0 {4,1,3}, worker 1 {2,0,5}, worker 2 {3,2,2}.
     * Best: 0->1, 1->0, 2->2 = 1 + 2 + 2 = 5 (1->1 at 0 forces 0->0 or 0->2
     * and 2->other, all dearer). */
    static const int64_t c[3][3] = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
    struct net g = {.n = 6};
    for (int w = 0; w < 3; w++) {
        g.supply[w] = 1;
        g.supply[3 + w] = -1;
        for (int j = 0; j < 3; j++)
            add(&g, w, 3 + j, 1, c[w][j]);
    }
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 5);
    assert_int_equal(mcf_flow(m, 0 * 3 + 1), 1);
    assert_int_equal(mcf_flow(m, 1 * 3 + 0), 1);
    assert_int_equal(mcf_flow(m, 2 * 3 + 2), 1);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);
    assert_null(m);
}

static void test_transportation(void **state)
{
    (void)state;
    /* Supplies 20, 30; demands 10, 25, 15. Costs s0 {2,4,5}, s1 {3,1,7}.
     * Optimum 125: s0->d0 5, s0->d2 15, s1->d0 5, s1->d1 25; potentials
     * u = (0, 1), v = (2, 0, 5) price s0->d1 at +4 and s1->d2 at +1. */
    static const int64_t c[2][3] = {{2, 4, 5}, {3, 1, 7}};
    struct net g = {.n = 5, .supply = {20, 30, -10, -25, -15}};
    for (int s = 0; s < 2; s++)
        for (int d = 0; d < 3; d++)
            add(&g, s, 2 + d, 100, c[s][d]);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 125);
    assert_int_equal(mcf_flow(m, 2), 15);
    assert_int_equal(mcf_flow(m, 4), 25);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);
}

static void test_direct_arcs_that_start_full_can_empty(void **state)
{
    (void)state;
    /* Shaped like the matcher: cases 0 and 1 (one seat each) have an
     * "unassigned" arc straight to the sink 3 at cost 1000, added first so
     * that the solver starts with both full; mediator 2 has one place. The
     * optimum seats case 1 (cost 3 beats 5) and leaves case 0 unassigned:
     * 1000 + 3 + 0 = 1003, so case 1's direct arc must empty. */
    struct net g = {.n = 4, .supply = {1, 1, 0, -2}};
    add(&g, 0, 3, 1, 1000);
    add(&g, 1, 3, 1, 1000);
    add(&g, 0, 2, 1, 5);
    add(&g, 1, 2, 1, 3);
    add(&g, 2, 3, 1, 0);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 1003);
    assert_int_equal(mcf_flow(m, 0), 1);
    assert_int_equal(mcf_flow(m, 1), 0);
    assert_int_equal(mcf_flow(m, 3), 1);
    assert_true(mcf_pivots(m) > 0);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);
}

static void test_cheapest_path_uses_negative_arc(void **state)
{
    (void)state;
    /* 0 -> 3 directly costs 5; 0 -> 1 -> 2 -> 3 costs 2 - 4 + 3 = 1. */
    struct net g = {.n = 4, .supply = {1, 0, 0, -1}};
    add(&g, 0, 3, 1, 5);
    add(&g, 0, 1, 1, 2);
    add(&g, 1, 2, 1, -4);
    add(&g, 2, 3, 1, 3);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 1);
    assert_int_equal(mcf_flow(m, 0), 0);
    assert_int_equal(mcf_flow(m, 2), 1);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);
}

static void test_negative_cycle_is_saturated(void **state)
{
    (void)state;
    /* No supply at all, but the cycle 0 -> 1 -> 2 -> 0 costs -3 per unit
     * and takes 2 units before its narrowest arc is full. */
    struct net g = {.n = 3};
    add(&g, 0, 1, 5, -4);
    add(&g, 1, 2, 2, 1);
    add(&g, 2, 0, 9, 0);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), -6);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);
}

static void test_parallel_arcs(void **state)
{
    (void)state;
    /* 4 units over two parallel arcs: the cheap one takes its 2, the dear
     * one the other 2: 2 * 1 + 2 * 4 = 10. */
    struct net g = {.n = 2, .supply = {4, -4}};
    add(&g, 0, 1, 3, 4);
    add(&g, 0, 1, 2, 1);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 10);
    assert_int_equal(mcf_flow(m, 0), 2);
    assert_int_equal(mcf_flow(m, 1), 2);
    mcf_destroy(&m);
}

static void test_zero_capacity_arc_stays_empty(void **state)
{
    (void)state;
    struct net g = {.n = 2, .supply = {1, -1}};
    add(&g, 0, 1, 0, -100);
    add(&g, 0, 1, 1, 7);
    add(&g, 1, 0, 0, -100);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 7);
    assert_int_equal(mcf_flow(m, 0), 0);
    assert_int_equal(mcf_flow(m, 2), 0);
    mcf_destroy(&m);
}

static void test_infeasible_supply(void **state)
{
    (void)state;
    /* 3 units to send over an arc that takes 2. */
    struct net g = {.n = 2, .supply = {3, -3}};
    add(&g, 0, 1, 2, 1);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_INFEASIBLE);
    mcf_destroy(&m);

    /* Demand that no arc reaches. */
    struct net h = {.n = 3, .supply = {1, 0, -1}};
    add(&h, 0, 1, 5, 1);
    add(&h, 2, 1, 5, 1);
    m = build(&h);
    assert_int_equal(mcf_solve(m), MCF_INFEASIBLE);
    mcf_destroy(&m);
}

static void test_unbalanced_supplies_are_infeasible(void **state)
{
    (void)state;
    struct net g = {.n = 2, .supply = {2, -1}};
    add(&g, 0, 1, 5, 1);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_INFEASIBLE);
    mcf_destroy(&m);
}

static void test_isolated_node(void **state)
{
    (void)state;
    struct net g = {.n = 3, .supply = {0, 2, -2}};
    add(&g, 1, 2, 2, 3);
    struct mcf *m = build(&g);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 6);
    assert_valid_flow(m, &g);
    mcf_destroy(&m);

    m = mcf_new(0, 0);
    assert_non_null(m);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), 0);
    mcf_destroy(&m);
}

static void test_unlimited_negative_cycle_is_unbounded(void **state)
{
    (void)state;
    struct mcf *m = mcf_new(2, 0);
    assert_non_null(m);
    assert_int_equal(mcf_add_arc(m, 0, 1, MCF_UNLIMITED, -2), 0);
    assert_int_equal(mcf_add_arc(m, 1, 0, MCF_UNLIMITED, 1), 1);
    assert_int_equal(mcf_solve(m), MCF_UNBOUNDED);
    mcf_destroy(&m);

    /* The same cycle with one finite arc is merely saturated. */
    m = mcf_new(2, 0);
    assert_non_null(m);
    assert_int_equal(mcf_add_arc(m, 0, 1, MCF_UNLIMITED, -2), 0);
    assert_int_equal(mcf_add_arc(m, 1, 0, 5, 1), 1);
    assert_int_equal(mcf_solve(m), MCF_OPTIMAL);
    assert_int_equal(mcf_total_cost(m), -5);
    mcf_destroy(&m);
}

static void test_add_arc_checks_its_input(void **state)
{
    (void)state;
    struct mcf *m = mcf_new(2, 0);
    assert_non_null(m);
    assert_int_equal(mcf_add_arc(m, 0, 2, 1, 1), -1);
    assert_int_equal(mcf_add_arc(m, -1, 1, 1, 1), -1);
    assert_int_equal(mcf_add_arc(m, 0, 1, -1, 1), -1);
    assert_int_equal(mcf_add_arc(m, 0, 1, 4, -3), 0);
    assert_int_equal(mcf_arcs(m), 1);
    assert_int_equal(mcf_nodes(m), 2);
    int from, to;
    int64_t cap, cost;
    mcf_arc(m, 0, &from, &to, &cap, &cost);
    assert_int_equal(from, 0);
    assert_int_equal(to, 1);
    assert_int_equal(cap, 4);
    assert_int_equal(cost, -3);
    mcf_set_supply(m, 1, -7);
    assert_int_equal(mcf_supply(m, 1), -7);
    mcf_destroy(&m);
    assert_null(mcf_new(-1, 0));
}

/* ---- Random networks ---- */

static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int64_t uniform(uint64_t *s, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next_random(s) % (uint64_t)(hi - lo + 1));
}

/* Supplies are made by moving units from one random node to another, so
 * they always balance; whether a flow exists is left to chance. */
static void random_net(struct net *g, uint64_t *s, int max_nodes, int max_arcs, int max_cap)
{
    memset(g, 0, sizeof *g);
    g->n = (int)uniform(s, 1, max_nodes);
    int m = (int)uniform(s, 0, max_arcs);
    for (int e = 0; e < m; e++)
        add(g, (int)uniform(s, 0, g->n - 1), (int)uniform(s, 0, g->n - 1), uniform(s, 0, max_cap),
            uniform(s, -10, 20));
    for (int units = (int)uniform(s, 0, 6); units > 0; units--) {
        g->supply[uniform(s, 0, g->n - 1)]++;
        g->supply[uniform(s, 0, g->n - 1)]--;
    }
}

/* How a shortest path reaches a node: over which arc, and whether along
 * it (using spare capacity) or against it (taking flow back). */
struct step {
    int arc;
    bool forward;
};

/* Shortest paths from s in the residual network, by Bellman-Ford. */
static void residual_distances(const struct net *g, const int64_t *flow, int s, int64_t *dist,
                               struct step *back)
{
    for (int v = 0; v < g->n; v++)
        dist[v] = INT64_MAX;
    dist[s] = 0;
    for (int round = 0; round < g->n; round++)
        for (int e = 0; e < g->m; e++) {
            int a = g->from[e], b = g->to[e];
            if (flow[e] < g->cap[e] && dist[a] != INT64_MAX && dist[a] + g->cost[e] < dist[b]) {
                dist[b] = dist[a] + g->cost[e];
                back[b] = (struct step){e, true};
            }
            if (flow[e] > 0 && dist[b] != INT64_MAX && dist[b] - g->cost[e] < dist[a]) {
                dist[a] = dist[b] - g->cost[e];
                back[a] = (struct step){e, false};
            }
        }
}

static int64_t path_room(const struct net *g, const int64_t *flow, const struct step *back, int s,
                         int t)
{
    int64_t room = INT64_MAX;
    for (int v = t; v != s;) {
        struct step st = back[v];
        int64_t r = st.forward ? g->cap[st.arc] - flow[st.arc] : flow[st.arc];
        room = r < room ? r : room;
        v = st.forward ? g->from[st.arc] : g->to[st.arc];
    }
    return room;
}

static void push_path(const struct net *g, int64_t *flow, const struct step *back, int s, int t,
                      int64_t amount)
{
    for (int v = t; v != s;) {
        struct step st = back[v];
        flow[st.arc] += st.forward ? amount : -amount;
        v = st.forward ? g->from[st.arc] : g->to[st.arc];
    }
}

/* Successive shortest paths: saturate every negative arc first so that the
 * residual network has no negative cycle, then move excess to deficit
 * along shortest paths, which keeps it so. False when some excess can reach
 * no deficit, i.e. no feasible flow exists. */
static bool reference_cost(const struct net *g, int64_t *cost)
{
    int64_t flow[MAX_ARCS], excess[MAX_NODES], dist[MAX_NODES];
    struct step back[MAX_NODES];
    memcpy(excess, g->supply, sizeof excess);
    for (int e = 0; e < g->m; e++) {
        flow[e] = g->cost[e] < 0 ? g->cap[e] : 0;
        excess[g->from[e]] -= flow[e];
        excess[g->to[e]] += flow[e];
    }
    for (;;) {
        int s = 0, t = -1;
        while (s < g->n && excess[s] <= 0)
            s++;
        if (s == g->n)
            break;
        residual_distances(g, flow, s, dist, back);
        for (int v = 0; v < g->n; v++)
            if (excess[v] < 0 && dist[v] != INT64_MAX && (t < 0 || dist[v] < dist[t]))
                t = v;
        if (t < 0)
            return false;
        int64_t amount = path_room(g, flow, back, s, t);
        amount = excess[s] < amount ? excess[s] : amount;
        amount = -excess[t] < amount ? -excess[t] : amount;
        push_path(g, flow, back, s, t, amount);
        excess[s] -= amount;
        excess[t] += amount;
    }
    *cost = 0;
    for (int e = 0; e < g->m; e++)
        *cost += flow[e] * g->cost[e];
    return true;
}

/* Every integer flow within the capacities, like an odometer. */
static bool enumerate_cost(const struct net *g, int64_t *best)
{
    int64_t flow[MAX_ARCS] = {0};
    bool found = false;
    for (;;) {
        int64_t balance[MAX_NODES] = {0}, cost = 0;
        for (int e = 0; e < g->m; e++) {
            balance[g->from[e]] += flow[e];
            balance[g->to[e]] -= flow[e];
            cost += flow[e] * g->cost[e];
        }
        bool ok = true;
        for (int u = 0; u < g->n; u++)
            ok = ok && balance[u] == g->supply[u];
        if (ok && (!found || cost < *best)) {
            *best = cost;
            found = true;
        }
        int e = 0;
        while (e < g->m && flow[e] == g->cap[e])
            flow[e++] = 0;
        if (e == g->m)
            return found;
        flow[e]++;
    }
}

static void check_against(const struct net *g, bool (*reference)(const struct net *, int64_t *))
{
    int64_t want = 0;
    bool feasible = reference(g, &want);
    struct mcf *m = build(g);
    enum mcf_result r = mcf_solve(m);
    assert_int_equal(r, feasible ? MCF_OPTIMAL : MCF_INFEASIBLE);
    if (feasible) {
        assert_int_equal(mcf_total_cost(m), want);
        assert_valid_flow(m, g);
    }
    mcf_destroy(&m);
}

static void test_random_against_shortest_paths(void **state)
{
    (void)state;
    uint64_t seed = 20240601;
    int feasible = 0;
    for (int i = 0; i < 500; i++) {
        struct net g;
        int64_t ignored;
        random_net(&g, &seed, MAX_NODES, MAX_ARCS, 4);
        check_against(&g, reference_cost);
        feasible += reference_cost(&g, &ignored);
    }
    /* Both verdicts must have been exercised for the test to mean much. */
    assert_true(feasible > 100 && feasible < 450);
}

static void test_tiny_against_enumeration(void **state)
{
    (void)state;
    uint64_t seed = 7;
    for (int i = 0; i < 300; i++) {
        struct net g;
        random_net(&g, &seed, 4, 6, 3);
        check_against(&g, enumerate_cost);
    }
}

static void test_same_network_same_flow(void **state)
{
    (void)state;
    uint64_t seed = 99;
    for (int i = 0; i < 50; i++) {
        struct net g;
        random_net(&g, &seed, MAX_NODES, MAX_ARCS, 4);
        struct mcf *a = build(&g), *b = build(&g);
        enum mcf_result r = mcf_solve(a);
        assert_int_equal(mcf_solve(b), r);
        for (int e = 0; e < g.m; e++)
            assert_int_equal(mcf_flow(a, (size_t)e), mcf_flow(b, (size_t)e));
        /* Solving again, after adding nothing, changes nothing. */
        int64_t first[MAX_ARCS];
        for (int e = 0; e < g.m; e++)
            first[e] = mcf_flow(a, (size_t)e);
        assert_int_equal(mcf_solve(a), r);
        for (int e = 0; e < g.m; e++)
            assert_int_equal(mcf_flow(a, (size_t)e), first[e]);
        mcf_destroy(&a);
        mcf_destroy(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_assignment_3x3),
        cmocka_unit_test(test_transportation),
        cmocka_unit_test(test_direct_arcs_that_start_full_can_empty),
        cmocka_unit_test(test_cheapest_path_uses_negative_arc),
        cmocka_unit_test(test_negative_cycle_is_saturated),
        cmocka_unit_test(test_parallel_arcs),
        cmocka_unit_test(test_zero_capacity_arc_stays_empty),
        cmocka_unit_test(test_infeasible_supply),
        cmocka_unit_test(test_unbalanced_supplies_are_infeasible),
        cmocka_unit_test(test_isolated_node),
        cmocka_unit_test(test_unlimited_negative_cycle_is_unbounded),
        cmocka_unit_test(test_add_arc_checks_its_input),
        cmocka_unit_test(test_random_against_shortest_paths),
        cmocka_unit_test(test_tiny_against_enumeration),
        cmocka_unit_test(test_same_network_same_flow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
