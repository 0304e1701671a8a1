/* cmd_pool: the coordinator's view of the whole pool, and the override. */
#include <stdio.h>

#include "args.h"
#include "case_op.h"
#include "cmd.h"
#include "out.h"
#include "page.h"
#include "wire/names.h"

/* ---- pool status ---- */

static void mediator_load_row(struct table *t, size_t i, const json_t *m)
{
    char open[32], capacity[32];

    (void)i;
    out_number(json_object_get(m, "open_cases"), open, sizeof open);
    out_number(json_object_get(m, "capacity"), capacity, sizeof capacity);
    table_row(t, out_str(m, "mediator_id"), out_or(out_str(m, "display_name"), "-"), open,
              capacity);
}

static void print_status(const json_t *result, const void *ctx)
{
    json_t *cases = json_object_get(result, "cases");
    const char *state;
    json_t *v;
    char count[32];

    (void)ctx;
    struct table *t = table_new(2, "STATE", "CASES");
    json_object_foreach(cases, state, v)
    {
        out_number(v, count, sizeof count);
        table_row(t, case_state_words(state), count);
    }
    table_finish(t, NULL, "", "cases: none");

    out_line("%s", "");
    t = table_new(4, "MEDIATOR", "NAME", "OPEN CASES", "CAPACITY");
    table_add_each(t, json_object_get(result, "mediators"), mediator_load_row);
    table_finish(t, NULL, "", "mediators: none registered");
    out_page(result, json_array_size(json_object_get(result, "mediators")), "mpool pool status");
}

static const struct flag status_flags[] = {
    PAGE_FLAGS("mediators"),
    {0, NULL, NULL, NULL},
};

static bool status_flag(struct args *a, void *opts, int key)
{
    bool ok = true;
    page_flag(a, opts, key, &ok);
    return ok;
}

static int pool_status(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct page_opts page = {0, 0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, status_flag, &page, &rc))
        return rc;
    json_t *args = json_object();
    page_args(args, &page);
    return cli_request(cli, "pool.status", args, print_status, NULL);
}

/* ---- pool ledger ---- */

static void ledger_row(struct table *t, size_t i, const json_t *m)
{
    char given[32], received[32], balance[32];

    (void)i;
    out_hours(out_int(m, "given_minutes"), false, given, sizeof given);
    out_hours(out_int(m, "received_minutes"), false, received, sizeof received);
    out_hours(out_int(m, "balance_minutes"), true, balance, sizeof balance);
    table_row(t, out_str(m, "id"), out_str(m, "name"), given, received, balance);
}

static void print_ledger(const json_t *result, const void *ctx)
{
    (void)ctx;
    struct table *t =
        table_new(5, "MUNICIPALITY", "NAME", "GIVEN (H)", "RECEIVED (H)", "BALANCE (H)");
    table_add_each(t, json_object_get(result, "municipalities"), ledger_row);
    table_finish(t, NULL, "", "no hours in the ledger yet");
}

static int pool_ledger(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return cli_query(cli, cmd, argc, argv, "pool.ledger", print_ledger, NULL);
}

/* ---- pool stuck ---- */

static void stuck_row(struct table *t, size_t i, const json_t *c)
{
    char since[32], by[48] = "";

    (void)i;
    out_time(out_int(c, "since_ms"), since, sizeof since);
    if (json_is_string(json_object_get(c, "decide_by")))
        snprintf(by, sizeof by, "%s (%lld days)%s", out_str(c, "decide_by"),
                 (long long)out_int(c, "days_left"),
                 json_is_true(json_object_get(c, "at_risk")) ? " at risk" : "");
    table_row(t, out_str(c, "case_id"), case_state_words(out_str(c, "state")),
              out_str(c, "requester"), since, by, out_str(c, "reason"));
}

static void print_stuck(const json_t *result, const void *ctx)
{
    (void)ctx;
    struct table *t =
        table_new(6, "CASE", "STATE", "REQUESTER", "SINCE (UTC)", "DECIDE BY", "LAST STEP");
    table_add_each(t, json_object_get(result, "cases"), stuck_row);
    table_finish(t, NULL, "", "no stuck cases and none at risk");
    out_page(result, json_array_size(json_object_get(result, "cases")), "mpool pool stuck");
}

static int pool_stuck(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return within_request(cli, cmd, argc, argv, "pool.stuck", print_stuck);
}

/* ---- pool round ---- */

static void print_round(const json_t *result, const void *ctx)
{
    size_t i;
    const json_t *a;
    char ids[512];

    (void)ctx;
    out_line("batch round %lld: objective %lld", (long long)out_int(result, "round"),
             (long long)out_int(result, "objective"));
    json_array_foreach(json_object_get(result, "assignments"), i, a)
    {
        out_join(json_object_get(a, "mediators"), ids, sizeof ids);
        out_line("  %s  %s", out_str(a, "case"), ids[0] ? ids : "(no one)");
    }
    if (json_array_size(json_object_get(result, "assignments")) == 0)
        out_line("  no case is waiting for a choice");
}

static int pool_round(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return cli_query(cli, cmd, argc, argv, "pool.round", print_round, NULL);
}

/* ---- pool override ---- */

static const struct flag override_flags[] = {
    {CF_REASON, "reason", "TEXT",
     "why the coordinator overrides, for its own record (required); the municipalities are told "
     "only that it overrode"},
    CASE_GIVEN_FLAG,
    {CF_REPLACE, "replace", "MEDIATOR",
     "the mediator whose seat the new one takes, for a case with two mediators"},
    {0, NULL, NULL, NULL},
};

static json_t *override_args(char *const *ids, const struct case_flags *f)
{
    json_t *args = case_given_args(ids, 2, f);
    if (args && f->replace)
        json_object_set_new(args, "replace", json_string(f->replace));
    return args;
}

/* The coordinator's own words stay in its records; the nodes are told
 * only that it overrode. */
static int override_check(const struct args *a, const struct case_flags *f)
{
    if (!f->reason)
        return args_fail(a, "--reason is missing; an override is always recorded with its reason");
    return RC_OK;
}

static const struct case_op override_op = {"pool.override", 2,    NULL, override_check,
                                           override_args,   NULL, false};

const struct command pool_commands[] = {
    {"pool", "status", "[--limit N] [--after N]",
     "Shows open cases per state and the load of every mediator.", status_flags, pool_status, NULL},
    {"pool", "ledger", "", "Shows hours given and received per municipality.", args_no_flags,
     pool_ledger, NULL},
    {"pool", "stuck", "[--within DAYS] [--limit N] [--after N]",
     "Lists escalated cases, cases without progress for too long, and cases at risk: a legal "
     "decision date within DAYS (default 14) and no mediator on it yet.",
     within_flags, pool_stuck, NULL},
    {"pool", "round", "",
     "Runs a batch round: the pool-wide optimum over all cases waiting for a choice becomes "
     "each case's first proposal.",
     args_no_flags, pool_round, NULL},
    {"pool", "override", "CASE MEDIATOR --reason TEXT [--hours H] [--replace MEDIATOR]",
     "Sets the mediator of a case over the normal choice, also of one in mediation, with a "
     "reason kept in the coordinator's record of the case.",
     override_flags, case_op_command, &override_op},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
