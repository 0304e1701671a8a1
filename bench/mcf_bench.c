/* mcf_bench: times mcf_solve on a seeded random network shaped like the
 * batch matcher's stress pool, and can write the same network as a DIMACS
 * min-cost-flow file so LEMON's `dimacs-solver` can solve it too.
 *
 * Build by hand (not part of `make check`):
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -Ishared bench/mcf_bench.c shared/mcf.c -o /tmp/mcf_bench
 * Run:
 *   /tmp/mcf_bench [-c cases] [-m mediators] [-d degree] [-s seed] [-o file.dimacs]
 *   dimacs-solver -long file.dimacs
 *
 * Network: one node per case with supply 1 (or 2 for one case in five),
 * one node per mediator, one sink that takes all supply. Each case has
 * `degree` arcs to distinct random mediators at cost 0..300 (one in ten
 * with a -50 bonus) and an "unassigned" arc to the sink at cost 1000000.
 * Each mediator has 1..3 parallel unit arcs to the sink at costs 0, 40,
 * 80, so the load costs rise with each extra case. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mcf.h"

#define UNASSIGNED_COST 1000000
#define LOAD_STEP       40

struct params {
    int cases, mediators, degree;
    uint64_t seed;
    const char *dimacs;
};

/* splitmix64: a fixed, documented generator, so a seed names one network. */
static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int below(uint64_t *s, int n)
{
    return (int)(next_random(s) % (uint64_t)n);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Arcs from one case to `degree` distinct mediators; `mark` remembers which
 * mediators this case already has. */
static int add_case(struct mcf *net, const struct params *p, int c, uint64_t *rng, int *mark)
{
    int sink = p->cases + p->mediators;
    int64_t seats = below(rng, 5) == 0 ? 2 : 1;
    mcf_set_supply(net, c, seats);
    int degree = p->degree < p->mediators ? p->degree : p->mediators;
    for (int i = 0; i < degree; i++) {
        int med;
        do
            med = below(rng, p->mediators);
        while (mark[med] == c + 1);
        mark[med] = c + 1;
        int64_t cost = below(rng, 301) - (below(rng, 10) == 0 ? 50 : 0);
        if (mcf_add_arc(net, c, p->cases + med, 1, cost) < 0)
            return -1;
    }
    return mcf_add_arc(net, c, sink, seats, UNASSIGNED_COST) < 0 ? -1 : 0;
}

static struct mcf *build_network(const struct params *p)
{
    int sink = p->cases + p->mediators;
    size_t hint = (size_t)p->cases * (size_t)(p->degree + 1) + 3 * (size_t)p->mediators;
    struct mcf *net = mcf_new(sink + 1, hint);
    int *mark = calloc((size_t)p->mediators + 1, sizeof *mark);
    if (!net || !mark)
        goto fail;
    uint64_t rng = p->seed;
    int64_t total = 0;
    for (int c = 0; c < p->cases; c++) {
        if (add_case(net, p, c, &rng, mark) < 0)
            goto fail;
        total += mcf_supply(net, c);
    }
    for (int med = 0; med < p->mediators; med++) {
        int places = 1 + below(&rng, 3);
        for (int i = 0; i < places; i++)
            if (mcf_add_arc(net, p->cases + med, sink, 1, (int64_t)LOAD_STEP * i) < 0)
                goto fail;
    }
    mcf_set_supply(net, sink, -total);
    free(mark);
    return net;
fail:
    free(mark);
    mcf_destroy(&net);
    return NULL;
}

/* DIMACS nodes are numbered from 1. */
static int write_dimacs(const struct mcf *net, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f, "c mcf_bench network\np min %d %zu\n", mcf_nodes(net), mcf_arcs(net));
    for (int u = 0; u < mcf_nodes(net); u++)
        if (mcf_supply(net, u) != 0)
            fprintf(f, "n %d %lld\n", u + 1, (long long)mcf_supply(net, u));
    for (size_t e = 0; e < mcf_arcs(net); e++) {
        int from, to;
        int64_t cap, cost;
        mcf_arc(net, e, &from, &to, &cap, &cost);
        fprintf(f, "a %d %d 0 %lld %lld\n", from + 1, to + 1, (long long)cap, (long long)cost);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, struct params *p)
{
    int opt;
    *p = (struct params){.cases = 10000, .mediators = 10000, .degree = 100, .seed = 1};
    while ((opt = getopt(argc, argv, "c:m:d:s:o:")) != -1) {
        switch (opt) {
        case 'c':
            p->cases = atoi(optarg);
            break;
        case 'm':
            p->mediators = atoi(optarg);
            break;
        case 'd':
            p->degree = atoi(optarg);
            break;
        case 's':
            p->seed = strtoull(optarg, NULL, 10);
            break;
        case 'o':
            p->dimacs = optarg;
            break;
        default:
            return -1;
        }
    }
    return p->cases > 0 && p->mediators > 0 && p->degree >= 0 ? 0 : -1;
}

static const char *result_name(enum mcf_result r)
{
    switch (r) {
    case MCF_OPTIMAL:
        return "optimal";
    case MCF_INFEASIBLE:
        return "infeasible";
    case MCF_UNBOUNDED:
        return "unbounded";
    case MCF_NOMEM:
        return "out of memory";
    }
    return "?";
}

int main(int argc, char **argv)
{
    struct params p;
    if (parse_args(argc, argv, &p) < 0) {
        fprintf(stderr, "usage: mcf_bench [-c cases] [-m mediators] [-d degree] [-s seed] "
                        "[-o file.dimacs]\n");
        return 2;
    }
    double t0 = seconds_now();
    struct mcf *net = build_network(&p);
    if (!net) {
        fprintf(stderr, "mcf_bench: out of memory building the network\n");
        return 1;
    }
    double t1 = seconds_now();
    printf("nodes %d arcs %zu (built in %.3f s)\n", mcf_nodes(net), mcf_arcs(net), t1 - t0);
    if (p.dimacs && write_dimacs(net, p.dimacs) < 0) {
        mcf_destroy(&net);
        return 1;
    }
    t1 = seconds_now();
    enum mcf_result r = mcf_solve(net);
    double t2 = seconds_now();
    printf("result %s objective %lld solve %.3f s\n", result_name(r),
           (long long)(r == MCF_OPTIMAL ? mcf_total_cost(net) : 0), t2 - t1);
    mcf_destroy(&net);
    return r == MCF_OPTIMAL ? 0 : 1;
}
