/* assign: build the flow network of a batch round, solve it, read it back.
 *
 * Eligibility is the matcher's own match_check, so a batch round and a
 * shortlist can never disagree about a rule. To stay fast on large pools,
 * mediators are bucketed on a latitude/longitude grid and a case with a
 * distance cap looks only at the cells within reach; the cap itself is
 * still decided by match_check. */
#include "match/assign.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEGREE 111.19 /* along a meridian, earth radius 6371 km */

struct grid {
    double lat0, lon0, cell; /* south-west corner and cell size, degrees */
    int rows, cols;
    size_t *start; /* rows*cols+1 offsets into order */
    size_t *order; /* mediator indices, bucketed */
};

struct assign {
    const struct match_case *cases;
    size_t n_cases;
    const struct match_mediator *meds;
    size_t n_meds;
    struct match_weights w;

    size_t *case_order;  /* case indices sorted by id */
    size_t *med_rank;    /* mediator index -> position in id order */
    size_t *med_by_rank; /* and back */
    int *med_town;       /* mediator index -> municipality number */
    size_t n_towns;
    unsigned *town_seen; /* per municipality: the last pass that met it */
    int *town_node;      /* per municipality: its node in the current case */
    unsigned pass;

    size_t *pair_start; /* per case (input index): offset into pair arrays */
    size_t *pair_count; /* per case (input index): its number of pairs */
    size_t *pair_med;
    long *pair_arc;
    size_t n_pairs;
    long *empty_arc; /* per case: its arc to the sink */

    struct mcf *net;
    int64_t *orig_cost; /* per arc, the objective's own cost */
    size_t n_arcs, cap_arcs;
    int64_t scale;  /* costs in the network are cost x scale + tie-break */
    int64_t *pcost; /* per pair, while building */
    int64_t objective;
    size_t *picked; /* per mediator: assignments counted so far, for load steps */
};

/* ---- ordering -------------------------------------------------------- */

/* Sorting by a text key without a context pointer: qsort_r is not C11. */
struct keyed {
    const char *key;
    size_t index;
};

static int by_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

static int by_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

static struct keyed *sorted_keys(size_t n, const void *base, size_t stride, size_t offset)
{
    struct keyed *k = malloc((n ? n : 1) * sizeof *k);
    for (size_t i = 0; k && i < n; i++) {
        k[i].key = *(const char *const *)((const char *)base + i * stride + offset);
        k[i].index = i;
    }
    if (k)
        qsort(k, n, sizeof *k, by_key);
    return k;
}

static int order_everything(struct assign *a)
{
    size_t nm = a->n_meds ? a->n_meds : 1;
    struct keyed *cases =
        sorted_keys(a->n_cases, a->cases, sizeof *a->cases, offsetof(struct match_case, id));
    struct keyed *meds =
        sorted_keys(a->n_meds, a->meds, sizeof *a->meds, offsetof(struct match_mediator, id));
    struct keyed *towns = sorted_keys(a->n_meds, a->meds, sizeof *a->meds,
                                      offsetof(struct match_mediator, municipality));
    a->case_order = malloc((a->n_cases ? a->n_cases : 1) * sizeof *a->case_order);
    a->med_rank = malloc(nm * sizeof *a->med_rank);
    a->med_by_rank = malloc(nm * sizeof *a->med_by_rank);
    a->med_town = malloc(nm * sizeof *a->med_town);
    int rc = cases && meds && towns && a->case_order && a->med_rank && a->med_by_rank && a->med_town
                 ? 0
                 : -1;
    for (size_t i = 0; rc == 0 && i < a->n_cases; i++)
        a->case_order[i] = cases[i].index;
    for (size_t i = 0; rc == 0 && i < a->n_meds; i++) {
        a->med_rank[meds[i].index] = i;
        a->med_by_rank[i] = meds[i].index;
    }
    int town = -1;
    for (size_t i = 0; rc == 0 && i < a->n_meds; i++) {
        if (i == 0 || strcmp(towns[i].key, towns[i - 1].key) != 0)
            town++;
        a->med_town[towns[i].index] = town;
    }
    a->n_towns = (size_t)(town + 1);
    a->town_seen = calloc(a->n_towns ? a->n_towns : 1, sizeof *a->town_seen);
    a->town_node = calloc(a->n_towns ? a->n_towns : 1, sizeof *a->town_node);
    if (!a->town_seen || !a->town_node)
        rc = -1;
    free(cases);
    free(meds);
    free(towns);
    return rc;
}

/* ---- the grid --------------------------------------------------------- */

static int grid_build(struct grid *g, const struct match_mediator *ms, size_t n)
{
    double lat_min = 90, lat_max = -90, lon_min = 180, lon_max = -180;
    for (size_t i = 0; i < n; i++) {
        lat_min = fmin(lat_min, ms[i].lat);
        lat_max = fmax(lat_max, ms[i].lat);
        lon_min = fmin(lon_min, ms[i].lon);
        lon_max = fmax(lon_max, ms[i].lon);
    }
    if (n == 0)
        lat_min = lat_max = lon_min = lon_max = 0;
    /* About 10 km cells, but never more than 512 x 512 of them. */
    g->cell = fmax(0.1, fmax(lat_max - lat_min, lon_max - lon_min) / 512.0);
    g->lat0 = lat_min;
    g->lon0 = lon_min;
    g->rows = (int)((lat_max - lat_min) / g->cell) + 1;
    g->cols = (int)((lon_max - lon_min) / g->cell) + 1;
    size_t cells = (size_t)g->rows * (size_t)g->cols;
    g->start = calloc(cells + 1, sizeof *g->start);
    g->order = malloc((n ? n : 1) * sizeof *g->order);
    if (!g->start || !g->order)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int r = (int)((ms[i].lat - g->lat0) / g->cell), c = (int)((ms[i].lon - g->lon0) / g->cell);
        g->start[(size_t)r * (size_t)g->cols + (size_t)c + 1]++;
    }
    for (size_t i = 0; i < cells; i++)
        g->start[i + 1] += g->start[i];
    size_t *fill = malloc((cells ? cells : 1) * sizeof *fill);
    if (!fill)
        return -1;
    memcpy(fill, g->start, cells * sizeof *fill);
    for (size_t i = 0; i < n; i++) {
        int r = (int)((ms[i].lat - g->lat0) / g->cell), c = (int)((ms[i].lon - g->lon0) / g->cell);
        g->order[fill[(size_t)r * (size_t)g->cols + (size_t)c]++] = i;
    }
    free(fill);
    return 0;
}

static void grid_free(struct grid *g)
{
    free(g->start);
    free(g->order);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The cells a case with a distance cap can reach, as row and column ranges.
 * Near a pole, or where the reach crosses the date line, every column. */
static void grid_reach(const struct grid *g, const struct match_case *c, int *r0, int *r1, int *c0,
                       int *c1)
{
    double dlat = fmin(180.0, c->max_distance_km / KM_PER_DEGREE + g->cell);
    double far_lat = fabs(c->lat) + dlat;
    *r0 = clamp((int)floor((fmax(-90.0, c->lat - dlat) - g->lat0) / g->cell), 0, g->rows - 1);
    *r1 = clamp((int)floor((fmin(90.0, c->lat + dlat) - g->lat0) / g->cell), 0, g->rows - 1);
    *c0 = 0;
    *c1 = g->cols - 1;
    if (far_lat >= 89.0)
        return;
    double dlon = c->max_distance_km / (KM_PER_DEGREE * cos(far_lat * M_PI / 180.0)) + g->cell;
    if (c->lon - dlon <= -180.0 || c->lon + dlon >= 180.0)
        return;
    *c0 = clamp((int)floor((c->lon - dlon - g->lon0) / g->cell), 0, g->cols - 1);
    *c1 = clamp((int)floor((c->lon + dlon - g->lon0) / g->cell), 0, g->cols - 1);
}

/* ---- pairs ------------------------------------------------------------- */

struct pair_list {
    size_t *v;
    size_t n, cap;
};

static int pair_push(struct pair_list *l, size_t med)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        size_t *grown = realloc(l->v, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->v = grown;
        l->cap = cap;
    }
    l->v[l->n++] = med;
    return 0;
}

/* A cheap flat-earth estimate, trusted only when it says "far beyond the
 * cap". coslat is taken at the reachable latitude farthest from the
 * equator, so east-west distances are never overestimated; within 300 km
 * the flat estimate errs by far less than the 2 % margin, and the exact
 * haversine test in match_check decides everything closer. Near a pole it
 * says nothing. */
static bool surely_too_far(const struct match_case *c, const struct match_mediator *m,
                           double coslat)
{
    if (c->max_distance_km > 300 || fabs(c->lat) + c->max_distance_km / KM_PER_DEGREE >= 89.0)
        return false;
    double dlon = fabs(m->lon - c->lon);
    if (dlon > 180.0)
        dlon = 360.0 - dlon; /* across the date line */
    double dy = (m->lat - c->lat) * KM_PER_DEGREE;
    double dx = dlon * KM_PER_DEGREE * coslat;
    double limit = c->max_distance_km * 1.02 + 1.0;
    return dx * dx + dy * dy > limit * limit;
}

/* The eligible mediators of one case, appended to l in id order. */
static int collect_case(struct assign *a, const struct grid *g, const struct match_case *c,
                        struct pair_list *l)
{
    size_t first = l->n;
    if (c->max_distance_km > 0 && a->n_meds > 0) {
        int r0, r1, c0, c1;
        grid_reach(g, c, &r0, &r1, &c0, &c1);
        double far = fmin(89.0, fabs(c->lat) + fmin(180.0, c->max_distance_km / KM_PER_DEGREE));
        double coslat = cos(far * M_PI / 180.0);
        for (int r = r0; r <= r1; r++) {
            size_t row = (size_t)r * (size_t)g->cols;
            for (size_t k = g->start[row + (size_t)c0]; k < g->start[row + (size_t)c1 + 1]; k++) {
                const struct match_mediator *m = &a->meds[g->order[k]];
                if (surely_too_far(c, m, coslat))
                    continue;
                if (match_eligible(c, m) && pair_push(l, a->med_rank[g->order[k]]) < 0)
                    return -1;
            }
        }
    } else {
        for (size_t m = 0; m < a->n_meds; m++)
            if (match_eligible(c, &a->meds[m]) && pair_push(l, a->med_rank[m]) < 0)
                return -1;
    }
    /* Collected as ranks, sorted, then turned back into indices: the arcs
     * of a case go in in mediator-id order, so equal costs resolve by id. */
    if (l->n > first)
        qsort(l->v + first, l->n - first, sizeof *l->v, by_size);
    for (size_t i = first; i < l->n; i++)
        l->v[i] = a->med_by_rank[l->v[i]];
    return 0;
}

static int collect_pairs(struct assign *a, struct pair_list *l)
{
    struct grid g = {0};
    a->pair_start = calloc(a->n_cases + 1, sizeof *a->pair_start);
    a->pair_count = calloc(a->n_cases + 1, sizeof *a->pair_count);
    int rc = a->pair_start && a->pair_count && grid_build(&g, a->meds, a->n_meds) == 0 ? 0 : -1;
    size_t *start_by_order = calloc(a->n_cases + 1, sizeof *start_by_order);
    if (!start_by_order)
        rc = -1;
    for (size_t k = 0; rc == 0 && k < a->n_cases; k++) {
        start_by_order[k] = l->n;
        rc = collect_case(a, &g, &a->cases[a->case_order[k]], l);
    }
    grid_free(&g);
    if (rc < 0 || !start_by_order) {
        free(start_by_order);
        return -1;
    }
    start_by_order[a->n_cases] = l->n;
    /* Pairs are stored in case-id order; pair_start is kept per input case. */
    for (size_t k = 0; k < a->n_cases; k++) {
        a->pair_start[a->case_order[k]] = start_by_order[k];
        a->pair_count[a->case_order[k]] = start_by_order[k + 1] - start_by_order[k];
    }
    free(start_by_order);
    a->pair_med = l->v;
    a->n_pairs = l->n;
    return 0;
}

/* ---- the network ------------------------------------------------------- */

static size_t pairs_of(const struct assign *a, size_t ci, size_t *first)
{
    *first = a->pair_start[ci];
    return a->pair_count[ci];
}

/* Extra nodes for 2-seat cases: one per municipality among its pairs. */
static int town_nodes(struct assign *a, size_t ci)
{
    size_t first, n = pairs_of(a, ci, &first);
    unsigned pass = ++a->pass;
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        int t = a->med_town[a->pair_med[first + i]];
        if (a->town_seen[t] != pass) {
            a->town_seen[t] = pass;
            count++;
        }
    }
    return count;
}

/* Ties: every cost is multiplied by `scale`, and a pair arc adds its
 * mediator's position in id order. The extra terms of a whole solution add
 * up to less than `scale`, so they never outweigh a real difference, and
 * among solutions of equal cost the one with the lowest mediator ids wins. */
static long add_arc(struct assign *a, int from, int to, int64_t cap, int64_t cost, int64_t tie)
{
    if (a->n_arcs == a->cap_arcs) {
        size_t cap_arcs = a->cap_arcs ? a->cap_arcs * 2 : 1024;
        int64_t *grown = realloc(a->orig_cost, cap_arcs * sizeof *grown);
        if (!grown)
            return -1;
        a->orig_cost = grown;
        a->cap_arcs = cap_arcs;
    }
    long arc = mcf_add_arc(a->net, from, to, cap, cost * a->scale + (a->scale > 1 ? tie : 0));
    if (arc >= 0)
        a->orig_cost[a->n_arcs++] = cost;
    return arc;
}

static int64_t pair_cost(const struct assign *a, const struct match_case *c, size_t m)
{
    struct match_cost cost;
    match_cost(c, &a->meds[m], &a->w, &cost);
    return cost.total - cost.load;
}

static int add_case_arcs(struct assign *a, size_t ci, int case_node, int *next_node)
{
    const struct match_case *c = &a->cases[ci];
    int sink = (int)(a->n_cases + a->n_meds);
    int64_t seats = c->seats == 2 ? 2 : 1;
    mcf_set_supply(a->net, case_node, seats);
    a->empty_arc[ci] = add_arc(a, case_node, sink, seats, match_empty_seat_cost(c, &a->w), 0);
    if (a->empty_arc[ci] < 0)
        return -1;
    size_t first, n = pairs_of(a, ci, &first);
    unsigned pass = ++a->pass;
    for (size_t i = 0; i < n; i++) {
        size_t m = a->pair_med[first + i];
        int from = case_node, t = a->med_town[m];
        if (seats == 2) {
            /* One node per municipality: at most one seat from each (R10). */
            if (a->town_seen[t] != pass) {
                a->town_seen[t] = pass;
                a->town_node[t] = (*next_node)++;
                if (add_arc(a, case_node, a->town_node[t], 1, 0, 0) < 0)
                    return -1;
            }
            from = a->town_node[t];
        }
        a->pair_arc[first + i] = add_arc(a, from, (int)(a->n_cases + m), 1, a->pcost[first + i],
                                         (int64_t)a->med_rank[m]);
        if (a->pair_arc[first + i] < 0)
            return -1;
    }
    return 0;
}

/* The pair costs, and a scale for the tie-break that cannot overflow:
 * without room for it, ties fall to the solver's fixed order instead. */
static int price_pairs(struct assign *a, int nodes, char *err, size_t errlen)
{
    a->pcost = malloc((a->n_pairs ? a->n_pairs : 1) * sizeof *a->pcost);
    if (!a->pcost)
        return -1;
    int64_t biggest = 0, seats = 0;
    for (size_t ci = 0; ci < a->n_cases; ci++) {
        int64_t empty = match_empty_seat_cost(&a->cases[ci], &a->w);
        biggest = empty > biggest ? empty : biggest;
        size_t first, n = pairs_of(a, ci, &first);
        for (size_t i = 0; i < n; i++) {
            a->pcost[first + i] = pair_cost(a, &a->cases[ci], a->pair_med[first + i]);
            int64_t v = a->pcost[first + i] < 0 ? -a->pcost[first + i] : a->pcost[first + i];
            biggest = v > biggest ? v : biggest;
        }
        seats += a->cases[ci].seats == 2 ? 2 : 1;
    }
    for (size_t m = 0; m < a->n_meds; m++) {
        int64_t load =
            a->w.load_step * (int64_t)(a->meds[m].capacity > 0 ? a->meds[m].capacity : 0);
        biggest = load > biggest ? load : biggest;
    }
    int64_t scale = seats * (int64_t)a->n_meds + 1;
    /* A solution's cost adds at most three arcs per seat; the solver's node
     * potentials add at most one arc per node along a tree path. */
    double paths = fmax((double)(4 * seats + 1), (double)nodes);
    if ((double)biggest * paths >= 1.0e18) {
        snprintf(err, errlen,
                 "costs up to %lld over %.0f arcs could overflow exact arithmetic; "
                 "use smaller weights",
                 (long long)biggest, paths);
        return -1;
    }
    double worst = (double)biggest * (double)scale * paths;
    a->scale = worst < 1.0e18 ? scale : 1;
    return 0;
}

static int build_network(struct assign *a, char *err, size_t errlen)
{
    int nodes = (int)(a->n_cases + a->n_meds + 1);
    for (size_t ci = 0; ci < a->n_cases; ci++)
        if (a->cases[ci].seats == 2)
            nodes += town_nodes(a, ci);
    if (price_pairs(a, nodes, err, errlen) < 0)
        return -1;
    a->net = mcf_new(nodes, a->n_pairs + 2 * a->n_cases + a->n_meds * 2);
    a->pair_arc = malloc((a->n_pairs ? a->n_pairs : 1) * sizeof *a->pair_arc);
    a->empty_arc = malloc((a->n_cases ? a->n_cases : 1) * sizeof *a->empty_arc);
    if (!a->net || !a->pair_arc || !a->empty_arc)
        return -1;
    int next_node = (int)(a->n_cases + a->n_meds + 1);
    int64_t seats = 0;
    for (size_t k = 0; k < a->n_cases; k++) {
        size_t ci = a->case_order[k];
        if (add_case_arcs(a, ci, (int)ci, &next_node) < 0)
            return -1;
        seats += a->cases[ci].seats == 2 ? 2 : 1;
    }
    int sink = (int)(a->n_cases + a->n_meds);
    for (size_t m = 0; m < a->n_meds; m++) {
        const struct match_mediator *med = &a->meds[m];
        int free_places = med->capacity - med->open_cases;
        for (int i = 1; i <= free_places; i++)
            if (add_arc(a, (int)(a->n_cases + m), sink, 1,
                        a->w.load_step * (med->open_cases + i - 1), 0) < 0)
                return -1;
    }
    mcf_set_supply(a->net, sink, -seats);
    free(a->pcost);
    a->pcost = NULL;
    return 0;
}

struct assign *assign_build(const struct match_case *cases, size_t n_cases,
                            const struct match_mediator *mediators, size_t n_mediators,
                            const struct match_weights *w, char *err, size_t errlen)
{
    snprintf(err, errlen, "out of memory building the network");
    struct assign *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->cases = cases;
    a->n_cases = n_cases;
    a->meds = mediators;
    a->n_meds = n_mediators;
    a->w = *w;
    struct pair_list l = {0};
    if (order_everything(a) < 0 || collect_pairs(a, &l) < 0 || build_network(a, err, errlen) < 0) {
        if (!a->pair_med)
            free(l.v);
        assign_destroy(&a);
    }
    return a;
}

enum mcf_result assign_run(struct assign *a)
{
    enum mcf_result r = mcf_solve(a->net);
    a->objective = 0;
    for (size_t i = 0; r == MCF_OPTIMAL && i < a->n_arcs; i++)
        a->objective += mcf_flow(a->net, i) * a->orig_cost[i];
    free(a->picked);
    a->picked = calloc(a->n_meds ? a->n_meds : 1, sizeof *a->picked);
    return a->picked ? r : MCF_NOMEM;
}

void assign_destroy(struct assign **ap)
{
    struct assign *a = *ap;
    if (!a)
        return;
    free(a->case_order);
    free(a->med_rank);
    free(a->med_by_rank);
    free(a->med_town);
    free(a->town_seen);
    free(a->town_node);
    free(a->pair_count);
    free(a->pair_start);
    free(a->pair_med);
    free(a->pair_arc);
    free(a->empty_arc);
    free(a->picked);
    free(a->orig_cost);
    free(a->pcost);
    mcf_destroy(&a->net);
    free(a);
    *ap = NULL;
}

const struct mcf *assign_network(const struct assign *a)
{
    return a->net;
}

void assign_arc(const struct assign *a, size_t arc, int *from, int *to, int64_t *cap, int64_t *cost)
{
    mcf_arc(a->net, arc, from, to, cap, cost);
    *cost = a->orig_cost[arc];
}

size_t assign_eligible_pairs(const struct assign *a)
{
    return a->n_pairs;
}

int64_t assign_objective(const struct assign *a)
{
    return a->objective;
}

/* Load steps are handed out in the order cases are read back, so call it
 * once per case, in id order, for the explanation to add up. */
size_t assign_picks(struct assign *a, size_t ci, struct assign_pick out[2])
{
    size_t first, n = pairs_of(a, ci, &first), count = 0;
    for (size_t i = 0; i < n && count < 2; i++) {
        if (mcf_flow(a->net, (size_t)a->pair_arc[first + i]) <= 0)
            continue;
        size_t m = a->pair_med[first + i];
        out[count].mediator = m;
        match_cost(&a->cases[ci], &a->meds[m], &a->w, &out[count].cost);
        int64_t step = a->w.load_step * (a->meds[m].open_cases + (int64_t)a->picked[m]);
        out[count].cost.total += step - out[count].cost.load;
        out[count].cost.load = step;
        out[count].cost.proposed = (int)a->picked[m];
        a->picked[m]++;
        count++;
    }
    return count;
}

int assign_unfilled(const struct assign *a, size_t ci)
{
    return (int)mcf_flow(a->net, (size_t)a->empty_arc[ci]);
}
