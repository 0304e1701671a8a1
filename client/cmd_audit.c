/* cmd_audit: the node's audit trail, for its auditor. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "base/ids.h"
#include "cmd.h"
#include "out.h"
#include "page.h"

enum { F_SINCE = 1, F_CASE, F_PERSON };

static const struct flag audit_flags[] = {
    {F_SINCE, "since", "DATE", "only entries from this day on (YYYY-MM-DD, UTC)"},
    {F_CASE, "case", "ID", "only entries about this case"},
    {F_PERSON, "person", "USER", "only what this person did (their user id at this node)"},
    PAGE_FLAGS("entries"),
    {0, NULL, NULL, NULL},
};

struct filter {
    const char *since, *case_id, *person;
    struct page_opts page;
    char again[160]; /* the command for the next page, without --after */
};

static bool audit_flag(struct args *a, void *opts, int key)
{
    struct filter *f = opts;
    int64_t ms;
    bool ok = true;

    if (page_flag(a, &f->page, key, &ok))
        return ok;
    switch (key) {
    case F_SINCE:
        f->since = a->value;
        return args_date(a, "--since", a->value, &ms);
    case F_CASE:
        f->case_id = a->value;
        return args_case_id(a, a->value);
    default:
        f->person = a->value;
        return args_word(a, "--person", a->value, ID_MAX - 1);
    }
}

static void entry_row(struct table *t, size_t i, const json_t *e)
{
    char at[32];

    (void)i;
    out_time(out_int(e, "at_ms"), at, sizeof at);
    table_row(t, at, out_str(e, "user"), out_str(e, "op"), out_or(out_str(e, "case_id"), "-"),
              out_str(e, "result"));
}

/* ctx: the filter, for the next page's command. */
static void print_audit(const json_t *result, const void *ctx)
{
    const struct filter *f = ctx;
    struct table *t = table_new(5, "WHEN (UTC)", "PERSON", "OPERATION", "CASE", "RESULT");
    table_add_each(t, json_object_get(result, "entries"), entry_row);
    table_finish(t, NULL, "", "no entries");
    out_page(result, json_array_size(json_object_get(result, "entries")), f->again);
}

static void destroyed_row(struct table *t, size_t i, const json_t *e)
{
    char at[32];

    (void)i;
    out_time(out_int(e, "at_ms"), at, sizeof at);
    table_row(t, at, out_str(e, "kind"), out_str(e, "case_id"), out_str(e, "rule"));
}

static void print_destroyed(const json_t *result, const void *ctx)
{
    const struct filter *f = ctx;
    struct table *t = table_new(4, "WHEN (UTC)", "WHAT", "CASE", "RULE");
    table_add_each(t, json_object_get(result, "destroyed"), destroyed_row);
    table_finish(t, NULL, "", "nothing destroyed");
    out_page(result, json_array_size(json_object_get(result, "destroyed")), f->again);
}

/* The filter as arguments: since, case, person, and the page. */
static json_t *filter_args(struct filter *f, const char *command)
{
    json_t *args = json_object();
    int n = snprintf(f->again, sizeof f->again, "%s", command);
    if (f->since) {
        json_object_set_new(args, "since", json_string(f->since));
        n += snprintf(f->again + n, sizeof f->again - (size_t)n, " --since %s", f->since);
    }
    if (f->case_id) {
        json_object_set_new(args, "case_id", json_string(f->case_id));
        n += snprintf(f->again + n, sizeof f->again - (size_t)n, " --case %s", f->case_id);
    }
    if (f->person) {
        json_object_set_new(args, "user", json_string(f->person));
        snprintf(f->again + n, sizeof f->again - (size_t)n, " --person %s", f->person);
    }
    page_args(args, &f->page);
    return args;
}

/* `mpool audit destroyed [--since DATE]`: the destruction list. */
static int destroyed(struct cli *cli, struct args *a, struct filter *f)
{
    if (f->case_id || f->person)
        return args_fail(a, "the destruction list takes --since only");
    return cli_request(cli, "audit.destroyed", filter_args(f, "mpool audit destroyed"),
                       print_destroyed, f);
}

static int audit(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct filter f = {0};
    int rc;

    /* One word may follow: `destroyed`, for the destruction list. */
    bool list_destroyed = argc > 1 && strcmp(argv[1], "destroyed") == 0;
    if (list_destroyed) {
        argv[1] = argv[0];
        argc--;
        argv++;
    }
    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, audit_flag, &f, &rc))
        return rc;
    if (list_destroyed)
        return destroyed(cli, &a, &f);
    return cli_request(cli, "audit.list", filter_args(&f, "mpool audit"), print_audit, &f);
}

const struct command audit_commands[] = {
    {NULL, "audit",
     "[destroyed] [--since DATE] [--case ID] [--person USER] [--limit N] [--after N]",
     "Shows the node's audit trail: who read or changed what, when; with 'destroyed', what "
     "retention destroyed (auditor or admin role).",
     audit_flags, audit, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
