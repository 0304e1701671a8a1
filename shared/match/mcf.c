/* mcf: minimum-cost flow by the primal network simplex method.
 *
 * The method keeps a spanning tree of "basic" arcs; every arc outside the
 * tree sits at its lower bound (flow 0) or its upper bound (flow = cap).
 * Node potentials make every tree arc's reduced cost zero. An arc outside
 * the tree whose reduced cost says that moving it off its bound would save
 * money enters the tree; flow goes round the cycle it closes until some arc
 * on that cycle hits a bound, and that arc leaves. When no arc can enter,
 * the flow is optimal.
 *
 * The start is an artificial root with one artificial arc per node that
 * carries the node's supply up to the root, or its demand down from it.
 * The arcs down cost more than any path of real arcs, so the optimum uses
 * an artificial arc only when no feasible flow exists. Artificial arcs never
 * enter again once they leave. Before that, real arcs that can take a whole
 * capacity straight from a supply to a demand start full, which leaves less
 * for the artificial arcs: the matcher's networks give every case an arc to
 * the sink, so they start from the feasible "nobody assigned" flow and skip
 * the many pivots that would otherwise drain the artificial arcs.
 *
 * The tree stays "strongly feasible": some flow can always be sent from any
 * node up to the root. Choosing the leaving arc as the last blocking arc met
 * when walking the cycle from its apex keeps it so, and rules out cycling on
 * degenerate (zero-flow) pivots.
 *
 * The tree is stored as parent, the arc to the parent (tree_arc) and its
 * direction, a preorder walk (next and previous node), and per node the size and
 * the last preorder node of its subtree. A pivot then costs time in the size
 * of the subtree that moves plus the depth of the cycle, never the whole
 * tree. Entering arcs come from a short candidate list: the best few arcs of
 * the last search that still violate, topped up by scanning blocks of arcs
 * until the list is full again (or, after the first block, holds anything).
 * Most pivots are degenerate and cheap, so pricing dominates, and reusing
 * candidates saves a third of the scanning (measured on bench/mcf_file.c). */
#include "match/mcf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* An arc's state: outside the tree at a bound, or in the tree. Pricing
 * multiplies the reduced cost by the state, so a negative product means the
 * arc would pay to enter whichever bound it is at. */
enum { STATE_UPPER = -1, STATE_TREE = 0, STATE_LOWER = 1 };
/* Whether a node's tree arc points up to its parent or down to it. */
enum { FROM_PARENT = -1, TO_PARENT = 1 };

#define MIN_BLOCK 10
/* Candidates kept between searches; 3..30 all do about as well. */
#define HEAD 10

struct mcf {
    int nodes;
    size_t arcs, arcs_alloc;
    /* Real arcs 0..arcs-1; while solving, the artificial arc of node u
     * follows at arcs + u. */
    int *source, *target;
    int64_t *cap, *cost, *flow;
    signed char *state;
    int64_t *supply;
    int64_t *excess; /* supply left for the artificial arcs */

    /* The spanning tree over nodes 0..nodes, where `nodes` is the root. */
    int *parent, *preorder_next, *preorder_prev, *subtree_size, *subtree_last;
    size_t *tree_arc;
    signed char *tree_arc_dir;
    int64_t *potential;

    /* Scratch for one pivot: the tree path from the entering arc up to the
     * leaving arc, with each node's subtree as it was before the pivot. */
    int *path, *path_last, *path_before, *path_after, *path_size;

    size_t block, next_arc;
    /* The candidate list, most violating first. */
    size_t cand[HEAD];
    int64_t cand_violation[HEAD];
    int cands;

    size_t pivots;
    int64_t total_cost;
};

/* What one pivot works with. */
struct pivot {
    size_t in;         /* the entering arc */
    int first, second; /* its ends, in the direction flow is pushed along it */
    int join;          /* the apex of the cycle: where the two tree paths meet */
    int64_t delta;     /* the flow pushed round the cycle */
    int u_out;         /* child end of the leaving tree arc; -1 if `in` blocks */
    int u_in, v_in;    /* ends of `in`: u_in lies under u_out, v_in is its new parent */
};

static void *resize(void *p, size_t count, size_t size)
{
    if (count > SIZE_MAX / size)
        return NULL;
    return realloc(p, count * size);
}

/* Grows every per-arc array to hold at least `want` arcs. Arrays grown
 * before a failure stay valid, merely roomier than arcs_alloc says. */
static int grow_arcs(struct mcf *m, size_t want)
{
    if (want <= m->arcs_alloc)
        return 0;
    size_t n = m->arcs_alloc ? m->arcs_alloc : 16;
    while (n < want) {
        if (n > SIZE_MAX / 2)
            return -1;
        n *= 2;
    }
    void *p;
    if (!(p = resize(m->source, n, sizeof *m->source)))
        return -1;
    m->source = p;
    if (!(p = resize(m->target, n, sizeof *m->target)))
        return -1;
    m->target = p;
    if (!(p = resize(m->cap, n, sizeof *m->cap)))
        return -1;
    m->cap = p;
    if (!(p = resize(m->cost, n, sizeof *m->cost)))
        return -1;
    m->cost = p;
    if (!(p = resize(m->flow, n, sizeof *m->flow)))
        return -1;
    m->flow = p;
    if (!(p = resize(m->state, n, sizeof *m->state)))
        return -1;
    m->state = p;
    m->arcs_alloc = n;
    return 0;
}

/* The node arrays never change size, so they are allocated once. */
static int alloc_nodes(struct mcf *m)
{
    size_t n = (size_t)m->nodes + 1;
    m->supply = calloc(n, sizeof *m->supply);
    m->excess = calloc(n, sizeof *m->excess);
    m->parent = calloc(n, sizeof *m->parent);
    m->preorder_next = calloc(n, sizeof *m->preorder_next);
    m->preorder_prev = calloc(n, sizeof *m->preorder_prev);
    m->subtree_size = calloc(n, sizeof *m->subtree_size);
    m->subtree_last = calloc(n, sizeof *m->subtree_last);
    m->tree_arc = calloc(n, sizeof *m->tree_arc);
    m->tree_arc_dir = calloc(n, sizeof *m->tree_arc_dir);
    m->potential = calloc(n, sizeof *m->potential);
    m->path = calloc(n, sizeof *m->path);
    m->path_last = calloc(n, sizeof *m->path_last);
    m->path_before = calloc(n, sizeof *m->path_before);
    m->path_after = calloc(n, sizeof *m->path_after);
    m->path_size = calloc(n, sizeof *m->path_size);
    if (!m->supply || !m->excess || !m->parent || !m->preorder_next || !m->preorder_prev ||
        !m->subtree_size || !m->subtree_last || !m->tree_arc || !m->tree_arc_dir || !m->potential ||
        !m->path || !m->path_last || !m->path_before || !m->path_after || !m->path_size)
        return -1;
    return 0;
}

struct mcf *mcf_new(int nodes, size_t arcs_hint)
{
    if (nodes < 0 || nodes == INT_MAX)
        return NULL;
    struct mcf *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->nodes = nodes;
    /* Room for the artificial arcs too, so that solving needs no realloc. */
    size_t want = arcs_hint + (size_t)nodes;
    if (alloc_nodes(m) < 0 || (want >= arcs_hint && grow_arcs(m, want) < 0)) {
        mcf_destroy(&m);
        return NULL;
    }
    return m;
}

void mcf_destroy(struct mcf **mp)
{
    struct mcf *m = *mp;
    if (!m)
        return;
    free(m->source);
    free(m->target);
    free(m->cap);
    free(m->cost);
    free(m->flow);
    free(m->state);
    free(m->supply);
    free(m->excess);
    free(m->parent);
    free(m->preorder_next);
    free(m->preorder_prev);
    free(m->subtree_size);
    free(m->subtree_last);
    free(m->tree_arc);
    free(m->tree_arc_dir);
    free(m->potential);
    free(m->path);
    free(m->path_last);
    free(m->path_before);
    free(m->path_after);
    free(m->path_size);
    free(m);
    *mp = NULL;
}

long mcf_add_arc(struct mcf *m, int from, int to, int64_t cap, int64_t cost)
{
    if (from < 0 || from >= m->nodes || to < 0 || to >= m->nodes || cap < 0)
        return -1;
    if (m->arcs >= (size_t)LONG_MAX || grow_arcs(m, m->arcs + 1) < 0)
        return -1;
    size_t e = m->arcs++;
    m->source[e] = from;
    m->target[e] = to;
    m->cap[e] = cap;
    m->cost[e] = cost;
    m->flow[e] = 0;
    return (long)e;
}

void mcf_set_supply(struct mcf *m, int node, int64_t supply)
{
    if (node >= 0 && node < m->nodes)
        m->supply[node] = supply;
}

int mcf_nodes(const struct mcf *m)
{
    return m->nodes;
}

size_t mcf_arcs(const struct mcf *m)
{
    return m->arcs;
}

void mcf_arc(const struct mcf *m, size_t arc, int *from, int *to, int64_t *cap, int64_t *cost)
{
    if (from)
        *from = m->source[arc];
    if (to)
        *to = m->target[arc];
    if (cap)
        *cap = m->cap[arc];
    if (cost)
        *cost = m->cost[arc];
}

int64_t mcf_supply(const struct mcf *m, int node)
{
    return m->supply[node];
}

int64_t mcf_flow(const struct mcf *m, size_t arc)
{
    return m->flow[arc];
}

int64_t mcf_total_cost(const struct mcf *m)
{
    return m->total_cost;
}

size_t mcf_pivots(const struct mcf *m)
{
    return m->pivots;
}

/* ---- Arc order while solving ----
 *
 * Arcs usually arrive grouped by their tail, so a block of consecutive arcs
 * would price the arcs of only a few nodes, and the search would crawl
 * through the network one corner at a time. While solving, added arc i lies
 * in pile i % piles and the piles lie end to end, so that each block samples
 * the whole network. mcf_solve puts the added order back before returning. */

struct spare {
    int *ints;
    int64_t *wides;
};

/* As many piles as nodes spreads the arcs of one tail over the whole order;
 * sparse networks get fewer piles so that no pile holds fewer than three. */
static size_t pile_count(const struct mcf *m)
{
    size_t piles = m->arcs >= 3 * (size_t)m->nodes ? (size_t)m->nodes : m->arcs / 3;
    return piles > 0 ? piles : 1;
}

/* Deals the arcs into piles, or with `back` gathers them again. */
static void deal_ints(int *to, const int *from, size_t arcs, size_t piles, int back)
{
    size_t pos = 0;
    for (size_t p = 0; p < piles; p++)
        for (size_t e = p; e < arcs; e += piles, pos++)
            to[back ? e : pos] = from[back ? pos : e];
}

static void deal_wides(int64_t *to, const int64_t *from, size_t arcs, size_t piles, int back)
{
    size_t pos = 0;
    for (size_t p = 0; p < piles; p++)
        for (size_t e = p; e < arcs; e += piles, pos++)
            to[back ? e : pos] = from[back ? pos : e];
}

/* Each array is copied into the spare, which then takes its place; the old
 * array becomes the spare for the next one. */
static void redeal_ints(struct mcf *m, int **a, struct spare *sp, int back)
{
    int *t = *a;
    deal_ints(sp->ints, t, m->arcs, pile_count(m), back);
    *a = sp->ints;
    sp->ints = t;
}

static void redeal_wides(struct mcf *m, int64_t **a, struct spare *sp, int back)
{
    int64_t *t = *a;
    deal_wides(sp->wides, t, m->arcs, pile_count(m), back);
    *a = sp->wides;
    sp->wides = t;
}

/* Flows are only dealt back: solving sets them from scratch. */
static void mix_arcs(struct mcf *m, struct spare *sp, int back)
{
    redeal_ints(m, &m->source, sp, back);
    redeal_ints(m, &m->target, sp, back);
    redeal_wides(m, &m->cap, sp, back);
    redeal_wides(m, &m->cost, sp, back);
    if (back)
        redeal_wides(m, &m->flow, sp, back);
}

/* ---- Start: a star of artificial arcs round the root ---- */

/* Dearer than any simple path of real arcs. Only the arcs from the root
 * down to demand nodes carry it: flow through the root must leave by one of
 * them, so each unit of artificial flow costs it once. */
static int64_t artificial_cost(const struct mcf *m)
{
    int64_t most = 0;
    for (size_t e = 0; e < m->arcs; e++) {
        int64_t c = m->cost[e] < 0 ? -m->cost[e] : m->cost[e];
        if (c > most)
            most = c;
    }
    return (most + 1) * ((int64_t)m->nodes + 1);
}

static int64_t isqrt(size_t n)
{
    size_t r = 0;
    while ((r + 1) * (r + 1) <= n)
        r++;
    return (int64_t)r;
}

/* Nodes with supply send it up to the root, nodes with demand receive it
 * from the root. Arcs without flow point up, which makes the star strongly
 * feasible. */
static void attach_to_root(struct mcf *m, int u, int64_t art)
{
    int root = m->nodes;
    size_t e = m->arcs + (size_t)u;
    m->cap[e] = MCF_UNLIMITED;
    m->state[e] = STATE_TREE;
    if (m->excess[u] >= 0) {
        m->source[e] = u;
        m->target[e] = root;
        m->flow[e] = m->excess[u];
        m->cost[e] = 0;
        m->tree_arc_dir[u] = TO_PARENT;
        m->potential[u] = 0;
    } else {
        m->source[e] = root;
        m->target[e] = u;
        m->flow[e] = -m->excess[u];
        m->cost[e] = art;
        m->tree_arc_dir[u] = FROM_PARENT;
        m->potential[u] = art;
    }
    m->parent[u] = root;
    m->tree_arc[u] = e;
    m->preorder_next[u] = u + 1 < m->nodes ? u + 1 : root;
    m->preorder_prev[u] = u > 0 ? u - 1 : root;
    m->subtree_size[u] = 1;
    m->subtree_last[u] = u;
}

/* Fills, in arc order, each arc whose whole capacity fits both the supply
 * left at its tail and the demand left at its head. Arcs off the tree may
 * sit at either bound, so any such choice is a valid start. */
static void fill_direct_arcs(struct mcf *m)
{
    for (int u = 0; u < m->nodes; u++)
        m->excess[u] = m->supply[u];
    for (size_t e = 0; e < m->arcs; e++) {
        int64_t c = m->cap[e];
        int u = m->source[e], v = m->target[e];
        int full = c > 0 && c != MCF_UNLIMITED && m->excess[u] >= c && -m->excess[v] >= c;
        m->flow[e] = full ? c : 0;
        m->state[e] = full ? STATE_UPPER : STATE_LOWER;
        m->excess[u] -= m->flow[e];
        m->excess[v] += m->flow[e];
    }
}

static void build_initial_tree(struct mcf *m)
{
    int root = m->nodes;
    int64_t art = artificial_cost(m);
    fill_direct_arcs(m);
    for (int u = 0; u < m->nodes; u++)
        attach_to_root(m, u, art);
    m->parent[root] = -1;
    m->tree_arc[root] = SIZE_MAX;
    m->potential[root] = 0;
    m->preorder_next[root] = m->nodes > 0 ? 0 : root;
    m->preorder_prev[root] = m->nodes > 0 ? m->nodes - 1 : root;
    m->subtree_size[root] = m->nodes + 1;
    m->subtree_last[root] = m->preorder_prev[root];
    /* A quarter of the usual sqrt(arcs): the candidate list makes up for the
     * smaller sample, and the search stops sooner. */
    int64_t b = isqrt(m->arcs) / 4;
    m->block = b > MIN_BLOCK ? (size_t)b : MIN_BLOCK;
    m->next_arc = 0;
    m->cands = 0;
    m->pivots = 0;
}

/* ---- Pricing ---- */

/* Negative when moving the arc off its bound lowers the total cost. */
static inline int64_t violation(const struct mcf *m, size_t e)
{
    return m->state[e] * (m->cost[e] + m->potential[m->source[e]] - m->potential[m->target[e]]);
}

/* Puts arc e into the candidate list if it is among the HEAD most
 * violating seen; ties keep the arc found first. */
static void keep_candidate(struct mcf *m, size_t e, int64_t v)
{
    for (int i = 0; i < m->cands; i++)
        if (m->cand[i] == e)
            return;
    int i = m->cands < HEAD ? m->cands++ : HEAD - 1;
    for (; i > 0 && m->cand_violation[i - 1] > v; i--) {
        m->cand[i] = m->cand[i - 1];
        m->cand_violation[i] = m->cand_violation[i - 1];
    }
    m->cand[i] = e;
    m->cand_violation[i] = v;
}

/* The violation an arc needs to get into the list. */
static int64_t entry_bar(const struct mcf *m)
{
    return m->cands == HEAD ? m->cand_violation[HEAD - 1] : 0;
}

/* Scans arcs [from, to) block by block into the candidate list; returns
 * where it stopped, at the end of the first block after which the list
 * holds `*want` arcs, or SIZE_MAX. After one block any candidate will do. */
static size_t scan_blocks(struct mcf *m, size_t from, size_t to, size_t *count, int *want)
{
    size_t left = *count;
    int64_t bar = entry_bar(m);
    size_t e;
    for (e = from; e < to; e++) {
        int64_t v = violation(m, e);
        if (v < bar) {
            keep_candidate(m, e, v);
            bar = entry_bar(m);
        }
        if (--left == 0) {
            if (m->cands >= *want)
                break;
            *want = 1;
            left = m->block;
        }
    }
    *count = left;
    return e < to ? e + 1 : SIZE_MAX;
}

/* Prices the old candidates again, keeps those that still violate, tops
 * the list up from the arcs after where the last search stopped, and takes
 * out the most violating arc. SIZE_MAX when none is left: the flow is
 * optimal. */
static size_t find_entering_arc(struct mcf *m)
{
    size_t old[HEAD];
    int n = m->cands;
    for (int i = 0; i < n; i++)
        old[i] = m->cand[i];
    m->cands = 0;
    for (int i = 0; i < n; i++) {
        int64_t v = violation(m, old[i]);
        if (v < 0)
            keep_candidate(m, old[i], v);
    }
    size_t count = m->block;
    int want = HEAD;
    size_t stop = scan_blocks(m, m->next_arc, m->arcs, &count, &want);
    if (stop == SIZE_MAX)
        stop = scan_blocks(m, 0, m->next_arc, &count, &want);
    if (stop != SIZE_MAX)
        m->next_arc = stop < m->arcs ? stop : 0;
    if (m->cands == 0)
        return SIZE_MAX;
    size_t best = m->cand[0];
    m->cands--;
    memmove(m->cand, m->cand + 1, (size_t)m->cands * sizeof *m->cand);
    memmove(m->cand_violation, m->cand_violation + 1, (size_t)m->cands * sizeof *m->cand_violation);
    return best;
}

/* ---- The cycle ---- */

/* Climbing from the node with the smaller subtree never passes the apex:
 * an ancestor always has the larger subtree. */
static int find_join(const struct mcf *m, int u, int v)
{
    while (u != v) {
        if (m->subtree_size[u] < m->subtree_size[v])
            u = m->parent[u];
        else
            v = m->parent[v];
    }
    return u;
}

/* How much more flow u's tree arc can take from u up to its parent, or
 * from its parent down to u. */
static int64_t room_up(const struct mcf *m, int u)
{
    size_t e = m->tree_arc[u];
    if (m->tree_arc_dir[u] == FROM_PARENT)
        return m->flow[e];
    return m->cap[e] == MCF_UNLIMITED ? MCF_UNLIMITED : m->cap[e] - m->flow[e];
}

static int64_t room_down(const struct mcf *m, int u)
{
    size_t e = m->tree_arc[u];
    if (m->tree_arc_dir[u] == TO_PARENT)
        return m->flow[e];
    return m->cap[e] == MCF_UNLIMITED ? MCF_UNLIMITED : m->cap[e] - m->flow[e];
}

/* Flow runs apex -> first (down) -> second (along `in`) -> apex (up). Of
 * the arcs that block, the last one met in that order leaves: ties on the
 * first side go to the arc nearest `first` (strict <), ties on the second
 * side to the arc nearest the apex (<=). */
static void find_leaving_arc(const struct mcf *m, struct pivot *p)
{
    size_t in = p->in;
    p->delta = m->state[in] == STATE_UPPER   ? m->flow[in]
               : m->cap[in] == MCF_UNLIMITED ? MCF_UNLIMITED
                                             : m->cap[in] - m->flow[in];
    p->u_out = -1;
    for (int u = p->first; u != p->join; u = m->parent[u]) {
        int64_t d = room_down(m, u);
        if (d < p->delta) {
            p->delta = d;
            p->u_out = u;
            p->u_in = p->first;
            p->v_in = p->second;
        }
    }
    for (int u = p->second; u != p->join; u = m->parent[u]) {
        int64_t d = room_up(m, u);
        if (d <= p->delta) {
            p->delta = d;
            p->u_out = u;
            p->u_in = p->second;
            p->v_in = p->first;
        }
    }
}

static void push_round_cycle(struct mcf *m, const struct pivot *p)
{
    int64_t d = p->delta;
    if (d == 0)
        return;
    m->flow[p->in] += m->state[p->in] * d;
    for (int u = p->first; u != p->join; u = m->parent[u])
        m->flow[m->tree_arc[u]] -= m->tree_arc_dir[u] * d;
    for (int u = p->second; u != p->join; u = m->parent[u])
        m->flow[m->tree_arc[u]] += m->tree_arc_dir[u] * d;
}

/* ---- Moving the subtree that the leaving arc cuts off ---- */

static inline void link(struct mcf *m, int a, int b)
{
    m->preorder_next[a] = b;
    m->preorder_prev[b] = a;
}

/* Records the path u_in .. u_out and each node's subtree before anything
 * moves, because the new preorder is spliced from the old one. Returns the
 * index of u_out in the path. */
static int record_path(struct mcf *m, const struct pivot *p)
{
    int k = 0;
    for (int u = p->u_in;; u = m->parent[u], k++) {
        m->path[k] = u;
        m->path_last[k] = m->subtree_last[u];
        m->path_before[k] = m->preorder_prev[u];
        m->path_after[k] = m->preorder_next[m->subtree_last[u]];
        m->path_size[k] = m->subtree_size[u];
        if (u == p->u_out)
            return k;
    }
}

/* Takes the subtree of u_out out of the preorder and out of the sizes and
 * last nodes of its ancestors up to the apex (sizes above stay). */
static void cut_subtree(struct mcf *m, const struct pivot *p, int k)
{
    int before = m->path_before[k], last = m->path_last[k], size = m->path_size[k];
    link(m, before, m->path_after[k]);
    for (int x = m->parent[p->u_out]; x != p->join; x = m->parent[x])
        m->subtree_size[x] -= size;
    for (int x = m->parent[p->u_out]; x >= 0 && m->subtree_last[x] == last; x = m->parent[x])
        m->subtree_last[x] = before;
}

/* Rewrites the preorder of the cut-off subtree for its new root u_in.
 * Each path node p[i] brings what it had except p[i-1]'s subtree: the run
 * from p[i] to just before p[i-1], and the run after p[i-1]'s subtree to
 * its own last node. Returns the last node of the new order. */
static int rethread_subtree(struct mcf *m, int k)
{
    int tail = m->path_last[0];
    for (int i = 1; i <= k; i++) {
        link(m, tail, m->path[i]);
        if (m->path_last[i - 1] != m->path_last[i]) {
            link(m, m->path_before[i - 1], m->path_after[i - 1]);
            tail = m->path_last[i];
        } else {
            tail = m->path_before[i - 1];
        }
    }
    return tail;
}

/* Turns the path upside down: each node's tree arc is the one its old
 * child on the path had, now pointing the other way. */
static void reverse_path(struct mcf *m, const struct pivot *p, int k, int last)
{
    int size = m->path_size[k];
    for (int i = k; i >= 1; i--) {
        int u = m->path[i], below = m->path[i - 1];
        m->parent[u] = below;
        m->tree_arc[u] = m->tree_arc[below];
        m->tree_arc_dir[u] = (signed char)-m->tree_arc_dir[below];
        m->subtree_size[u] = size - m->path_size[i - 1];
        m->subtree_last[u] = last;
    }
    int u = p->u_in;
    m->parent[u] = p->v_in;
    m->tree_arc[u] = p->in;
    m->tree_arc_dir[u] = m->source[p->in] == u ? TO_PARENT : FROM_PARENT;
    m->subtree_size[u] = size;
    m->subtree_last[u] = last;
}

/* Hangs the subtree, now rooted at u_in, right after v_in in the preorder. */
static void paste_subtree(struct mcf *m, const struct pivot *p, int k, int last)
{
    int v = p->v_in, size = m->path_size[k];
    int next = m->preorder_next[v];
    link(m, v, p->u_in);
    link(m, last, next);
    for (int x = v; x != p->join; x = m->parent[x])
        m->subtree_size[x] += size;
    if (m->subtree_last[v] == v)
        for (int x = v; x >= 0 && m->subtree_last[x] == v; x = m->parent[x])
            m->subtree_last[x] = last;
}

/* Shifts the moved subtree's potentials so the entering arc costs 0. */
static void shift_potentials(struct mcf *m, const struct pivot *p, int size)
{
    size_t in = p->in;
    int64_t reduced = m->cost[in] + m->potential[m->source[in]] - m->potential[m->target[in]];
    int64_t sigma = m->source[in] == p->u_in ? -reduced : reduced;
    int u = p->u_in;
    for (int i = 0; i < size; i++, u = m->preorder_next[u])
        m->potential[u] += sigma;
}

static void change_tree(struct mcf *m, const struct pivot *p)
{
    size_t out = m->tree_arc[p->u_out];
    m->state[p->in] = STATE_TREE;
    m->state[out] = m->flow[out] == 0 ? STATE_LOWER : STATE_UPPER;
    int k = record_path(m, p);
    cut_subtree(m, p, k);
    int last = rethread_subtree(m, k);
    reverse_path(m, p, k, last);
    paste_subtree(m, p, k, last);
    shift_potentials(m, p, m->path_size[k]);
}

/* One pivot on entering arc `in`; -1 when the cycle has no bound at all. */
static int pivot(struct mcf *m, size_t in)
{
    struct pivot p = {.in = in};
    if (m->state[in] == STATE_LOWER) {
        p.first = m->source[in];
        p.second = m->target[in];
    } else {
        p.first = m->target[in];
        p.second = m->source[in];
    }
    p.join = find_join(m, p.first, p.second);
    m->pivots++;
    find_leaving_arc(m, &p);
    if (p.delta == MCF_UNLIMITED)
        return -1;
    push_round_cycle(m, &p);
    if (p.u_out < 0)
        m->state[in] = (signed char)-m->state[in];
    else
        change_tree(m, &p);
    return 0;
}

/* ---- Solving ---- */

static int supplies_balance(const struct mcf *m)
{
    int64_t sum = 0;
    for (int u = 0; u < m->nodes; u++) {
        int64_t s = m->supply[u];
        if ((s > 0 && sum > INT64_MAX - s) || (s < 0 && sum < INT64_MIN - s))
            return 0;
        sum += s;
    }
    return sum == 0;
}

static int uses_artificial_arcs(const struct mcf *m)
{
    for (int u = 0; u < m->nodes; u++)
        if (m->flow[m->arcs + (size_t)u] != 0)
            return 1;
    return 0;
}

static int64_t sum_cost(const struct mcf *m)
{
    int64_t total = 0;
    for (size_t e = 0; e < m->arcs; e++)
        total += m->flow[e] * m->cost[e];
    return total;
}

static enum mcf_result run_simplex(struct mcf *m)
{
    build_initial_tree(m);
    size_t in;
    while ((in = find_entering_arc(m)) != SIZE_MAX)
        if (pivot(m, in) < 0)
            return MCF_UNBOUNDED;
    return uses_artificial_arcs(m) ? MCF_INFEASIBLE : MCF_OPTIMAL;
}

enum mcf_result mcf_solve(struct mcf *m)
{
    m->total_cost = 0;
    if (grow_arcs(m, m->arcs + (size_t)m->nodes) < 0)
        return MCF_NOMEM;
    if (!supplies_balance(m))
        return MCF_INFEASIBLE;
    /* As roomy as the arc arrays, because the spares take their place. */
    size_t room = m->arcs_alloc > 0 ? m->arcs_alloc : 1;
    struct spare sp = {malloc(room * sizeof *sp.ints), malloc(room * sizeof *sp.wides)};
    if (!sp.ints || !sp.wides) {
        free(sp.ints);
        free(sp.wides);
        return MCF_NOMEM;
    }
    mix_arcs(m, &sp, 0);
    enum mcf_result r = run_simplex(m);
    mix_arcs(m, &sp, 1);
    free(sp.ints);
    free(sp.wides);
    if (r == MCF_OPTIMAL)
        m->total_cost = sum_cost(m);
    return r;
}
