/* cmd_pool: the coordinator's view of the whole pool, and the override. */
#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "out.h"

enum { F_REASON = 1 };

static const struct flag no_flags[] = {{0, NULL, NULL, NULL}};

/* No flags of its own, no arguments, then op; prints with print. */
static int pool_query(struct cli *cli, const struct command *cmd, int argc, char **argv,
                      const char *op, void (*print)(const json_t *result))
{
    struct args a;
    struct reply r;
    char where[32];
    int key;

    snprintf(where, sizeof where, "pool %s", cmd->name);
    args_init(&a, cli, where, cmd, argc, argv);
    while ((key = args_next(&a)) > 0)
        ;
    if (key != ARGS_END)
        return args_exit(key);
    if (!args_positional(&a, 0, 0, "", NULL))
        return RC_USAGE;
    json_t *args = json_object();
    int rc = cli_call(cli, op, args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        print(r.result);
    reply_free(&r);
    return RC_OK;
}

/* ---- pool status ---- */

static void print_status(const json_t *result)
{
    json_t *cases = json_object_get(result, "cases");
    const json_t *mediators = json_object_get(result, "mediators");
    const char *state;
    json_t *v;
    size_t i;
    char open[32], capacity[32];

    struct table *t = table_new(2, "STATE", "CASES");
    json_object_foreach(cases, state, v)
    {
        out_number(v, open, sizeof open);
        table_row(t, state, open);
    }
    if (table_rows(t) == 0)
        out_line("cases: none");
    else
        table_print(t, "");
    table_free(t);

    out_line("%s", "");
    t = table_new(3, "MEDIATOR", "OPEN CASES", "CAPACITY");
    json_array_foreach(mediators, i, v)
    {
        out_number(json_object_get(v, "open_cases"), open, sizeof open);
        out_number(json_object_get(v, "capacity"), capacity, sizeof capacity);
        table_row(t, out_str(v, "mediator_id"), open, capacity);
    }
    if (table_rows(t) == 0)
        out_line("mediators: none registered");
    else
        table_print(t, "");
    table_free(t);
}

static int pool_status(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return pool_query(cli, cmd, argc, argv, "pool.status", print_status);
}

/* ---- pool ledger ---- */

static void print_ledger(const json_t *result)
{
    const json_t *rows = json_object_get(result, "municipalities");
    const json_t *m;
    size_t i;
    char given[32], received[32], balance[32];

    if (json_array_size(rows) == 0) {
        out_line("no hours in the ledger yet");
        return;
    }
    struct table *t =
        table_new(5, "MUNICIPALITY", "NAME", "GIVEN (H)", "RECEIVED (H)", "BALANCE (H)");
    json_array_foreach(rows, i, m)
    {
        out_hours(out_int(m, "given_minutes"), false, given, sizeof given);
        out_hours(out_int(m, "received_minutes"), false, received, sizeof received);
        out_hours(out_int(m, "balance_minutes"), true, balance, sizeof balance);
        table_row(t, out_str(m, "id"), out_str(m, "name"), given, received, balance);
    }
    table_print(t, "");
    table_free(t);
}

static int pool_ledger(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return pool_query(cli, cmd, argc, argv, "pool.ledger", print_ledger);
}

/* ---- pool stuck ---- */

static void print_stuck(const json_t *result)
{
    const json_t *cases = json_object_get(result, "cases");
    const json_t *c;
    size_t i;
    char since[32];

    if (json_array_size(cases) == 0) {
        out_line("no stuck cases");
        return;
    }
    struct table *t = table_new(5, "CASE", "STATE", "REQUESTER", "SINCE (UTC)", "REASON");
    json_array_foreach(cases, i, c)
    {
        out_time(out_int(c, "since_ms"), since, sizeof since);
        table_row(t, out_str(c, "case_id"), out_str(c, "state"), out_str(c, "requester"), since,
                  out_str(c, "reason"));
    }
    table_print(t, "");
    table_free(t);
}

static int pool_stuck(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return pool_query(cli, cmd, argc, argv, "pool.stuck", print_stuck);
}

/* ---- pool override ---- */

static const struct flag override_flags[] = {
    {F_REASON, "reason", "TEXT", "why the coordinator overrides, for the record (required)"},
    {0, NULL, NULL, NULL},
};

static int pool_override(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    const char *reason = NULL;
    int key;

    args_init(&a, cli, "pool override", cmd, argc, argv);
    while ((key = args_next(&a)) > 0) {
        reason = a.value;
        if (!args_text(&a, "--reason", reason))
            return RC_USAGE;
    }
    if (key != ARGS_END)
        return args_exit(key);
    char **pos = args_positional(&a, 2, 2, "CASE and MEDIATOR", NULL);
    if (!pos || !args_case_id(&a, pos[0]) || !args_mediator_id(&a, pos[1]))
        return RC_USAGE;
    if (!reason)
        return args_fail(&a, "--reason is missing; an override is always logged with its reason");
    json_t *args =
        json_pack("{s:s, s:s, s:s}", "case_id", pos[0], "mediator_id", pos[1], "reason", reason);
    int rc = cli_call_print_state(cli, "pool.override", args);
    json_decref(args);
    return rc;
}

const struct command pool_commands[] = {
    {"pool", "status", "", "Shows open cases per state and the load of every mediator.", no_flags,
     pool_status},
    {"pool", "ledger", "", "Shows hours given and received per municipality.", no_flags,
     pool_ledger},
    {"pool", "stuck", "", "Lists cases without progress for too long.", no_flags, pool_stuck},
    {"pool", "override", "CASE MEDIATOR --reason TEXT",
     "Sets the mediator of a case over the normal choice, with a reason that is logged.",
     override_flags, pool_override},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
