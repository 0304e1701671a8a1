/* done: one sentence per step, from the op and what the person typed. */
#include "done.h"

#include <stdio.h>
#include <string.h>

#include "out.h"

struct words {
    const char *op;
    void (*say)(const struct done_ctx *d, const char *state, char *out, size_t len);
};

static void chosen(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    if (d->ids[2]) {
        snprintf(out, len,
                 "the parties' choice of %s and %s is recorded; the pool will offer the case to "
                 "both",
                 d->ids[1], d->ids[2]);
        return;
    }
    /* The node moves its copy to chosen when no seat stays open. */
    snprintf(out, len, "the parties' choice of %s is recorded; the pool will offer the case to %s",
             d->ids[1],
             strcmp(state, "shortlisted") == 0 ? "them; the case's second seat is still open: "
                                                 "choose its mediator from the shortlist too"
                                               : "them");
}

static void vetoed(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    snprintf(out, len, "the veto of %s is recorded (%s); the pool keeps them off this case",
             d->ids[1], d->f->reason_code);
}

static void consented(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    if (d->f->refuse)
        snprintf(out, len,
                 "the parties' refusal of %s's disclosure is recorded (%s); the pool will "
                 "look for another mediator",
                 d->ids[1], d->f->reason_code);
    else
        snprintf(out, len,
                 "the parties' consent to %s's disclosure is recorded; the pool will tell the "
                 "mediator, who then gets the narrative",
                 d->ids[1]);
}

static void reassigned(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    snprintf(out, len,
             "the request for another mediator than %s is recorded (%s); the pool will take "
             "them off the case and shortlist it again",
             d->ids[1], d->f->reason_code);
}

static void withdrawn(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    snprintf(out, len, "withdrawn (%s); the pool will tell every mediator it was offered to",
             d->f->reason_code);
}

static void closed(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    /* The outcome in words, as the person chose it. */
    static const char *const words[][2] = {
        {"agreement", "with agreement"},       {"partial", "with partial agreement"},
        {"none", "without agreement"},         {"withdrawn", "as withdrawn by the parties"},
        {"referred", "as referred elsewhere"},
    };
    const char *said = d->f->outcome;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(d->f->outcome, words[i][0]) == 0)
            said = words[i][1];
    snprintf(out, len, "closed %s; the hours go into the pool ledger", said);
}

static void accepted(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    if (d->f->disclose && strcmp(d->f->disclose, "interest") == 0)
        snprintf(out, len,
                 "you disclosed an interest in the outcome, which the parties cannot "
                 "waive: the offer ends and the pool proposes someone else");
    else if (d->f->disclose)
        snprintf(out, len,
                 "you accepted and disclosed %s; the parties are asked for their consent "
                 "before the case goes on",
                 strcmp(d->f->disclose, "prior") == 0 ? "a prior involvement with the parties"
                                                      : "a relationship with the parties");
    else
        snprintf(out, len,
                 "you accepted, declaring no conflict; once the pool confirms, the requesting "
                 "municipality sends you the narrative (mpool offer narrative %s)",
                 d->ids[0]);
}

static void declined(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    snprintf(out, len, "you declined the offer (%s); the pool will offer the case to someone else",
             d->f->reason_code);
}

static void stepped_back(const struct done_ctx *d, const char *state, char *out, size_t len)
{
    (void)state;
    snprintf(out, len,
             "you stepped back (%s); the pool will find another mediator, and your copy of the "
             "narrative is destroyed",
             d->f->reason_code);
}

static const struct words words[] = {
    {"case.choose", chosen},       {"case.veto", vetoed},        {"case.consent", consented},
    {"case.reassign", reassigned}, {"case.withdraw", withdrawn}, {"case.close", closed},
    {"offer.accept", accepted},    {"offer.decline", declined},  {"offer.step_back", stepped_back},
};

void done_print(const json_t *result, const void *ctx)
{
    const struct done_ctx *d = ctx;
    char line[600] = "";

    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(words[i].op, d->op) == 0)
            words[i].say(d, out_str(result, "state"), line, sizeof line);
    if (!line[0]) {
        cli_print_state(result, NULL);
        return;
    }
    out_line("case %s: %s", out_str(result, "case_id"), line);
}
