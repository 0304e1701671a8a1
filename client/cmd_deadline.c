/* cmd_deadline: a case's legal decision date, moved by HR, and the cases
 * whose date comes near. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "base/deadline.h"
#include "cmd.h"
#include "out.h"
#include "page.h"
#include "wire/names.h"

enum { F_POSTPONE = 1, F_SUSPEND, F_EXTEND, F_CODE, F_WITHIN };

static const struct flag deadline_flags[] = {
    {F_POSTPONE, "postpone", "DAYS|Nw",
     "the one postponement the law allows (objection: at most 6w; complaint: 4w)"},
    {F_SUSPEND, "suspend", "DAYS",
     "objection: days the period stood still while an omission "
     "was repaired (Awb 7:10(2))"},
    {F_EXTEND, "extend", "DAYS|Nw", "objection: a further postponement the objector consented to"},
    {F_CODE, "reason-code", "CODE", "why (required): " DEADLINE_MOVE_CODES_TEXT},
    {0, NULL, NULL, NULL},
};

struct move {
    long postpone, suspend, extend;
    const char *code;
};

/* "30" days, or "6w" weeks. */
static bool days_flag(struct args *a, const char *name, long *days)
{
    size_t len = strlen(a->value);
    bool weeks = len > 1 && a->value[len - 1] == 'w';
    char text[16];
    snprintf(text, sizeof text, "%.*s", (int)(weeks ? len - 1 : len), a->value);
    if (!args_long(a, name, text, 1, weeks ? 52 : 365, days))
        return false;
    *days *= weeks ? 7 : 1;
    return true;
}

static bool move_flag(struct args *a, void *opts, int key)
{
    struct move *m = opts;

    switch (key) {
    case F_POSTPONE:
        return days_flag(a, "--postpone", &m->postpone);
    case F_SUSPEND:
        return args_long(a, "--suspend", a->value, 1, 365, &m->suspend);
    case F_EXTEND:
        return days_flag(a, "--extend", &m->extend);
    default:
        m->code = a->value;
        return args_enum(a, "--reason-code", a->value, deadline_move_codes);
    }
}

static void print_moved(const json_t *result, const void *ctx)
{
    (void)ctx;
    out_line("%s: decide by %s (%lld days left)", out_str(result, "case_id"),
             out_str(result, "decide_by"), (long long)out_int(result, "days_left"));
}

/* Without a move: the date as it stands, and how it may move. */
static void print_date(const json_t *c, const void *ctx)
{
    (void)ctx;
    const json_t *d = json_object_get(c, "deadline");
    const char *id = out_str(c, "case_id");
    if (!json_is_object(d)) {
        out_line("case %s runs inside no decision period", id);
        return;
    }
    bool internal = strcmp(out_str(d, "kind"), "internal") == 0;
    out_line("case %s: decide by %s (%lld days left); %s", id, out_str(d, "decide_by"),
             (long long)out_int(d, "days_left"),
             internal ? "the pool's own target, not a legal date" : "a legal decision date");
    out_line("to move it by two weeks, for example: mpool case deadline %s --postpone 2w "
             "--reason-code complex-case (the reasons: %s)",
             id, DEADLINE_MOVE_CODES_TEXT);
}

static int case_deadline(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct move m = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags(&a, move_flag, &m, &rc))
        return rc;
    char **ids = args_ids(&a, 1);
    if (!ids)
        return RC_USAGE;
    /* The command a notice names, CASE alone, shows the date. */
    if (!m.code && !m.postpone && !m.suspend && !m.extend)
        return cli_request(cli, "case.show", json_pack("{s:s}", "case_id", ids[0]), print_date,
                           NULL);
    if (!m.code)
        return args_fail(&a, "--reason-code is missing; say why the date moves");
    if (!m.postpone && !m.suspend && !m.extend)
        return args_fail(&a, "give --postpone, --suspend or --extend");
    json_t *args = json_pack("{s:s, s:s}", "case_id", ids[0], "reason_code", m.code);
    if (m.postpone)
        json_object_set_new(args, "postpone_days", json_integer(m.postpone));
    if (m.suspend)
        json_object_set_new(args, "suspend_days", json_integer(m.suspend));
    if (m.extend)
        json_object_set_new(args, "consented_days", json_integer(m.extend));
    return cli_request(cli, "case.deadline", args, print_moved, NULL);
}

const struct flag within_flags[] = {
    {F_WITHIN, "within", "DAYS", "cases to decide within this many days (default 14)"},
    PAGE_FLAGS("cases"),
    {0, NULL, NULL, NULL},
};

bool within_flag(struct args *a, void *opts, int key)
{
    struct within *w = opts;
    bool ok = true;
    if (page_flag(a, &w->page, key, &ok))
        return ok;
    return args_long(a, "--within", a->value, 0, 3650, &w->days);
}

static void due_row(struct table *t, size_t i, const json_t *c)
{
    char left[16];

    (void)i;
    snprintf(left, sizeof left, "%lld", (long long)out_int(c, "days_left"));
    table_row(t, out_str(c, "case_id"), case_state_words(out_str(c, "state")), out_str(c, "kind"),
              out_str(c, "decide_by"), left);
}

static void print_due(const json_t *result, const void *ctx)
{
    (void)ctx;
    struct table *t = table_new(5, "CASE", "STATE", "PERIOD", "DECIDE BY", "DAYS LEFT");
    table_add_each(t, json_object_get(result, "cases"), due_row);
    table_finish(t, NULL, "", "no open case comes near its decision date");
    out_page(result, json_array_size(json_object_get(result, "cases")), "mpool case due");
}

int within_request(struct cli *cli, const struct command *cmd, int argc, char **argv,
                   const char *op, cli_print_fn print)
{
    struct args a;
    struct within w = {AT_RISK_DAYS, {0, 0}};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, within_flag, &w, &rc))
        return rc;
    json_t *args = json_pack("{s:i}", "within", (int)w.days);
    page_args(args, &w.page);
    return cli_request(cli, op, args, print, NULL);
}

static int case_due(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return within_request(cli, cmd, argc, argv, "case.due", print_due);
}

const struct command deadline_commands[] = {
    {"case", "deadline",
     "CASE [(--postpone DAYS|Nw | --suspend DAYS | --extend DAYS|Nw) --reason-code CODE]",
     "Shows a case's decision date; with a move, moves it within what the law allows.",
     deadline_flags, case_deadline, NULL},
    {"case", "due", "[--within DAYS] [--limit N] [--after N]",
     "Lists the open cases whose legal decision date comes within DAYS (default 14), soonest "
     "first.",
     within_flags, case_due, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
