/* case_op: one reader for the flags of all commands on one case, since
 * they share most of them; every value is checked before anything is
 * sent. */
#include "case_op.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "done.h"
#include "journey/journey.h"

#define HOURS_MAX 1000

static const char *const outcomes[] = {"agreement", "partial",  "none",
                                       "withdrawn", "referred", NULL};
static const char *const disclosures[] = {"relationship", "prior", "interest", NULL};

const struct flag case_reason_flags[] = {
    {CF_REASON_CODE, "reason-code", "CODE", "why, as one of the reason codes below (required)"},
    {CF_REASON, "reason", "TEXT",
     "your own words, in one line; they stay at your municipality's node"},
    {0, NULL, NULL, NULL},
};

/* --hours H, or --hours MEDIATOR=H for one of a case's two mediators. */
static bool hours_flag(struct args *a, struct case_flags *f)
{
    const char *eq = strchr(a->value, '=');
    if (!eq) {
        f->has_hours = true;
        return args_double(a, "--hours", a->value, 0, HOURS_MAX, &f->hours);
    }
    if (f->n_hours_of == 2) {
        args_fail(a, "--hours MEDIATOR=H is for the two mediators of a case; it came a third time");
        return false;
    }
    char id[2 * ID_MAX];
    snprintf(id, sizeof id, "%.*s", (int)(eq - a->value), a->value);
    int i = f->n_hours_of;
    if (!args_mediator_id(a, id) ||
        !args_double(a, "--hours", eq + 1, 0, HOURS_MAX, &f->hours_each[i]))
        return false;
    f->hours_of[i] = a->value; /* up to the '=', read again when sent */
    f->n_hours_of++;
    return true;
}

static bool case_flag(struct args *a, void *opts, int key)
{
    struct case_flags *f = opts;

    switch (key) {
    case CF_REASON:
        f->reason = a->value;
        return args_text(a, "--reason", a->value);
    case CF_REASON_CODE:
        f->reason_code = a->value;
        return true; /* checked against the command's step once it is known */
    case CF_REFUSE:
        f->refuse = true;
        return true;
    case CF_OUTCOME:
        f->outcome = a->value;
        return args_enum(a, "--outcome", a->value, outcomes);
    case CF_HOURS:
        return hours_flag(a, f);
    case CF_REPLACE:
        f->replace = a->value;
        return args_mediator_id(a, a->value);
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

json_t *case_given_args(char *const *ids, int nwords, const struct case_flags *f)
{
    json_t *args = case_default_args(ids, nwords, f);
    if (args && f->has_hours)
        json_object_set_new(args, "minutes", json_integer(lround(f->hours * 60.0)));
    return args;
}

void case_reason_args(json_t *args, const struct case_flags *f)
{
    if (args && f->reason_code)
        json_object_set_new(args, "reason_code", json_string(f->reason_code));
    if (args && f->reason)
        json_object_set_new(args, "reason", json_string(f->reason));
}

json_t *case_default_args(char *const *ids, int nwords, const struct case_flags *f)
{
    json_t *args = json_pack("{s:s}", "case_id", ids[0]);

    if (args && nwords >= 2)
        json_object_set_new(args, "mediator_id", json_string(ids[1]));
    if (args && nwords == 3 && ids[2])
        json_object_set_new(args, "second_mediator_id", json_string(ids[2]));
    case_reason_args(args, f);
    return args;
}

/* The reason code, checked against the journey table's list of the op. */
static int check_code(const struct args *a, const struct case_op *op, const struct case_flags *f)
{
    const struct journey_step *step = journey_step_of_op(op->op);
    char codes[200] = "";
    if (step)
        journey_codes_text(step, codes, sizeof codes);
    if (f->reason_code && !(step && journey_code_ok(step, f->reason_code)))
        return args_fail(a, "--reason-code '%s' is not one of: %s", f->reason_code,
                         *codes ? codes : "(this command takes none)");
    if (op->need_code && !f->reason_code)
        return args_fail(a, "%s: %s", op->need_code, codes);
    if (f->n_hours_of && strcmp(op->op, "case.close") != 0)
        return args_fail(a, "--hours takes the hours as a number here, such as 6.5");
    return RC_OK;
}

/* The mediator the case's shortlists showed under number n, or NULL. The
 * node keeps each mediator's number for the case, so a re-rank between
 * `case show` and the choice cannot make it mean another person. */
static const char *numbered(const json_t *numbers, long n)
{
    size_t i;
    const json_t *e;
    json_array_foreach(numbers, i, e)
    {
        if (json_integer_value(json_object_get(e, "number")) == n)
            return json_string_value(json_object_get(e, "mediator_id"));
    }
    return NULL;
}

/* Mediators named by their shortlist number become their ids in buf. */
static int resolve_ranks(struct cli *cli, const struct args *a, char **ids, int nwords,
                         char buf[2][2 * ID_MAX])
{
    bool any = false;
    for (int i = 1; i < nwords && ids[i]; i++)
        any |= strspn(ids[i], "0123456789") == strlen(ids[i]);
    if (!any)
        return RC_OK;
    struct reply r;
    json_t *args = json_pack("{s:s}", "case_id", ids[0]);
    int rc = cli_call(cli, "case.show", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    const json_t *numbers = json_object_get(r.result, "numbers");
    for (int i = 1; rc == RC_OK && i < nwords && ids[i]; i++) {
        if (strspn(ids[i], "0123456789") != strlen(ids[i]))
            continue;
        long n = strtol(ids[i], NULL, 10);
        const char *id = n > 0 ? numbered(numbers, n) : NULL;
        if (!id)
            rc = args_fail(a,
                           "case %s was shown no mediator with number %s (the numbers go up to "
                           "%zu); see mpool case show %s",
                           ids[0], ids[i], json_array_size(numbers), ids[0]);
        else if (snprintf(buf[i - 1], sizeof buf[0], "%s", id) < (int)sizeof buf[0])
            ids[i] = buf[i - 1];
    }
    reply_free(&r);
    if (rc == RC_OK && nwords == 3 && ids[2] && strcmp(ids[1], ids[2]) == 0)
        rc = args_fail(a, "the same mediator twice; name two different mediators");
    return rc;
}

int case_op_command(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    const struct case_op *op = cmd->case_op;
    struct args a;
    struct case_flags f = {0};
    int rc;

    char ranked[2][2 * ID_MAX];
    args_init(&a, cli, cmd, argc, argv);
    a.ranks = op->by_rank;
    char **ids = case_flags_read(&a, &f, op->nwords, &rc);
    if (!ids)
        return rc;
    if (op->by_rank && (rc = resolve_ranks(cli, &a, ids, op->nwords, ranked)) != RC_OK)
        return rc;
    if ((rc = check_code(&a, op, &f)) != RC_OK)
        return rc;
    if (op->check && (rc = op->check(&a, &f)) != RC_OK)
        return rc;
    json_t *args = op->build ? op->build(ids, &f) : case_default_args(ids, op->nwords, &f);
    if (op->print)
        return cli_request(cli, op->op, args, op->print, NULL);
    struct done_ctx done = {op->op, ids, &f};
    return cli_request(cli, op->op, args, done_print, &done);
}
