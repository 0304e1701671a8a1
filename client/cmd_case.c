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
#include "cmd.h"
#include "out.h"
#include "seal.h"
#include "wait.h"

#define DOMAIN_MAX   31
#define LANGUAGE_MAX 8
#define HOURS_MAX    1000

static const char *const urgencies[] = {"low", "normal", "high", NULL};
static const char *const outcomes[] = {"agreement", "partial",  "none",
                                       "withdrawn", "referred", NULL};

/* ---- printing a case ---- */

static void print_case_details(const json_t *c)
{
    char buf[64];
    const char *mediator = out_str(c, "mediator_id");
    const char *disclosure = out_str(c, "disclosure");
    const char *outcome = out_str(c, "outcome");

    out_line("  seats         %d, %s", (int)out_int(c, "seats"),
             out_bool(c, "requires_certified") ? "MfN-certified mediator required"
                                               : "certification not required");
    if (mediator[0])
        out_line("  mediator      %s", mediator);
    if (out_int(c, "offer_expires_ms") > 0 && strcmp(out_str(c, "state"), "offered") == 0) {
        out_time(out_int(c, "offer_expires_ms"), buf, sizeof buf);
        out_line("  offer until   %s UTC", buf);
    }
    if (disclosure[0])
        out_line("  disclosure    %s", disclosure);
    if (outcome[0]) {
        out_hours(out_int(c, "minutes"), false, buf, sizeof buf);
        out_line("  outcome       %s, %s hours", outcome, buf);
    }
}

static void print_case_parties(const json_t *parties)
{
    size_t i;
    const json_t *p;

    if (json_array_size(parties) == 0)
        return;
    struct table *t = table_new(3, "KIND", "PARTY", "REFERENCE");
    json_array_foreach(parties, i, p)
    {
        table_row(t, out_str(p, "kind"), out_str(p, "label"), out_str(p, "ref"));
    }
    out_line("parties:");
    table_print(t, "  ");
    table_free(t);
}

static void print_case_shortlist(const json_t *shortlist)
{
    size_t i;
    const json_t *e;
    char rank[24], cost[32];

    if (json_array_size(shortlist) == 0)
        return;
    struct table *t = table_new(5, "#", "MEDIATOR", "MUNICIPALITY", "COST", "WHY");
    json_array_foreach(shortlist, i, e)
    {
        snprintf(rank, sizeof rank, "%zu", i + 1);
        out_number(json_object_get(e, "cost"), cost, sizeof cost);
        table_row(t, rank, out_str(e, "mediator_id"), out_str(e, "municipality"), cost,
                  out_str(e, "why"));
    }
    out_line("shortlist:");
    table_print(t, "  ");
    table_free(t);
}

/* "excluded: 9 of 12 eligible: 2 same municipality as a party, 1 no capacity" */
static void print_case_excluded(const json_t *c)
{
    const json_t *excluded = json_object_get(c, "excluded");
    char line[1024];
    size_t used, i;
    const json_t *e;
    const char *sep = ": ";

    if (out_int(c, "considered") == 0 && json_array_size(excluded) == 0)
        return; /* not matched yet */
    int n = snprintf(line, sizeof line, "excluded: %lld of %lld eligible",
                     (long long)out_int(c, "eligible"), (long long)out_int(c, "considered"));
    used = n > 0 ? (size_t)n : 0;
    json_array_foreach(excluded, i, e)
    {
        const char *why = out_or(out_str(e, "text"), out_str(e, "reason"));
        /* The node may count the eligible ones in the same list. */
        if (strcmp(out_str(e, "reason"), "eligible") == 0 || out_int(e, "count") == 0)
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
        out_line("  %s  %-16s  by %s%s%s%s", when, out_str(h, "state"),
                 out_or(out_str(h, "actor"), "-"), reason[0] ? "  (" : "", reason,
                 reason[0] ? ")" : "");
    }
}

static void print_case(const struct cli *cli, const json_t *c)
{
    if (cli->json) {
        out_json(c);
        return;
    }
    out_line("Case %s  %s  %s/%s  urgency %s", out_str(c, "case_id"), out_str(c, "state"),
             out_str(c, "domain"), out_str(c, "language"), out_str(c, "urgency"));
    print_case_details(c);
    print_case_parties(json_object_get(c, "parties"));
    print_case_shortlist(json_object_get(c, "shortlist"));
    print_case_excluded(c);
    print_case_history(json_object_get(c, "history"));
}

/* ---- case post ---- */

enum {
    F_DOMAIN = 1,
    F_LANGUAGE,
    F_URGENCY,
    F_PARTY,
    F_CERTIFIED,
    F_SEATS,
    F_LAT,
    F_LON,
    F_NARRATIVE
};

static const struct flag post_flags[] = {
    {F_DOMAIN, "domain", "DOMAIN", "what the conflict is about: labour, citizen, ... (required)"},
    {F_LANGUAGE, "language", "LANG", "language of the mediation, such as nl (required)"},
    {F_URGENCY, "urgency", "LEVEL", "low, normal or high (default normal)"},
    {F_PARTY, "party", "KIND:VALUE",
     "a party: municipality:ID, person:NAME or unit:NAME; a bare "
     "ID is a municipality (required, repeatable)"},
    {F_CERTIFIED, "certified", NULL, "only MfN-certified mediators"},
    {F_SEATS, "seats", "N", "1 mediator, or 2 for co-mediation (default 1)"},
    {F_LAT, "lat", "X", "latitude of the mediation's place (with --lon)"},
    {F_LON, "lon", "Y", "longitude of the mediation's place (with --lat)"},
    {F_NARRATIVE, "narrative", "FILE",
     "what the conflict is about, in UTF-8 (at most 64 KiB); "
     "only the accepting mediator can read it"},
    {0, NULL, NULL, NULL},
};

struct post {
    const char *domain, *language, *urgency, *narrative_file;
    json_t *parties;
    bool certified;
    long seats;
    double lat, lon;
    bool has_lat, has_lon;
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
        fprintf(stderr, "mpool: out of memory\n");
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
    json_t *s = json_stringn((const char *)p->narrative, len);
    if (!s)
        return args_fail(a, "the narrative file %s is not UTF-8 text; save it as UTF-8", path);
    json_decref(s);
    p->narrative_len = len;
    return RC_OK;
}

static bool post_flag(struct args *a, struct post *p, int key)
{
    json_t *party;

    switch (key) {
    case F_DOMAIN:
        p->domain = a->value;
        return args_word(a, "--domain", a->value, DOMAIN_MAX);
    case F_LANGUAGE:
        p->language = a->value;
        return args_word(a, "--language", a->value, LANGUAGE_MAX);
    case F_URGENCY:
        p->urgency = a->value;
        return args_enum(a, "--urgency", a->value, urgencies);
    case F_PARTY:
        party = args_party(a, "--party", a->value);
        return party && json_array_append_new(p->parties, party) == 0;
    case F_CERTIFIED:
        p->certified = true;
        return true;
    case F_SEATS:
        return args_long(a, "--seats", a->value, 1, 2, &p->seats);
    case F_LAT:
        p->has_lat = true;
        return args_double(a, "--lat", a->value, -90, 90, &p->lat);
    case F_LON:
        p->has_lon = true;
        return args_double(a, "--lon", a->value, -180, 180, &p->lon);
    case F_NARRATIVE:
        p->narrative_file = a->value;
        return true;
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

static int post_check(struct args *a, struct post *p)
{
    if (!args_positional(a, 0, 0, "", NULL))
        return RC_USAGE;
    if (!p->domain)
        return args_fail(a, "--domain is missing");
    if (!p->language)
        return args_fail(a, "--language is missing");
    if (json_array_size(p->parties) == 0)
        return args_fail(a, "--party is missing; name at least one party");
    if (p->has_lat != p->has_lon)
        return args_fail(a, "give --lat and --lon together");
    if (p->narrative_file)
        return read_narrative(a, p);
    return RC_OK;
}

static int post_send(struct cli *cli, struct post *p)
{
    struct reply r;
    json_t *args = json_pack("{s:s, s:s, s:s, s:O, s:b, s:i}", "domain", p->domain, "language",
                             p->language, "urgency", p->urgency, "parties", p->parties,
                             "requires_certified", p->certified, "seats", (int)p->seats);

    if (args && p->has_lat) {
        json_object_set_new(args, "lat", json_real(p->lat));
        json_object_set_new(args, "lon", json_real(p->lon));
    }
    int rc = cli_call(cli, "case.post", args, p->narrative, p->narrative_len, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        out_line("posted case %s (%s)", out_str(r.result, "case_id"), out_str(r.result, "state"));
    reply_free(&r);
    return RC_OK;
}

static int case_post(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct post p = {.urgency = "normal", .seats = 1, .parties = json_array()};
    struct args a;
    int key, rc;

    args_init(&a, cli, "case post", cmd, argc, argv);
    while ((key = args_next(&a)) > 0)
        if (!post_flag(&a, &p, key)) {
            key = ARGS_BAD;
            break;
        }
    if (key != ARGS_END)
        rc = args_exit(key);
    else if ((rc = post_check(&a, &p)) == RC_OK)
        rc = post_send(cli, &p);
    json_decref(p.parties);
    if (p.narrative)
        sodium_memzero(p.narrative, p.narrative_len);
    free(p.narrative);
    return rc;
}

/* ---- case list ---- */

enum { F_ALL = 1, F_STATE, F_REASON, F_REFUSE, F_OUTCOME, F_HOURS };

static const struct flag list_flags[] = {
    {F_ALL, "all", NULL, "every case, closed and withdrawn ones too"},
    {F_STATE, "state", "STATE", "only cases in this state"},
    {0, NULL, NULL, NULL},
};

static void print_case_list(const json_t *result, const char *filter)
{
    const json_t *cases = json_object_get(result, "cases");
    size_t i;
    const json_t *c;
    char updated[32];

    if (json_array_size(cases) == 0) {
        out_line("no %s%scases", filter, filter[0] ? " " : "");
        return;
    }
    struct table *t =
        table_new(7, "CASE", "STATE", "DOMAIN", "LANG", "URGENCY", "MEDIATOR", "UPDATED (UTC)");
    json_array_foreach(cases, i, c)
    {
        out_time(out_int(c, "updated_ms"), updated, sizeof updated);
        table_row(t, out_str(c, "case_id"), out_str(c, "state"), out_str(c, "domain"),
                  out_str(c, "language"), out_str(c, "urgency"),
                  out_or(out_str(c, "mediator_id"), "-"), updated);
    }
    table_print(t, "");
    table_free(t);
}

static int case_list(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    const char *state = NULL;
    bool all = false;
    int key;

    args_init(&a, cli, "case list", cmd, argc, argv);
    while ((key = args_next(&a)) > 0) {
        if (key == F_ALL) {
            all = true;
        } else {
            state = a.value;
            if (!args_enum(&a, "--state", state, args_case_states))
                return RC_USAGE;
        }
    }
    if (key != ARGS_END)
        return args_exit(key);
    if (!args_positional(&a, 0, 0, "", NULL))
        return RC_USAGE;
    if (all && state)
        return args_fail(&a, "give --all or --state, not both");

    json_t *args = state ? json_pack("{s:s}", "state", state)
                   : all ? json_pack("{s:s}", "state", "all")
                         : json_object();
    struct reply r;
    int rc = cli_call(cli, "case.list", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        print_case_list(r.result, state ? state : all ? "" : "open");
    reply_free(&r);
    return RC_OK;
}

/* ---- commands on one case ---- */

static const struct flag no_flags[] = {{0, NULL, NULL, NULL}};

/* CASE, or CASE MEDIATOR, after the flags; NULL after a usage error. */
static char **case_ids(struct args *a, int nwords)
{
    char **pos =
        args_positional(a, nwords, nwords, nwords == 2 ? "CASE and MEDIATOR" : "CASE", NULL);

    if (!pos || !args_case_id(a, pos[0]) || (nwords == 2 && !args_mediator_id(a, pos[1])))
        return NULL;
    return pos;
}

/* The flags of all commands on one case, read into one place. */
struct case_opts {
    const char *reason;
    bool refuse;
    const char *outcome;
    bool has_hours;
    double hours;
};

static const struct flag reason_flags[] = {
    {F_REASON, "reason", "TEXT", "why, in one line (required)"},
    {0, NULL, NULL, NULL},
};

static const struct flag consent_flags[] = {
    {F_REFUSE, "refuse", NULL, "the parties refuse the disclosed relationship"},
    {F_REASON, "reason", "TEXT", "why, in one line"},
    {0, NULL, NULL, NULL},
};

static const struct flag close_flags[] = {
    {F_OUTCOME, "outcome", "OUTCOME", "agreement, partial, none, withdrawn or referred (required)"},
    {F_HOURS, "hours", "H", "hours the mediation took, such as 6.5 (required)"},
    {0, NULL, NULL, NULL},
};

static bool case_opt(struct args *a, struct case_opts *o, int key)
{
    switch (key) {
    case F_REASON:
        o->reason = a->value;
        return args_text(a, "--reason", a->value);
    case F_REFUSE:
        o->refuse = true;
        return true;
    case F_OUTCOME:
        o->outcome = a->value;
        return args_enum(a, "--outcome", a->value, outcomes);
    case F_HOURS:
        o->has_hours = true;
        return args_double(a, "--hours", a->value, 0, HOURS_MAX, &o->hours);
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

/* The flags, then CASE [MEDIATOR]. NULL with the exit code in *rc when
 * the command must stop (after --help, or a usage error). */
static char **case_opts_read(struct args *a, struct case_opts *o, int nwords, int *rc)
{
    int key;

    *rc = RC_USAGE;
    while ((key = args_next(a)) > 0)
        if (!case_opt(a, o, key))
            return NULL;
    if (key != ARGS_END) {
        *rc = args_exit(key);
        return NULL;
    }
    char **pos = case_ids(a, nwords);
    if (pos)
        *rc = RC_OK;
    return pos;
}

static int case_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case show", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 1, &rc);
    if (!pos)
        return rc;
    json_t *args = json_pack("{s:s}", "case_id", pos[0]);
    rc = cli_call(cli, "case.show", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    print_case(cli, r.result);
    reply_free(&r);
    return RC_OK;
}

static int case_choose(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case choose", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 2, &rc);
    if (!pos)
        return rc;
    json_t *args = json_pack("{s:s, s:s}", "case_id", pos[0], "mediator_id", pos[1]);
    rc = cli_call_print_state(cli, "case.choose", args);
    json_decref(args);
    return rc;
}

static int case_veto(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case veto", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 2, &rc);
    if (!pos)
        return rc;
    if (!o.reason)
        return args_fail(&a, "--reason is missing; say why the party vetoes");
    json_t *args =
        json_pack("{s:s, s:s, s:s}", "case_id", pos[0], "mediator_id", pos[1], "reason", o.reason);
    rc = cli_call_print_state(cli, "case.veto", args);
    json_decref(args);
    return rc;
}

static int case_consent(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case consent", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 2, &rc);
    if (!pos)
        return rc;
    json_t *args = json_pack("{s:s, s:s, s:b}", "case_id", pos[0], "mediator_id", pos[1], "consent",
                             !o.refuse);
    if (args && o.reason)
        json_object_set_new(args, "reason", json_string(o.reason));
    rc = cli_call_print_state(cli, "case.consent", args);
    json_decref(args);
    return rc;
}

static int case_withdraw(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case withdraw", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 1, &rc);
    if (!pos)
        return rc;
    if (!o.reason)
        return args_fail(&a, "--reason is missing; say why the case is withdrawn");
    json_t *args = json_pack("{s:s, s:s}", "case_id", pos[0], "reason", o.reason);
    rc = cli_call_print_state(cli, "case.withdraw", args);
    json_decref(args);
    return rc;
}

static int case_close(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct case_opts o = {0};
    int rc;

    args_init(&a, cli, "case close", cmd, argc, argv);
    char **pos = case_opts_read(&a, &o, 1, &rc);
    if (!pos)
        return rc;
    if (!o.outcome)
        return args_fail(&a, "--outcome is missing");
    if (!o.has_hours)
        return args_fail(&a, "--hours is missing; give the hours the mediation took");
    json_t *args = json_pack("{s:s, s:s, s:I}", "case_id", pos[0], "outcome", o.outcome, "minutes",
                             (json_int_t)lround(o.hours * 60.0));
    rc = cli_call_print_state(cli, "case.close", args);
    json_decref(args);
    return rc;
}

/* ---- case wait ---- */

static const char *case_state_of(const json_t *result, const char *case_id)
{
    (void)case_id;
    return json_string_value(json_object_get(result, "state"));
}

static int case_wait_run(struct cli *cli, struct wait *w)
{
    struct reply r;
    json_t *args = json_pack("{s:s}", "case_id", w->case_id);

    w->args = args;
    int rc = args ? wait_for(cli, w, &r) : RC_ERROR;
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    print_case(cli, r.result);
    reply_free(&r);
    return RC_OK;
}

static int case_wait(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct wait w = {
        .op = "case.show", .timeout_s = WAIT_DEFAULT_S, .state_of = case_state_of, .what = "case"};
    json_t *states = NULL;
    char **pos = NULL;
    int rc;

    args_init(&a, cli, "case wait", cmd, argc, argv);
    if (wait_read_flags(&a, &w, args_case_states, &states, &rc))
        pos = case_ids(&a, 1);
    if (pos) {
        w.case_id = pos[0];
        w.states = states;
        rc = case_wait_run(cli, &w);
    }
    json_decref(states);
    return rc;
}

const struct command case_commands[] = {
    {"case", "post", "--domain DOMAIN --language LANG --party KIND:VALUE... [flags]",
     "Posts a case for mediation; prints its id and state.", post_flags, case_post},
    {"case", "list", "[--all | --state STATE]",
     "Lists this municipality's open cases, or all, or those in one state.", list_flags, case_list},
    {"case", "show", "CASE", "Shows a case: parties, shortlist, exclusions and history.", no_flags,
     case_show},
    {"case", "choose", "CASE MEDIATOR",
     "Records the mediator the parties chose from the "
     "shortlist.",
     no_flags, case_choose},
    {"case", "veto", "CASE MEDIATOR --reason TEXT", "Records a party's veto of a mediator.",
     reason_flags, case_veto},
    {"case", "consent", "CASE MEDIATOR [--refuse] [--reason TEXT]",
     "Records whether the parties accept the relationship a mediator disclosed.", consent_flags,
     case_consent},
    {"case", "withdraw", "CASE --reason TEXT", "Withdraws a case that is not closed yet.",
     reason_flags, case_withdraw},
    {"case", "close", "CASE --outcome OUTCOME --hours H",
     "Closes a case with its outcome and the hours it took (they go into the pool ledger).",
     close_flags, case_close},
    {"case", "wait", "CASE --state STATE[,STATE...] [--timeout-wait SEC]",
     "Waits until a case is in one of the states, then shows it; exit 1 on timeout.", wait_flags,
     case_wait},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
