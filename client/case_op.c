/* case_op: one reader for the flags of all commands on one case, since
 * they share most of them; every value is checked before anything is
 * sent. */
#include "case_op.h"

#include <stdio.h>

#define HOURS_MAX 1000

static const char *const outcomes[] = {"agreement", "partial",  "none",
                                       "withdrawn", "referred", NULL};
static const char *const disclosures[] = {"relationship", "prior", "interest", NULL};

const struct flag case_reason_flags[] = {
    {CF_REASON, "reason", "TEXT", "why, in one line (required)"},
    {0, NULL, NULL, NULL},
};

static bool case_flag(struct args *a, void *opts, int key)
{
    struct case_flags *f = opts;

    switch (key) {
    case CF_REASON:
        f->reason = a->value;
        return args_text(a, "--reason", a->value);
    case CF_REFUSE:
        f->refuse = true;
        return true;
    case CF_OUTCOME:
        f->outcome = a->value;
        return args_enum(a, "--outcome", a->value, outcomes);
    case CF_HOURS:
        f->has_hours = true;
        return args_double(a, "--hours", a->value, 0, HOURS_MAX, &f->hours);
    case CF_NO_CONFLICT:
        f->no_conflict = true;
        return true;
    case CF_DISCLOSE:
        f->disclose = a->value;
        return args_enum(a, "--disclose", a->value, disclosures);
    case CF_NOTE:
        f->note = a->value;
        return args_text(a, "--note", a->value);
    case CF_OUT:
        f->out_file = a->value;
        return true;
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

char **case_flags_read(struct args *a, struct case_flags *f, int nwords, int *rc)
{
    if (!args_flags(a, case_flag, f, rc))
        return NULL;
    char **ids = args_ids(a, nwords);
    *rc = ids ? RC_OK : RC_USAGE;
    return ids;
}

static json_t *default_args(char *const *ids, int nwords, const struct case_flags *f)
{
    json_t *args = json_pack("{s:s}", "case_id", ids[0]);

    if (args && nwords == 2)
        json_object_set_new(args, "mediator_id", json_string(ids[1]));
    if (args && f->reason)
        json_object_set_new(args, "reason", json_string(f->reason));
    return args;
}

int case_op_command(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    const struct case_op *op = cmd->case_op;
    struct args a;
    struct case_flags f = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    char **ids = case_flags_read(&a, &f, op->nwords, &rc);
    if (!ids)
        return rc;
    if (op->need_reason && !f.reason)
        return args_fail(&a, "%s", op->need_reason);
    if (op->check && (rc = op->check(&a, &f)) != RC_OK)
        return rc;
    json_t *args = op->build ? op->build(ids, &f) : default_args(ids, op->nwords, &f);
    return cli_request(cli, op->op, args, op->print ? op->print : cli_print_state, NULL);
}
