/* cmd_match: the matcher offline. Reads an instance file, prints the
 * pool-wide optimum, explains it, and writes the same problem as a DIMACS
 * min-cost-flow file that any standard solver can check. No node needed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "match/assign.h"
#include "cmd.h"
#include "match/instance.h"
#include "out.h"

#define INSTANCE_MAX (1024L * 1024 * 1024)
#define ALTERNATES   3

enum { F_INSTANCE = 1, F_EXPLAIN, F_DIMACS, F_TIMING };

static const struct flag match_flags[] = {
    {F_INSTANCE, "instance", "FILE", "the problem, as JSON (see docs/matching.md)"},
    {F_EXPLAIN, "explain", NULL,
     "add, per case, each chosen mediator's cost term by term, the next best eligible "
     "alternates and why the others were excluded"},
    {F_DIMACS, "dimacs", "OUT", "also write the problem as a DIMACS min-cost-flow file"},
    {F_TIMING, "timing", NULL, "print the time of each stage to stderr"},
    {0, NULL, NULL, NULL},
};

struct match_opts {
    const char *instance;
    const char *dimacs;
    bool explain;
    bool timing;
};

static bool match_flag(struct args *a, void *opts, int key)
{
    struct match_opts *o = opts;
    switch (key) {
    case F_INSTANCE:
        o->instance = a->value;
        return true;
    case F_DIMACS:
        o->dimacs = a->value;
        return true;
    case F_EXPLAIN:
        o->explain = true;
        return true;
    default:
        o->timing = true;
        return true;
    }
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The whole file, NUL-terminated; NULL with a message printed. */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        out_error(RC_ERROR, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *grown = cap <= (size_t)INSTANCE_MAX ? realloc(buf, cap) : NULL;
            if (!grown) {
                out_error(RC_ERROR, "%s is too large to read", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        out_error(RC_ERROR, "cannot read %s: %s", path, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int write_dimacs(const char *path, const struct assign *a)
{
    const struct mcf *net = assign_network(a);
    FILE *f = fopen(path, "w");
    if (!f) {
        out_error(RC_ERROR, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    fprintf(f, "c mediatorpool batch round as a min-cost flow problem\n");
    fprintf(f, "p min %d %zu\n", mcf_nodes(net), mcf_arcs(net));
    for (int v = 0; v < mcf_nodes(net); v++)
        if (mcf_supply(net, v) != 0)
            fprintf(f, "n %d %lld\n", v + 1, (long long)mcf_supply(net, v));
    for (size_t i = 0; i < mcf_arcs(net); i++) {
        int from, to;
        int64_t cap, cost;
        assign_arc(a, i, &from, &to, &cap, &cost);
        fprintf(f, "a %d %d 0 %lld %lld\n", from + 1, to + 1, (long long)cap, (long long)cost);
    }
    if (fclose(f) != 0) {
        out_error(RC_ERROR, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static json_t *cost_json(const struct match_cost *c)
{
    char why[512];
    match_explain(c, why, sizeof why);
    return json_pack("{sIsIsIsIsIsIsIsIss}", "distance_km", (json_int_t)c->distance_km, "distance",
                     (json_int_t)c->distance, "specialty", (json_int_t)c->specialty, "balance",
                     (json_int_t)c->balance, "recent_requester", (json_int_t)c->recent,
                     "needs_cases", (json_int_t)c->needs_cases, "load", (json_int_t)c->load,
                     "total", (json_int_t)c->total, "why", why);
}

/* Alternates and the exclusion histogram of one case, from the shortlist
 * ranking over all mediators: the same rules, reported rule by rule. */
static json_t *explain_case(const struct instance *in, size_t ci, const struct assign_pick *picks,
                            size_t npicks)
{
    const struct match_case *c = &in->cases[ci];
    struct match_ranked ranked[ALTERNATES + 2];
    unsigned hist[MATCH_REASON_COUNT];
    size_t n = match_shortlist(c, in->mediators, in->n_mediators, &in->weights, ranked,
                               ALTERNATES + 2, hist);
    json_t *chosen = json_array(), *alternates = json_array(), *excluded = json_object();
    for (size_t i = 0; i < npicks; i++)
        json_array_append_new(chosen,
                              json_pack("{ssso}", "mediator", in->mediators[picks[i].mediator].id,
                                        "cost", cost_json(&picks[i].cost)));
    for (size_t i = 0; i < n && json_array_size(alternates) < ALTERNATES; i++) {
        bool picked = false;
        for (size_t p = 0; p < npicks; p++)
            picked |= picks[p].mediator == ranked[i].mediator;
        if (!picked)
            json_array_append_new(alternates, json_pack("{ssso}", "mediator",
                                                        in->mediators[ranked[i].mediator].id,
                                                        "cost", cost_json(&ranked[i].cost)));
    }
    for (int r = 1; r < MATCH_REASON_COUNT; r++)
        if (hist[r])
            json_object_set_new(excluded, match_reason_code((enum match_reason)r),
                                json_integer(hist[r]));
    char summary[600];
    match_histogram_text(hist, in->n_mediators, summary, sizeof summary);
    return json_pack("{sssosososs}", "case", c->id, "chosen", chosen, "alternates", alternates,
                     "excluded", excluded, "summary", summary);
}

/* Case indices in id order, which is the order of the answer. */
static int by_case_id(const void *a, const void *b)
{
    return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

static size_t *case_order(const struct instance *in)
{
    const char **ids = malloc((in->n_cases ? in->n_cases : 1) * sizeof *ids);
    const char ***refs = malloc((in->n_cases ? in->n_cases : 1) * sizeof *refs);
    size_t *order = malloc((in->n_cases ? in->n_cases : 1) * sizeof *order);
    if (ids && refs && order) {
        for (size_t i = 0; i < in->n_cases; i++) {
            ids[i] = in->cases[i].id;
            refs[i] = &ids[i];
        }
        qsort(refs, in->n_cases, sizeof *refs, by_case_id);
        for (size_t i = 0; i < in->n_cases; i++)
            order[i] = (size_t)(refs[i] - ids);
    } else {
        free(order);
        order = NULL;
    }
    free(ids);
    free(refs);
    return order;
}

static json_t *answer(const struct instance *in, struct assign *a, bool explain)
{
    size_t *order = case_order(in);
    if (!order)
        return NULL;
    json_t *assignments = json_array(), *unfilled = json_array(), *why = json_array();
    for (size_t k = 0; k < in->n_cases; k++) {
        size_t ci = order[k];
        struct assign_pick picks[2];
        size_t n = assign_picks(a, ci, picks);
        json_t *ids = json_array();
        for (size_t p = 0; p < n; p++)
            json_array_append_new(ids, json_string(in->mediators[picks[p].mediator].id));
        if (n > 0)
            json_array_append_new(assignments,
                                  json_pack("{ssso}", "case", in->cases[ci].id, "mediators", ids));
        else
            json_decref(ids);
        if (assign_unfilled(a, ci) > 0)
            json_array_append_new(unfilled, json_pack("{sssi}", "case", in->cases[ci].id, "seats",
                                                      assign_unfilled(a, ci)));
        if (explain)
            json_array_append_new(why, explain_case(in, ci, picks, n));
    }
    free(order);
    json_t *out = json_pack("{sIsoso}", "objective", (json_int_t)assign_objective(a), "assignments",
                            assignments, "unfilled", unfilled);
    if (explain)
        json_object_set_new(out, "explain", why);
    else
        json_decref(why);
    return out;
}

static void print_explained(const json_t *e)
{
    size_t i;
    const json_t *x;
    out_line("  %s", out_str(e, "summary"));
    json_array_foreach(json_object_get(e, "chosen"), i, x)
    {
        out_line("  chosen     %s: %s", out_str(x, "mediator"),
                 out_str(json_object_get(x, "cost"), "why"));
    }
    json_array_foreach(json_object_get(e, "alternates"), i, x)
    {
        out_line("  alternate  %s: %s", out_str(x, "mediator"),
                 out_str(json_object_get(x, "cost"), "why"));
    }
}

static void print_answer(const json_t *r)
{
    size_t i;
    const json_t *x;
    char ids[512];
    out_line("objective %lld", (long long)json_integer_value(json_object_get(r, "objective")));
    json_array_foreach(json_object_get(r, "assignments"), i, x)
    {
        out_join(json_object_get(x, "mediators"), ids, sizeof ids);
        out_line("%s  %s", out_str(x, "case"), ids);
    }
    json_array_foreach(json_object_get(r, "unfilled"), i, x)
    {
        out_line("%s  unfilled: %lld seat(s)", out_str(x, "case"),
                 (long long)json_integer_value(json_object_get(x, "seats")));
    }
    json_array_foreach(json_object_get(r, "explain"), i, x)
    {
        out_line("%s", "");
        out_line("case %s", out_str(x, "case"));
        print_explained(x);
    }
}

static int solve_and_print(const struct cli *cli, const struct match_opts *o,
                           const struct instance *in, double t_read)
{
    double t0 = seconds();
    char err[256];
    struct assign *a = assign_build(in->cases, in->n_cases, in->mediators, in->n_mediators,
                                    &in->weights, err, sizeof err);
    if (!a) {
        out_error(RC_ERROR, "%s", err);
        return RC_ERROR;
    }
    double t1 = seconds();
    enum mcf_result r = assign_run(a);
    double t2 = seconds();
    int rc = RC_OK;
    if (r != MCF_OPTIMAL) {
        /* Every seat may stay empty, so a well-formed instance always has an optimum. */
        out_error(RC_ERROR, "the solver found no optimum (%d); this is a bug", (int)r);
        rc = RC_ERROR;
    } else if (o->dimacs && write_dimacs(o->dimacs, a) < 0) {
        rc = RC_ERROR;
    } else {
        json_t *out = answer(in, a, o->explain);
        if (!out) {
            out_error(RC_ERROR, "out of memory writing the answer");
            assign_destroy(&a);
            return RC_ERROR;
        }
        if (cli->json)
            out_json(out);
        else
            print_answer(out);
        json_decref(out);
    }
    if (o->timing)
        fprintf(stderr,
                "timing: read %.3f s, rules and costs %.3f s, solve %.3f s, write %.3f s; "
                "%zu eligible pairs, %d nodes, %zu arcs\n",
                t_read, t1 - t0, t2 - t1, seconds() - t2, assign_eligible_pairs(a),
                mcf_nodes(assign_network(a)), mcf_arcs(assign_network(a)));
    assign_destroy(&a);
    return rc;
}

static int match(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct match_opts o = {0};
    int rc;
    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, match_flag, &o, &rc))
        return rc;
    if (!o.instance)
        return args_fail(&a, "--instance FILE is required");
    double t0 = seconds();
    size_t len = 0;
    char *text = read_file(o.instance, &len);
    if (!text)
        return RC_USAGE;
    struct instance in;
    char err[512];
    int parsed = instance_parse(text, len, &in, err, sizeof err);
    free(text);
    if (parsed < 0) {
        out_error(RC_ERROR, "%s: %s", o.instance, err);
        return RC_USAGE;
    }
    rc = solve_and_print(cli, &o, &in, seconds() - t0);
    instance_free(&in);
    return rc;
}

const struct command match_commands[] = {
    {NULL, "match", "",
     "Finds the pool-wide optimal assignment of an instance file, offline; no node needed.",
     match_flags, match, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
