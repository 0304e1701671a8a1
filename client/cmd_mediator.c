/* cmd_mediator: a mediator's own profile: registration, availability and
 * declared relationships. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"
#include "partyfile.h"
#include "base/text.h"

enum {
    F_SPECIALTY = 1,
    F_LANGUAGE,
    F_MFN_NUMBER,
    F_MFN_EXPIRY,
    F_CAPACITY,
    F_LAT,
    F_LON,
    F_WINDOW,
    F_ALWAYS,
    F_FROM,
    F_UNTIL,
    F_CLEAR,
    F_REMOVE,
    F_REL_PARTIES,
    F_NAME,
    F_ABOUT
};

/* A date the node sent as "YYYY-MM-DD" or as Unix ms. */
static void date_text(const json_t *v, char *buf, size_t len)
{
    char full[32];

    if (json_is_string(v)) {
        snprintf(buf, len, "%s", json_string_value(v));
    } else if (json_is_integer(v)) {
        out_time(json_integer_value(v), full, sizeof full);
        snprintf(buf, len, "%.10s", full);
    } else {
        snprintf(buf, len, "-");
    }
}

/* ---- mediator register ---- */

static const struct flag register_flags[] = {
    {F_SPECIALTY, "specialty", "S",
     "a field you mediate in, such as labour (required, "
     "repeatable)"},
    {F_LANGUAGE, "language", "L", "a language you mediate in, such as nl (required, repeatable)"},
    {F_MFN_NUMBER, "mfn-number", "N", "your MfN register number (required)"},
    {F_MFN_EXPIRY, "mfn-expiry", "YYYY-MM-DD", "when your MfN registration ends (required)"},
    {F_CAPACITY, "capacity", "N",
     "how many cases you take at once, 0 to 20; 0 takes none "
     "(required)"},
    {F_LAT, "lat", "X", "latitude of where you work (with --lon)"},
    {F_LON, "lon", "Y", "longitude of where you work (with --lat)"},
    {F_NAME, "name", "NAME",
     "your name as the parties see it on the shortlist, as in the MfN register (at most 80 "
     "characters; kept when not given)"},
    {F_ABOUT, "about", "FILE",
     "a short public text about you, from FILE or - for standard input: background, "
     "experience, languages, specialisms (at most 600 characters; kept when not given)"},
    {0, NULL, NULL, NULL},
};

struct profile {
    json_t *specialties, *languages;
    const char *name;
    char *about; /* malloc'd */
    const char *mfn_number, *mfn_expiry;
    long capacity;
    bool has_capacity;
    struct args_place place;
};

static bool append_word(struct args *a, const char *name, size_t max, json_t *list)
{
    if (!args_word(a, name, a->value, max))
        return false;
    return json_array_append_new(list, json_string(a->value)) == 0;
}

/* The text of --about: a file, or standard input for "-"; UTF-8 with
 * line breaks, without the line breaks it ends with. */
static bool read_about(struct args *a, struct profile *p)
{
    bool in = strcmp(a->value, "-") == 0;
    FILE *f = in ? stdin : fopen(a->value, "r");
    if (!f) {
        args_fail(a, "cannot read --about %s (%s)", a->value, strerror(errno));
        return false;
    }
    size_t cap = 4 * ABOUT_MAX + 2;
    free(p->about);
    p->about = malloc(cap);
    size_t len = p->about ? fread(p->about, 1, cap - 1, f) : 0;
    bool failed = ferror(f) != 0;
    if (!in)
        fclose(f);
    if (!p->about || failed) {
        args_fail(a, "cannot read --about %s", a->value);
        return false;
    }
    while (len > 0 && (p->about[len - 1] == '\n' || p->about[len - 1] == '\r'))
        len--;
    p->about[len] = '\0';
    if (strlen(p->about) != len || !text_chars_ok(p->about, ABOUT_MAX, true)) {
        args_fail(a,
                  "--about %s is longer than %d characters, or not UTF-8 text; shorten it "
                  "and save it as plain UTF-8",
                  a->value, ABOUT_MAX);
        return false;
    }
    return true;
}

static bool register_flag(struct args *a, void *opts, int key)
{
    struct profile *p = opts;
    int64_t ms;

    switch (key) {
    case F_SPECIALTY:
        return append_word(a, "--specialty", SPECIALTY_MAX, p->specialties);
    case F_LANGUAGE: {
        const char *code;
        return args_language(a, "--language", a->value, &code) &&
               json_array_append_new(p->languages, json_string(code)) == 0;
    }
    case F_MFN_NUMBER:
        p->mfn_number = a->value;
        if (strlen(a->value) > MFN_NUMBER_MAX) {
            args_fail(a, "--mfn-number is longer than %d characters", MFN_NUMBER_MAX);
            return false;
        }
        return args_text(a, "--mfn-number", a->value);
    case F_MFN_EXPIRY:
        p->mfn_expiry = a->value;
        return args_date(a, "--mfn-expiry", a->value, &ms);
    case F_CAPACITY:
        p->has_capacity = true;
        return args_long(a, "--capacity", a->value, 0, CAPACITY_MAX, &p->capacity);
    case F_LAT:
        return args_lat(a, &p->place);
    case F_LON:
        return args_lon(a, &p->place);
    case F_NAME:
        p->name = a->value;
        if (!text_chars_ok(a->value, DISPLAY_NAME_MAX, false)) {
            args_fail(a, "--name is longer than %d characters, or not text on one line",
                      DISPLAY_NAME_MAX);
            return false;
        }
        return true;
    case F_ABOUT:
        return read_about(a, p);
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

static int register_check(const struct args *a, const struct profile *p)
{
    if (json_array_size(p->specialties) == 0)
        return args_fail(a, "--specialty is missing; name at least one");
    if (json_array_size(p->languages) == 0)
        return args_fail(a, "--language is missing; name at least one");
    if (!p->mfn_number)
        return args_fail(a, "--mfn-number is missing");
    if (!p->mfn_expiry)
        return args_fail(a, "--mfn-expiry is missing");
    if (!p->has_capacity)
        return args_fail(a, "--capacity is missing");
    if (!args_place_check(a, &p->place))
        return RC_USAGE;
    return RC_OK;
}

static void print_registered(const json_t *result, const void *ctx)
{
    (void)ctx;
    const char *name = out_str(result, "display_name");
    out_line("registered as mediator %s%s%s%s", out_str(result, "mediator_id"), name[0] ? " (" : "",
             name, name[0] ? ")" : "");
}

static int register_send(struct cli *cli, const struct profile *p)
{
    json_t *args = json_pack("{s:O, s:O, s:s, s:s, s:i}", "specialties", p->specialties,
                             "languages", p->languages, "mfn_number", p->mfn_number, "mfn_expiry",
                             p->mfn_expiry, "capacity", (int)p->capacity);

    args_place_add(args, &p->place);
    if (args && p->name)
        json_object_set_new(args, "display_name", json_string(p->name));
    if (args && p->about)
        json_object_set_new(args, "about", json_string(p->about));
    return cli_request(cli, "mediator.register", args, print_registered, NULL);
}

static int mediator_register(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct profile p = {.specialties = json_array(), .languages = json_array()};
    struct args a;
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (args_flags_only(&a, register_flag, &p, &rc) && (rc = register_check(&a, &p)) == RC_OK)
        rc = register_send(cli, &p);
    json_decref(p.specialties);
    json_decref(p.languages);
    free(p.about);
    return rc;
}

/* ---- mediator profile ---- */

static const struct flag profile_flags[] = {
    {F_NAME, "name", "NAME",
     "your name as the parties see it on the shortlist (at most 80 characters; \"\" clears it)"},
    {F_ABOUT, "about", "FILE",
     "a short public text about you, from FILE or - for standard input (at most 600 "
     "characters; an empty file clears it)"},
    {0, NULL, NULL, NULL},
};

static void print_face(const json_t *result, const void *ctx)
{
    const char *name = out_str(result, "display_name");
    size_t about = strlen(out_str(result, "about"));

    (void)ctx;
    out_line("shortlists from now on show mediator %s as %s, with %s",
             out_str(result, "mediator_id"), name[0] ? name : "their id alone",
             about ? "your text" : "no text about you");
}

static int mediator_profile(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct profile p = {0};
    struct args a;
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (args_flags_only(&a, register_flag, &p, &rc)) {
        if (!p.name && !p.about) {
            rc = args_fail(&a, "give --name, --about or both");
        } else {
            json_t *args = json_object();
            if (args && p.name)
                json_object_set_new(args, "display_name", json_string(p.name));
            if (args && p.about)
                json_object_set_new(args, "about", json_string(p.about));
            rc = cli_request(cli, "mediator.profile", args, print_face, NULL);
        }
    }
    free(p.about);
    return rc;
}

/* ---- mediator availability ---- */

static const struct flag availability_flags[] = {
    {F_WINDOW, "window", "FROM:TO",
     "available from FROM to TO, dates as YYYY-MM-DD "
     "(repeatable)"},
    {F_ALWAYS, "always", NULL, "available at any time"},
    {0, NULL, NULL, NULL},
};

static json_t *parse_window(struct args *a, const char *text)
{
    char from[16], to[16];
    int64_t from_ms, to_ms;
    const char *colon = strchr(text, ':');

    if (!colon || colon - text >= (long)sizeof from || strlen(colon + 1) >= sizeof to) {
        args_fail(a, "--window '%s' is not FROM:TO; write it as 2026-12-01:2026-12-24", text);
        return NULL;
    }
    snprintf(from, sizeof from, "%.*s", (int)(colon - text), text);
    snprintf(to, sizeof to, "%s", colon + 1);
    if (!args_date(a, "--window", from, &from_ms) || !args_date(a, "--window", to, &to_ms))
        return NULL;
    if (to_ms < from_ms) {
        args_fail(a, "--window '%s' ends before it starts", text);
        return NULL;
    }
    return json_pack("{s:s, s:s}", "from", from, "to", to);
}

static void print_windows(const json_t *windows)
{
    size_t i;
    const json_t *w;
    char from[32], to[32];

    if (json_array_size(windows) == 0) {
        out_line("  always");
        return;
    }
    json_array_foreach(windows, i, w)
    {
        date_text(json_object_get(w, "from"), from, sizeof from);
        date_text(json_object_get(w, "to"), to, sizeof to);
        out_line("  %s to %s", from, to);
    }
}

static void print_availability(const json_t *result, const void *ctx)
{
    const json_t *set = json_object_get(result, "windows");

    (void)ctx;
    if (json_is_array(set)) {
        out_line("mediator %s is available:", out_str(result, "mediator_id"));
        print_windows(set);
    } else if (out_int(result, "windows") > 0) {
        out_line("mediator %s is available in %lld window(s); see 'mpool mediator show'",
                 out_str(result, "mediator_id"), (long long)out_int(result, "windows"));
    } else {
        out_line("mediator %s is available at any time", out_str(result, "mediator_id"));
    }
}

struct availability {
    json_t *windows;
    bool always;
};

static bool availability_flag(struct args *a, void *opts, int key)
{
    struct availability *av = opts;

    if (key == F_ALWAYS) {
        av->always = true;
        return true;
    }
    json_t *w = parse_window(a, a->value);
    return w && json_array_append_new(av->windows, w) == 0;
}

static int availability_send(struct cli *cli, const struct args *a, const struct availability *av)
{
    if (av->always == (json_array_size(av->windows) > 0))
        return args_fail(a, "give either --always or one or more --window FROM:TO");
    return cli_request(cli, "mediator.availability", json_pack("{s:O}", "windows", av->windows),
                       print_availability, NULL);
}

static int mediator_availability(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct availability av = {.windows = json_array()};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (args_flags_only(&a, availability_flag, &av, &rc))
        rc = availability_send(cli, &a, &av);
    json_decref(av.windows);
    return rc;
}

/* ---- mediator capacity ---- */

static void print_capacity(const json_t *result, const void *ctx)
{
    (void)ctx;
    out_line("mediator %s takes at most %lld open cases", out_str(result, "mediator_id"),
             (long long)out_int(result, "capacity"));
}

static int mediator_capacity(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    int rc;
    long capacity;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags(&a, NULL, NULL, &rc))
        return rc;
    char **pos = args_positional(&a, 1, 1, "the number of cases you can take at once", NULL);
    if (!pos || !args_long(&a, "the number of cases", pos[0], 0, CAPACITY_MAX, &capacity))
        return RC_USAGE;
    return cli_request(cli, "mediator.capacity",
                       json_pack("{s:I}", "capacity", (json_int_t)capacity), print_capacity, NULL);
}

/* ---- mediator away ---- */

static const struct flag away_flags[] = {
    {F_FROM, "from", "DATE", "the first day you are away, YYYY-MM-DD"},
    {F_UNTIL, "until", "DATE", "the last day you are away, YYYY-MM-DD"},
    {F_CLEAR, "clear", NULL, "forget every away period: available again as your windows say"},
    {0, NULL, NULL, NULL},
};

struct away {
    const char *from, *until;
    bool clear;
};

static bool away_flag(struct args *a, void *opts, int key)
{
    struct away *w = opts;
    int64_t ms;

    if (key == F_CLEAR) {
        w->clear = true;
        return true;
    }
    if (!args_date(a, key == F_FROM ? "--from" : "--until", a->value, &ms))
        return false;
    *(key == F_FROM ? &w->from : &w->until) = a->value;
    return true;
}

static void print_away(const json_t *result, const void *ctx)
{
    (void)ctx;
    const json_t *away = json_object_get(result, "away");
    if (json_array_size(away) == 0) {
        out_line("mediator %s is not away", out_str(result, "mediator_id"));
        return;
    }
    out_line("mediator %s is away:", out_str(result, "mediator_id"));
    size_t i;
    const json_t *w;
    json_array_foreach(away, i, w)
    {
        out_line("  %s to %s", out_str(w, "from"), out_str(w, "until"));
    }
}

static int mediator_away(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct away w = {NULL, NULL, false};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, away_flag, &w, &rc))
        return rc;
    if (w.clear == (w.from || w.until))
        return args_fail(&a, "give --from DATE --until DATE, or --clear");
    if (!w.clear && (!w.from || !w.until))
        return args_fail(&a, "give both --from DATE and --until DATE");
    json_t *args = w.clear ? json_pack("{s:b}", "clear", 1)
                           : json_pack("{s:s, s:s}", "from", w.from, "until", w.until);
    return cli_request(cli, "mediator.away", args, print_away, NULL);
}

/* ---- mediator relationship ---- */

static const struct flag relationship_flags[] = {
    {F_REMOVE, "remove", NULL, "withdraw a relationship you declared before"},
    {F_REL_PARTIES, "parties", "FILE",
     "the person or unit, one KIND:NAME line (person:NAME or unit:NAME); - reads it from "
     "standard input (names never go on the command line)"},
    {0, NULL, NULL, NULL},
};

struct relationship {
    bool remove;
    json_t *parties;
};

static bool relationship_flag(struct args *a, void *opts, int key)
{
    struct relationship *r = opts;
    if (key == F_REL_PARTIES)
        return partyfile_parties(a, "--parties", a->value, r->parties);
    r->remove = true;
    return true;
}

/* The one party: from --parties, or a municipality on the command line. */
static json_t *relationship_party(struct args *a, struct relationship *r)
{
    int count = 0;
    char **pos = args_positional(a, 0, 1, "the municipality", &count);
    if (!pos)
        return NULL;
    if (count == 1) {
        json_t *party = partyfile_argv_party(a, "the relationship", pos[0]);
        if (!party || json_array_append_new(r->parties, party) != 0)
            return NULL;
    }
    if (json_array_size(r->parties) != 1) {
        args_fail(a, "name one party: --parties FILE (or - for standard input) with one "
                     "person:NAME or unit:NAME line, or a municipality's ID");
        return NULL;
    }
    return json_incref(json_array_get(r->parties, 0));
}

static void print_relationship_count(const json_t *result, const void *ctx)
{
    out_line("%s; mediator %s has declared %lld relationship(s)",
             *(const bool *)ctx ? "withdrawn" : "recorded", out_str(result, "mediator_id"),
             (long long)out_int(result, "count"));
}

static int mediator_relationship(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    int rc;
    struct relationship r = {false, json_array()};

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags(&a, relationship_flag, &r, &rc)) {
        json_decref(r.parties);
        return rc;
    }
    json_t *args = relationship_party(&a, &r);
    json_decref(r.parties);
    if (!args)
        return RC_USAGE;
    if (r.remove)
        json_object_set_new(args, "remove", json_true());
    return cli_request(cli, "mediator.relationship", args, print_relationship_count, &r.remove);
}

/* ---- mediator show ---- */

static void relationship_row(struct table *t, size_t i, const json_t *r)
{
    (void)i;
    table_row(t, out_str(r, "kind"), out_str(r, "label"));
}

static void print_mediator(const json_t *m, const void *ctx)
{
    char specialties[512], languages[256], expiry[32], lat[32], lon[32];

    (void)ctx;
    out_join(json_object_get(m, "specialties"), specialties, sizeof specialties);
    out_join(json_object_get(m, "languages"), languages, sizeof languages);
    date_text(json_object_get(m, "mfn_expiry"), expiry, sizeof expiry);
    out_number(json_object_get(m, "lat"), lat, sizeof lat);
    out_number(json_object_get(m, "lon"), lon, sizeof lon);

    out_line("Mediator %s", out_str(m, "mediator_id"));
    out_line("  name         %s", out_or(out_str(m, "display_name"), "- (set one with --name)"));
    out_line("  specialties  %s", specialties);
    out_line("  languages    %s", languages);
    out_line("  MfN          %s, until %s (%s)", out_or(out_str(m, "mfn_number"), "-"), expiry,
             out_bool(m, "certified") ? "certified" : "not certified");
    out_line("  capacity     at most %lld open cases; %lld now", (long long)out_int(m, "capacity"),
             (long long)out_int(m, "open_cases"));
    const json_t *pace = json_object_get(m, "pace");
    out_line("  MfN pace     %lld closed in the last 3 years, against %lld%s",
             (long long)out_int(pace, "closed_3y"), (long long)out_int(pace, "target"),
             out_bool(pace, "on_pace") ? "" : ": below the pace");
    out_line("  location     %s, %s", lat, lon);
    out_line("available:");
    print_windows(json_object_get(m, "windows"));
    size_t i;
    const json_t *w;
    json_array_foreach(json_object_get(m, "away"), i, w)
    {
        out_line("  but away %s to %s", out_str(w, "from"), out_str(w, "until"));
    }
    struct table *t = table_new(2, "KIND", "WITH");
    table_add_each(t, json_object_get(m, "relationships"), relationship_row);
    table_finish(t, "relationships:", "  ", "relationships: none declared");
    const char *about = out_str(m, "about");
    out_line("about you, as the parties read it:%s", about[0] ? "" : " nothing yet (--about FILE)");
    char line[4 * ABOUT_MAX + 1];
    for (const char *p = about; *p;) {
        size_t n = strcspn(p, "\r\n");
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        out_line("  %s", line);
        p += n;
        p += *p == '\r' && p[1] == '\n' ? 2 : *p ? 1 : 0;
    }
}

static int mediator_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return cli_query(cli, cmd, argc, argv, "mediator.show", print_mediator, NULL);
}

const struct command mediator_commands[] = {
    {"mediator", "register",
     "--specialty S... --language L... --mfn-number N --mfn-expiry YYYY-MM-DD --capacity N "
     "[--lat X --lon Y] [--name NAME] [--about FILE]",
     "Registers you as a mediator of the pool, or replaces your profile; your name and text "
     "are public, as in the MfN register, and the parties choose by them.",
     register_flags, mediator_register, NULL},
    {"mediator", "profile", "[--name NAME] [--about FILE]",
     "Changes your name and the text about you that the parties read on the shortlist, "
     "keeping the rest of your profile; both are public, as in the MfN register.",
     profile_flags, mediator_profile, NULL},
    {"mediator", "availability", "(--window FROM:TO... | --always)",
     "Sets when you can take cases; replaces what was set before.", availability_flags,
     mediator_availability, NULL},
    {"mediator", "relationship", "(--parties FILE | MUNICIPALITY) [--remove]",
     "Declares a relationship with a party: a person or unit from a file or standard input "
     "(--parties), or a municipality by its ID; --remove withdraws one.",
     relationship_flags, mediator_relationship, NULL},
    {"mediator", "away", "(--from DATE --until DATE | --clear)",
     "Records a period you are away: no case is offered to you then.", away_flags, mediator_away,
     NULL},
    {"mediator", "capacity", "N",
     "Sets how many open cases you take at most (0: none for now), keeping the rest of your "
     "profile.",
     args_no_flags, mediator_capacity, NULL},
    {"mediator", "show", "",
     "Shows your mediator profile, your open cases and your pace against the MfN's 9 in 3 "
     "years.",
     args_no_flags, mediator_show, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
