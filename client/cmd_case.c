/* cmd_case: what HR staff do with a case, from posting it to closing it. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "case_op.h"
#include "cmd.h"
#include "out.h"
#include "partyfile.h"
#include "page.h"
#include "wire/names.h"
#include "wire/seal.h"
#include "wait.h"
#include "base/text.h"

static const char *const urgencies[] = {"low", "normal", "high", NULL};

/* ---- printing a case ---- */

/* "hilversum:med-h  accepted" with the offer's end, a disclosure or the
 * hours given, as far as they apply. */
static void print_seat(const json_t *s)
{
    char buf[64], more[120] = "";
    const char *state = out_str(s, "state");
    if (strcmp(state, "offered") == 0 && out_int(s, "offer_expires_ms") > 0) {
        out_time(out_int(s, "offer_expires_ms"), buf, sizeof buf);
        snprintf(more, sizeof more, ", offer until %s UTC", buf);
    } else if (out_str(s, "disclosure")[0]) {
        snprintf(more, sizeof more, ", disclosed a %s", out_str(s, "disclosure"));
    } else if (strcmp(state, "closed") == 0) {
        out_hours(out_int(s, "minutes"), false, buf, sizeof buf);
        snprintf(more, sizeof more, ", %s hours", buf);
    }
    const char *name = out_str(s, "display_name");
    out_line("  mediator      %s%s%s%s  %s%s", out_str(s, "mediator_id"), name[0] ? " (" : "", name,
             name[0] ? ")" : "", case_state_words(state), more);
    if (out_str(s, "note")[0])
        out_line("  note          %s", out_str(s, "note"));
}

static void print_case_details(const json_t *c)
{
    char buf[64];
    const char *outcome = out_str(c, "outcome");

    out_line("  seats         %d, %s", (int)out_int(c, "seats"),
             out_bool(c, "requires_certified") ? "MfN-certified mediator required"
                                               : "certification not required");
    size_t i;
    const json_t *s;
    bool seat_notes = false;
    json_array_foreach(json_object_get(c, "mediators"), i, s)
    {
        print_seat(s);
        seat_notes |= out_str(s, "note")[0] != '\0';
    }
    /* A note kept before each seat kept its own. */
    const char *note = out_str(c, "disclosure_note");
    if (note[0] && !seat_notes)
        out_line("  note          %s", note);
    if (outcome[0]) {
        out_hours(out_int(c, "minutes"), false, buf, sizeof buf);
        out_line("  outcome       %s, %s hours", outcome, buf);
    }
}

static void party_row(struct table *t, size_t i, const json_t *p)
{
    (void)i;
    table_row(t, out_str(p, "kind"), out_str(p, "label"), out_str(p, "ref"));
}

/* The matcher's reasons without its points: "35 km (+35), needs cases
 * (-50), total 25" reads "35 km, needs cases". The points and the total
 * are the coordinator's to weigh (--json keeps them); HR sees the rank. */
static void reasons_in_words(const char *why, char *out, size_t len)
{
    size_t used = 0;
    for (const char *p = why; *p && used + 1 < len;) {
        size_t digits = 0;
        if (p[0] == ' ' && p[1] == '(' && (p[2] == '+' || p[2] == '-'))
            digits = strspn(p + 3, "0123456789");
        if (digits > 0 && p[3 + digits] == ')') {
            p += 4 + digits;
            continue;
        }
        if (strncmp(p, ", total ", 8) == 0)
            break;
        out[used++] = *p++;
    }
    out[used] = '\0';
}

/* The number the parties choose a mediator by: the one the node keeps for
 * them for this case (it stays theirs when a re-rank moves them), else the
 * place on the list. */
static long long shortlist_number(const json_t *e, size_t i)
{
    json_int_t n = out_int(e, "number");
    return n > 0 ? (long long)n : (long long)i + 1;
}

static void shortlist_row(struct table *t, size_t i, const json_t *e)
{
    char rank[24], why[512];

    snprintf(rank, sizeof rank, "%lld", shortlist_number(e, i));
    reasons_in_words(out_str(e, "why"), why, sizeof why);
    table_row(t, rank, out_str(e, "mediator_id"), out_or(out_str(e, "display_name"), "-"),
              out_str(e, "municipality"), why);
}

/* What each shortlisted mediator says of themselves, for HR to show the
 * parties: the number of the shortlist, the name, the text as written. */
static void print_shortlist_faces(const json_t *shortlist)
{
    size_t i;
    const json_t *e;
    bool any = false;

    json_array_foreach(shortlist, i, e)
    {
        const char *about = out_str(e, "about");
        if (!about[0])
            continue;
        if (!any)
            out_line("about the mediators:");
        any = true;
        out_line("  %lld. %s", shortlist_number(e, i),
                 out_or(out_str(e, "display_name"), out_str(e, "mediator_id")));
        char line[4 * ABOUT_MAX + 1];
        for (const char *p = about; *p;) {
            size_t n = strcspn(p, "\r\n");
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            if (n)
                out_line("     %s", line);
            p += n;
            p += strspn(p, "\r\n");
        }
    }
}

/* "1 of 5 mediators eligible; 4 not: 2 same municipality as a party, 2 no
 * capacity": the eligible first, then why the others are not. */
static void print_case_excluded(const json_t *c)
{
    const json_t *excluded = json_object_get(c, "excluded");
    char line[1024];
    size_t used, i;
    const json_t *e;
    const char *sep = ": ";

    if (out_int(c, "considered") == 0 && json_array_size(excluded) == 0)
        return; /* not matched yet */
    long long eligible = (long long)out_int(c, "eligible");
    long long considered = (long long)out_int(c, "considered");
    int n = snprintf(line, sizeof line, "%lld of %lld mediator%s eligible", eligible, considered,
                     considered == 1 ? "" : "s");
    if (considered > eligible && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, "; %lld not", considered - eligible);
    else
        sep = "";
    used = n > 0 ? (size_t)n : 0;
    json_array_foreach(excluded, i, e)
    {
        const char *why = out_or(out_str(e, "text"), out_str(e, "reason"));
        /* The node may count the eligible ones in the same list. */
        if (!sep[0] || strcmp(out_str(e, "reason"), "eligible") == 0 || out_int(e, "count") == 0)
            continue;
        if (used >= sizeof line)
            break;
        n = snprintf(line + used, sizeof line - used, "%s%lld %s", sep,
                     (long long)out_int(e, "count"), why);
        used += n > 0 ? (size_t)n : 0;
        sep = ", ";
    }
    out_line("%s", line);
}

/* What people typed with a step, kept at this node: only here do they show. */
static void print_case_notes(const json_t *notes)
{
    size_t i;
    const json_t *note;
    char when[32];

    if (json_array_size(notes) == 0)
        return;
    out_line("notes (kept at this node):");
    json_array_foreach(notes, i, note)
    {
        const char *code = out_str(note, "code");
        out_time(out_int(note, "at_ms"), when, sizeof when);
        out_line("  %s  %s%s%s%s by %s: %s", when, out_str(note, "step"), code[0] ? " (" : "", code,
                 code[0] ? ")" : "", out_or(out_str(note, "author"), "-"), out_str(note, "text"));
    }
}

static void print_case_history(const json_t *history)
{
    size_t i;
    const json_t *h;
    char when[32];

    if (json_array_size(history) == 0)
        return;
    out_line("history:");
    json_array_foreach(history, i, h)
    {
        const char *reason = out_str(h, "reason");
        out_time(out_int(h, "at_ms"), when, sizeof when);
        out_line("  %s  %-34s  by %s%s%s%s", when, case_state_words(out_str(h, "state")),
                 out_or(out_str(h, "actor"), "-"), reason[0] ? "  (" : "", reason,
                 reason[0] ? ")" : "");
    }
}

/* Steps this node answered OK that the pool has not answered yet. */
static void print_case_pending(const json_t *c)
{
    size_t i;
    const json_t *p;

    json_array_foreach(json_object_get(c, "pending"), i, p)
    {
        const char *med = out_str(p, "mediator_id");
        out_line("waiting for the pool: %s%s%s", out_str(p, "step"), *med ? " " : "", med);
    }
}

static void print_case(const json_t *c, const void *ctx)
{
    (void)ctx;
    out_line("Case %s  %s  %s/%s  urgency %s", out_str(c, "case_id"),
             case_state_words(out_str(c, "state")), out_str(c, "domain"), out_str(c, "language"),
             out_str(c, "urgency"));
    const json_t *d = json_object_get(c, "deadline");
    if (json_is_object(d))
        out_line("decide by %s (%lld days left; %s%s from %s%s)", out_str(d, "decide_by"),
                 (long long)out_int(d, "days_left"),
                 strcmp(out_str(d, "kind"), "internal") == 0 ? "the pool's own target"
                                                             : out_str(d, "kind"),
                 strcmp(out_str(d, "kind"), "internal") == 0 ? "" : " period", out_str(d, "start"),
                 json_is_true(json_object_get(d, "committee")) ? ", with a committee" : "");
    print_case_pending(c);
    print_case_details(c);
    struct table *t = table_new(3, "KIND", "PARTY", "REFERENCE");
    table_add_each(t, json_object_get(c, "parties"), party_row);
    table_finish(t, "parties:", "  ", NULL);
    t = table_new(5, "#", "MEDIATOR", "NAME", "MUNICIPALITY", "WHY");
    table_add_each(t, json_object_get(c, "shortlist"), shortlist_row);
    table_finish(t, "shortlist:", "  ", NULL);
    print_shortlist_faces(json_object_get(c, "shortlist"));
    print_case_excluded(c);
    print_case_history(json_object_get(c, "history"));
    print_case_notes(json_object_get(c, "notes"));
}

/* ---- case post ---- */

enum {
    F_DOMAIN = 1,
    F_LANGUAGE,
    F_URGENCY,
    F_PARTY,
    F_PARTIES,
    F_CERTIFIED,
    F_SEATS,
    F_LAT,
    F_LON,
    F_NARRATIVE,
    F_PERIOD_START,
    F_COMMITTEE,
    F_NO_NARRATIVE,
};

static const struct flag post_flags[] = {
    {F_DOMAIN, "domain", "DOMAIN", "what the conflict is about: labour, citizen, ... (required)"},
    {F_LANGUAGE, "language", "LANG", "language of the mediation, such as nl (required)"},
    {F_URGENCY, "urgency", "LEVEL", "low, normal or high (default normal)"},
    {F_PARTY, "party", "ID", "a municipality that is a party (repeatable)"},
    {F_PARTIES, "parties", "FILE",
     "the parties, one a line: person:NAME, unit:NAME or municipality:ID; - reads them from "
     "standard input (names never go on the command line)"},
    {F_CERTIFIED, "certified", NULL, "only MfN-certified mediators"},
    {F_SEATS, "seats", "N", "1 mediator, or 2 for co-mediation (default 1)"},
    {F_LAT, "lat", "X", "latitude of the mediation's place (with --lon)"},
    {F_LON, "lon", "Y", "longitude of the mediation's place (with --lat)"},
    {F_NARRATIVE, "narrative", "FILE",
     "what the conflict is about, in UTF-8 (at most 64 KiB); "
     "only the accepting mediator can read it"},
    {F_PERIOD_START, "period-start", "DATE",
     "where the domain runs inside a legal period: the objection period's last day, or the "
     "day the complaint was received (YYYY-MM-DD)"},
    {F_COMMITTEE, "committee", NULL, "an advisory or complaints committee advises"},
    {F_NO_NARRATIVE, "no-narrative", NULL,
     "post without a narrative, on purpose (the mediator then learns the case from the parties)"},
    {0, NULL, NULL, NULL},
};

struct post {
    const char *domain, *language, *urgency, *narrative_file;
    json_t *parties;
    bool certified;
    long seats;
    struct args_place place;
    const char *period_start;
    bool committee, no_narrative;
    uint8_t *narrative;
    size_t narrative_len;
};

/* Reads the whole narrative before anything is sent: a file that cannot
 * be read must not leave a case posted without its narrative. */
static int read_narrative(const struct args *a, struct post *p)
{
    const char *path = p->narrative_file;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;

    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int saved = fd < 0 ? errno : EINVAL;
        if (fd >= 0)
            close(fd);
        return args_fail(a, "cannot read the narrative file %s (%s)", path,
                         saved == EINVAL ? "not a regular file" : strerror(saved));
    }
    p->narrative = malloc(NARRATIVE_MAX + 1);
    if (!p->narrative) {
        close(fd);
        out_error(RC_ERROR, "out of memory");
        return RC_ERROR;
    }
    size_t len = 0;
    ssize_t n = 1;
    while (len <= NARRATIVE_MAX && n > 0) {
        n = read(fd, p->narrative + len, NARRATIVE_MAX + 1 - len);
        if (n < 0 && errno == EINTR)
            n = 1;
        else if (n > 0)
            len += (size_t)n;
    }
    int saved = errno;
    close(fd);
    if (n < 0)
        return args_fail(a, "cannot read the narrative file %s (%s)", path, strerror(saved));
    if (len > NARRATIVE_MAX)
        return args_fail(a, "the narrative file %s is larger than %d KiB; shorten it", path,
                         NARRATIVE_MAX / 1024);
    /* The node's own check: UTF-8, and no control characters but tabs and
     * line breaks. */
    if (!text_lines_ok(p->narrative, len, NARRATIVE_MAX))
        return args_fail(a,
                         "the narrative file %s is not UTF-8 text, or holds control characters "
                         "other than tabs and line breaks; save it as plain UTF-8 text",
                         path);
    p->narrative_len = len;
    return RC_OK;
}

static bool post_flag(struct args *a, void *opts, int key)
{
    struct post *p = opts;
    json_t *party;

    switch (key) {
    case F_DOMAIN:
        p->domain = a->value;
        return args_word(a, "--domain", a->value, DOMAIN_MAX);
    case F_LANGUAGE:
        return args_language(a, "--language", a->value, &p->language);
    case F_URGENCY:
        p->urgency = a->value;
        return args_enum(a, "--urgency", a->value, urgencies);
    case F_PARTY:
        party = partyfile_argv_party(a, "--party", a->value);
        return party && json_array_append_new(p->parties, party) == 0;
    case F_PARTIES:
        return partyfile_parties(a, "--parties", a->value, p->parties);
    case F_CERTIFIED:
        p->certified = true;
        return true;
    case F_SEATS:
        return args_long(a, "--seats", a->value, 1, 2, &p->seats);
    case F_LAT:
        return args_lat(a, &p->place);
    case F_LON:
        return args_lon(a, &p->place);
    case F_NARRATIVE:
        p->narrative_file = a->value;
        return true;
    case F_PERIOD_START: {
        int64_t ms;
        p->period_start = a->value;
        return args_date(a, "--period-start", a->value, &ms);
    }
    case F_COMMITTEE:
        p->committee = true;
        return true;
    case F_NO_NARRATIVE:
        p->no_narrative = true;
        return true;
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

static int post_check(const struct args *a, struct post *p)
{
    if (!p->domain)
        return args_fail(a, "--domain is missing");
    if (!p->language)
        return args_fail(a, "--language is missing");
    if (json_array_size(p->parties) == 0)
        return args_fail(
            a, "no party: give --parties FILE (or --parties - to type them), or --party ID "
               "for a municipality");
    if (!args_place_check(a, &p->place))
        return RC_USAGE;
    if (p->narrative_file && p->no_narrative)
        return args_fail(a, "give --narrative FILE or --no-narrative, not both");
    if (!p->narrative_file && !p->no_narrative)
        return args_fail(a, "--narrative FILE is missing: the mediator needs the parties' "
                            "account; post without one only with --no-narrative");
    if (p->narrative_file)
        return read_narrative(a, p);
    return RC_OK;
}

static void print_posted(const json_t *result, const void *ctx)
{
    (void)ctx;
    out_line("posted case %s (%s)", out_str(result, "case_id"),
             case_state_words(out_str(result, "state")));
}

static int post_send(struct cli *cli, struct post *p)
{
    struct reply r;
    json_t *args = json_pack("{s:s, s:s, s:s, s:O, s:b, s:i}", "domain", p->domain, "language",
                             p->language, "urgency", p->urgency, "parties", p->parties,
                             "requires_certified", p->certified, "seats", (int)p->seats);

    args_place_add(args, &p->place);
    if (args && p->period_start)
        json_object_set_new(args, "period_start", json_string(p->period_start));
    if (args && p->committee)
        json_object_set_new(args, "committee", json_true());
    if (args && p->no_narrative)
        json_object_set_new(args, "no_narrative", json_true());
    int rc = cli_call(cli, "case.post", args, p->narrative, p->narrative_len, &r);
    json_decref(args);
    if (rc == RC_OK)
        cli_print_reply(cli, &r, print_posted, NULL);
    return rc;
}

static int case_post(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct post p = {.urgency = "normal", .seats = 1, .parties = json_array()};
    struct args a;
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (args_flags_only(&a, post_flag, &p, &rc) && (rc = post_check(&a, &p)) == RC_OK)
        rc = post_send(cli, &p);
    json_decref(p.parties);
    if (p.narrative)
        sodium_memzero(p.narrative, p.narrative_len);
    free(p.narrative);
    return rc;
}

/* ---- case list ---- */

enum { F_ALL = 1, F_STATE };

static const struct flag list_flags[] = {
    {F_ALL, "all", NULL, "every case, closed and withdrawn ones too"},
    {F_STATE, "state", "STATE", "only cases in this state"},
    PAGE_FLAGS("cases"),
    {0, NULL, NULL, NULL},
};

struct list {
    const char *state;
    bool all;
    struct page_opts page;
};

static bool list_flag(struct args *a, void *opts, int key)
{
    struct list *l = opts;
    bool ok = true;

    if (page_flag(a, &l->page, key, &ok))
        return ok;
    switch (key) {
    case F_ALL:
        l->all = true;
        return true;
    default:
        return args_state(a, "--state", a->value, args_case_states, &l->state);
    }
}

static void case_row(struct table *t, size_t i, const json_t *c)
{
    char updated[32], due[32] = "-";

    (void)i;
    out_time(out_int(c, "updated_ms"), updated, sizeof updated);
    if (json_is_string(json_object_get(c, "decide_by")))
        snprintf(due, sizeof due, "%s (%lld d)", out_str(c, "decide_by"),
                 (long long)out_int(c, "days_left"));
    table_row(t, out_str(c, "case_id"), case_state_words(out_str(c, "state")), out_str(c, "domain"),
              out_str(c, "language"), out_str(c, "urgency"), out_or(out_str(c, "mediator_id"), "-"),
              due, updated);
}

/* ctx: the filter, for the line that says there are none. */
static void print_case_list(const json_t *result, const void *ctx)
{
    const char *filter = ctx;
    char none[64];

    snprintf(none, sizeof none, "no %s%scases", filter, filter[0] ? " " : "");
    struct table *t = table_new(8, "CASE", "STATE", "DOMAIN", "LANG", "URGENCY", "MEDIATOR",
                                "DECIDE BY", "UPDATED (UTC)");
    table_add_each(t, json_object_get(result, "cases"), case_row);
    table_finish(t, NULL, "", none);
    char again[64];
    snprintf(again, sizeof again, "mpool case list%s%s",
             !filter[0]                    ? " --all"
             : strcmp(filter, "open") == 0 ? ""
                                           : " --state ",
             filter[0] && strcmp(filter, "open") != 0 ? filter : "");
    out_page(result, json_array_size(json_object_get(result, "cases")), again);
}

static int case_list(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct list l = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, list_flag, &l, &rc))
        return rc;
    if (l.all && l.state)
        return args_fail(&a, "give --all or --state, not both");

    json_t *args = l.state ? json_pack("{s:s}", "state", l.state)
                   : l.all ? json_pack("{s:s}", "state", "all")
                           : json_object();
    page_args(args, &l.page);
    return cli_request(cli, "case.list", args, print_case_list,
                       l.state ? l.state
                       : l.all ? ""
                               : "open");
}

/* ---- commands on one case ---- */

static const struct flag consent_flags[] = {
    {CF_REFUSE, "refuse", NULL, "the parties refuse the disclosed relationship"},
    {CF_REASON_CODE, "reason-code", "CODE",
     "why they refuse, as one of the reason codes below (required with --refuse)"},
    {CF_REASON, "reason", "TEXT",
     "your own words, in one line; they stay at your municipality's node"},
    {0, NULL, NULL, NULL},
};

static int consent_check(const struct args *a, const struct case_flags *f)
{
    if (f->refuse && !f->reason_code)
        return args_fail(a, "--refuse needs --reason-code; say why the parties refuse");
    return RC_OK;
}

static const struct flag close_flags[] = {
    {CF_OUTCOME, "outcome", "OUTCOME",
     "agreement, partial, none, withdrawn or referred (required)"},
    {CF_HOURS, "hours", "H",
     "hours the mediation took, such as 6.5 or 6,5, for each mediator; or MEDIATOR=H, once for "
     "each "
     "of a case's two mediators (required)"},
    {0, NULL, NULL, NULL},
};

static json_t *consent_args(char *const *ids, const struct case_flags *f)
{
    json_t *args = json_pack("{s:s, s:s, s:b}", "case_id", ids[0], "mediator_id", ids[1], "consent",
                             !f->refuse);

    case_reason_args(args, f);
    return args;
}

static int close_check(const struct args *a, const struct case_flags *f)
{
    if (!f->outcome)
        return args_fail(a, "--outcome is missing");
    if (!f->has_hours && !f->n_hours_of)
        return args_fail(a, "--hours is missing; give the hours the mediation took");
    if (f->has_hours && f->n_hours_of)
        return args_fail(a, "give --hours H for each mediator, or --hours MEDIATOR=H for each "
                            "one, not both");
    return RC_OK;
}

static json_t *close_args(char *const *ids, const struct case_flags *f)
{
    json_t *args = json_pack("{s:s, s:s}", "case_id", ids[0], "outcome", f->outcome);
    if (args && f->has_hours)
        json_object_set_new(args, "minutes", json_integer(lround(f->hours * 60.0)));
    json_t *hours = f->n_hours_of ? json_array() : NULL;
    for (int i = 0; hours && i < f->n_hours_of; i++) {
        int len = (int)(strchr(f->hours_of[i], '=') - f->hours_of[i]);
        json_array_append_new(hours,
                              json_pack("{s:s%, s:I}", "mediator_id", f->hours_of[i], (size_t)len,
                                        "minutes", (json_int_t)lround(f->hours_each[i] * 60.0)));
    }
    if (args && hours)
        json_object_set_new(args, "hours", hours);
    return args;
}

static const struct case_op show_op = {"case.show", 1, NULL, NULL, NULL, print_case, false};
static const struct case_op choose_op = {"case.choose", 3, NULL, NULL, NULL, NULL, true};
static const struct case_op veto_op = {
    "case.veto", 2, "--reason-code is missing; say why the party vetoes", NULL, NULL, NULL, true};
static const struct case_op consent_op = {"case.consent", 2,    NULL, consent_check,
                                          consent_args,   NULL, false};
static const struct case_op withdraw_op = {
    "case.withdraw",
    1,
    "--reason-code is missing; say why the case is withdrawn",
    NULL,
    NULL,
    NULL,
    false};
static const struct case_op close_op = {"case.close", 1,    NULL, close_check,
                                        close_args,   NULL, false};

static const struct flag reassign_flags[] = {
    {CF_REASON_CODE, "reason-code", "CODE", "why, as one of the reason codes below (required)"},
    {CF_REASON, "reason", "TEXT", "your own words, in one line; they stay at your node"},
    CASE_GIVEN_FLAG,
    {0, NULL, NULL, NULL},
};

static json_t *reassign_args(char *const *ids, const struct case_flags *f)
{
    return case_given_args(ids, 2, f);
}

static const struct case_op reassign_op = {
    "case.reassign",
    2,
    "--reason-code is missing; say why the parties want another mediator",
    NULL,
    reassign_args,
    NULL,
    false};

/* ---- case wait ---- */

static json_t *case_wait_args(const char *case_id)
{
    return json_pack("{s:s}", "case_id", case_id);
}

/* A case with a step the pool has yet to answer is in no state to wait
 * for: what the node shows is the step's, not yet the pool's. */
static const char *case_state_of(const json_t *result, const char *case_id)
{
    (void)case_id;
    if (json_array_size(json_object_get(result, "pending")) > 0)
        return "waiting for the pool";
    return json_string_value(json_object_get(result, "state"));
}

static void show_case(const struct cli *cli, const json_t *result, const char *case_id)
{
    (void)case_id;
    if (cli->json)
        out_json(result);
    else
        print_case(result, NULL);
}

static const struct wait_kind case_wait_kind = {
    "case.show", case_wait_args, args_case_states, case_state_of, "case", show_case, NULL};

static int case_wait(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return wait_command(cli, cmd, argc, argv, &case_wait_kind);
}

const struct command case_commands[] = {
    {"case", "post", "--domain DOMAIN --language LANG (--parties FILE | --party ID)... [flags]",
     "Posts a case for mediation; prints its id and state.", post_flags, case_post, NULL},
    {"case", "list", "[--all | --state STATE] [--limit N] [--after N]",
     "Lists this municipality's open cases, or all, or those in one state.", list_flags, case_list,
     NULL},
    {"case", "show", "CASE", "Shows a case: parties, shortlist, exclusions and history.",
     args_no_flags, case_op_command, &show_op},
    {"case", "choose", "CASE MEDIATOR [MEDIATOR]",
     "Records the mediator the parties chose from the shortlist, by id or by their number (#) "
     "on it; two, from two municipalities, for a case with two open seats.",
     args_no_flags, case_op_command, &choose_op},
    {"case", "veto", "CASE MEDIATOR --reason-code CODE [--reason TEXT]",
     "Records a party's veto of a mediator.", case_reason_flags, case_op_command, &veto_op},
    {"case", "reassign", "CASE MEDIATOR --reason-code CODE [--reason TEXT] [--hours H]",
     "Asks for another mediator than the one who took the case on; the case is shortlisted "
     "again with its history.",
     reassign_flags, case_op_command, &reassign_op},
    {"case", "consent", "CASE MEDIATOR [--refuse --reason-code CODE] [--reason TEXT]",
     "Records whether the parties accept the relationship a mediator disclosed.", consent_flags,
     case_op_command, &consent_op},
    {"case", "withdraw", "CASE --reason-code CODE [--reason TEXT]",
     "Withdraws a case that is not closed yet.", case_reason_flags, case_op_command, &withdraw_op},
    {"case", "close", "CASE --outcome OUTCOME --hours H | --hours MEDIATOR=H...",
     "Closes a case with its outcome and the hours it took (they go into the pool ledger).",
     close_flags, case_op_command, &close_op},
    {"case", "wait", "CASE --state STATE[,STATE...] [--timeout-wait SEC]",
     "Waits until a case is in one of the states, then shows it; exit 1 on timeout.", wait_flags,
     case_wait, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
