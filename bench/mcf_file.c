/* mcf_file: times mcf_solve on a DIMACS min-cost-flow file, such as the
 * build/bench/stress.min that `make bench` leaves, so that the solver can
 * be measured on the matcher's real networks and checked against LEMON.
 *
 * Built by `make bench` (not part of `make check`). Run:
 *   build/bench/mcf_file build/bench/stress.min
 *   dimacs-solver -long build/bench/stress.min
 *
 * Prints the objective, which must equal dimacs-solver's "Min flow cost",
 * the solve time and the pivot count. Reads the "p min", "n" and "a" lines (nodes numbered from 1);
 * arcs must have lower bound 0, and "c" lines are skipped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/mcf.h"

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One "n" or "a" line into the network; -1 with a message when malformed. */
static int read_line(struct mcf **net, const char *line, const char *path, long lineno)
{
    long long a, b, low, cap, cost;
    size_t arcs;
    switch (line[0]) {
    case 'p':
        if (*net || sscanf(line, "p min %lld %zu", &a, &arcs) != 2 || a <= 0 || a >= INT32_MAX)
            break;
        *net = mcf_new((int)a, arcs);
        if (!*net) {
            fprintf(stderr, "%s: out of memory for %lld nodes\n", path, a);
            return -1;
        }
        return 0;
    case 'n':
        if (!*net || sscanf(line, "n %lld %lld", &a, &b) != 2 || a < 1 || a > mcf_nodes(*net))
            break;
        mcf_set_supply(*net, (int)a - 1, b);
        return 0;
    case 'a':
        if (!*net || sscanf(line, "a %lld %lld %lld %lld %lld", &a, &b, &low, &cap, &cost) != 5 ||
            low != 0 || a < 1 || b < 1 || a > mcf_nodes(*net) || b > mcf_nodes(*net))
            break;
        if (mcf_add_arc(*net, (int)a - 1, (int)b - 1, cap, cost) < 0) {
            fprintf(stderr, "%s line %ld: cannot add the arc (out of memory?)\n", path, lineno);
            return -1;
        }
        return 0;
    case 'c':
    case '\n':
    case '\0':
        return 0;
    }
    fprintf(stderr,
            "%s line %ld: not a DIMACS min-cost-flow line (want \"p min N M\" first, then "
            "\"n id supply\" and \"a u v 0 cap cost\")\n",
            path, lineno);
    return -1;
}

static struct mcf *read_dimacs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    struct mcf *net = NULL;
    char line[256];
    long lineno = 0;
    int failed = 0;
    while (!failed && fgets(line, sizeof line, f))
        failed = read_line(&net, line, path, ++lineno) < 0;
    if (!failed && ferror(f)) {
        perror(path);
        failed = 1;
    }
    fclose(f);
    if (!failed && !net)
        fprintf(stderr, "%s: no \"p min\" line\n", path);
    if (failed)
        mcf_destroy(&net);
    return net;
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
    if (argc != 2) {
        fprintf(stderr, "usage: mcf_file file.min\n");
        return 2;
    }
    double t0 = seconds_now();
    struct mcf *net = read_dimacs(argv[1]);
    if (!net)
        return 1;
    double t1 = seconds_now();
    printf("nodes %d arcs %zu (read in %.3f s)\n", mcf_nodes(net), mcf_arcs(net), t1 - t0);
    enum mcf_result r = mcf_solve(net);
    double t2 = seconds_now();
    printf("result %s objective %lld solve %.3f s pivots %zu\n", result_name(r),
           (long long)(r == MCF_OPTIMAL ? mcf_total_cost(net) : 0), t2 - t1, mcf_pivots(net));
    mcf_destroy(&net);
    return r == MCF_OPTIMAL ? 0 : 1;
}
