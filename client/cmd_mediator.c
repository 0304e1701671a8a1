/* cmd_mediator: a mediator's own profile: registration, availability and
 * declared relationships. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"

/* The node's limits. */
#define MFN_NUMBER_MAX 32
#define CAPACITY_MAX   20
#define SPECIALTY_MAX  31
#define LANGUAGE_MAX   8

enum {
    F_SPECIALTY = 1,
    F_LANGUAGE,
    F_MFN_NUMBER,
    F_MFN_EXPIRY,
    F_CAPACITY,
    F_LAT,
    F_LON,
    F_WINDOW,
    F_ALWAYS
};

static const struct flag no_flags[] = {{0, NULL, NULL, NULL}};

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

/* Reads no flags, and the number of positional arguments given. */
static char **plain_args(struct args *a, int nwords, const char *names, int *rc)
{
    int key;

    *rc = RC_USAGE;
    while ((key = args_next(a)) > 0)
        ;
    if (key != ARGS_END) {
        *rc = args_exit(key);
        return NULL;
    }
    char **pos = args_positional(a, nwords, nwords, names, NULL);
    if (pos)
        *rc = RC_OK;
    return pos;
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
    {0, NULL, NULL, NULL},
};

struct profile {
    json_t *specialties, *languages;
    const char *mfn_number, *mfn_expiry;
    long capacity;
    bool has_capacity, has_lat, has_lon;
    double lat, lon;
};

static bool append_word(struct args *a, const char *name, size_t max, json_t *list)
{
    if (!args_word(a, name, a->value, max))
        return false;
    return json_array_append_new(list, json_string(a->value)) == 0;
}

static bool register_flag(struct args *a, struct profile *p, int key)
{
    int64_t ms;

    switch (key) {
    case F_SPECIALTY:
        return append_word(a, "--specialty", SPECIALTY_MAX, p->specialties);
    case F_LANGUAGE:
        return append_word(a, "--language", LANGUAGE_MAX, p->languages);
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
        p->has_lat = true;
        return args_double(a, "--lat", a->value, -90, 90, &p->lat);
    case F_LON:
        p->has_lon = true;
        return args_double(a, "--lon", a->value, -180, 180, &p->lon);
    default:
        args_fail(a, "internal error: flag %d has no handler", key);
        return false;
    }
}

static int register_check(struct args *a, const struct profile *p)
{
    if (!args_positional(a, 0, 0, "", NULL))
        return RC_USAGE;
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
    if (p->has_lat != p->has_lon)
        return args_fail(a, "give --lat and --lon together");
    return RC_OK;
}

static int register_send(struct cli *cli, const struct profile *p)
{
    struct reply r;
    json_t *args = json_pack("{s:O, s:O, s:s, s:s, s:i}", "specialties", p->specialties,
                             "languages", p->languages, "mfn_number", p->mfn_number, "mfn_expiry",
                             p->mfn_expiry, "capacity", (int)p->capacity);

    if (args && p->has_lat) {
        json_object_set_new(args, "lat", json_real(p->lat));
        json_object_set_new(args, "lon", json_real(p->lon));
    }
    int rc = cli_call(cli, "mediator.register", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        out_line("registered as mediator %s", out_str(r.result, "mediator_id"));
    reply_free(&r);
    return RC_OK;
}

static int mediator_register(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct profile p = {.specialties = json_array(), .languages = json_array()};
    struct args a;
    int key, rc;

    args_init(&a, cli, "mediator register", cmd, argc, argv);
    while ((key = args_next(&a)) > 0)
        if (!register_flag(&a, &p, key)) {
            key = ARGS_BAD;
            break;
        }
    if (key != ARGS_END)
        rc = args_exit(key);
    else if ((rc = register_check(&a, &p)) == RC_OK)
        rc = register_send(cli, &p);
    json_decref(p.specialties);
    json_decref(p.languages);
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

static int availability_send(struct cli *cli, json_t *windows)
{
    struct reply r;
    json_t *args = json_pack("{s:O}", "windows", windows);

    int rc = cli_call(cli, "mediator.availability", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    const json_t *set = json_object_get(r.result, "windows");
    if (cli->json) {
        out_json(r.result);
    } else if (json_is_array(set)) {
        out_line("mediator %s is available:", out_str(r.result, "mediator_id"));
        print_windows(set);
    } else if (out_int(r.result, "windows") > 0) {
        out_line("mediator %s is available in %lld window(s); see 'mpool mediator show'",
                 out_str(r.result, "mediator_id"), (long long)out_int(r.result, "windows"));
    } else {
        out_line("mediator %s is available at any time", out_str(r.result, "mediator_id"));
    }
    reply_free(&r);
    return RC_OK;
}

static int mediator_availability(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    json_t *windows = json_array();
    bool always = false;
    int key, rc;

    args_init(&a, cli, "mediator availability", cmd, argc, argv);
    while ((key = args_next(&a)) > 0) {
        json_t *w = key == F_WINDOW ? parse_window(&a, a.value) : NULL;
        always = always || key == F_ALWAYS;
        if (key == F_WINDOW && (!w || json_array_append_new(windows, w) != 0)) {
            key = ARGS_BAD;
            break;
        }
    }
    if (key != ARGS_END)
        rc = args_exit(key);
    else if (!args_positional(&a, 0, 0, "", NULL))
        rc = RC_USAGE;
    else if (always == (json_array_size(windows) > 0))
        rc = args_fail(&a, "give either --always or one or more --window FROM:TO");
    else
        rc = availability_send(cli, windows);
    json_decref(windows);
    return rc;
}

/* ---- mediator relationship ---- */

static int mediator_relationship(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    int rc;

    args_init(&a, cli, "mediator relationship", cmd, argc, argv);
    char **pos = plain_args(&a, 1, "KIND:VALUE", &rc);
    if (!pos)
        return rc;
    json_t *args = args_party(&a, "KIND:VALUE", pos[0]);
    if (!args)
        return RC_USAGE;
    rc = cli_call(cli, "mediator.relationship", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        out_line("recorded; mediator %s has declared %lld relationship(s)",
                 out_str(r.result, "mediator_id"), (long long)out_int(r.result, "count"));
    reply_free(&r);
    return RC_OK;
}

/* ---- mediator show ---- */

static void print_relationships(const json_t *rels)
{
    size_t i;
    const json_t *r;

    if (json_array_size(rels) == 0) {
        out_line("relationships: none declared");
        return;
    }
    struct table *t = table_new(2, "KIND", "WITH");
    json_array_foreach(rels, i, r)
    {
        table_row(t, out_str(r, "kind"), out_str(r, "label"));
    }
    out_line("relationships:");
    table_print(t, "  ");
    table_free(t);
}

static void print_mediator(const json_t *m)
{
    char specialties[512], languages[256], expiry[32], lat[32], lon[32];

    out_join(json_object_get(m, "specialties"), specialties, sizeof specialties);
    out_join(json_object_get(m, "languages"), languages, sizeof languages);
    date_text(json_object_get(m, "mfn_expiry"), expiry, sizeof expiry);
    out_number(json_object_get(m, "lat"), lat, sizeof lat);
    out_number(json_object_get(m, "lon"), lon, sizeof lon);

    out_line("Mediator %s", out_str(m, "mediator_id"));
    out_line("  specialties  %s", specialties);
    out_line("  languages    %s", languages);
    out_line("  MfN          %s, until %s (%s)", out_or(out_str(m, "mfn_number"), "-"), expiry,
             out_bool(m, "certified") ? "certified" : "not certified");
    out_line("  capacity     at most %lld open cases", (long long)out_int(m, "capacity"));
    out_line("  location     %s, %s", lat, lon);
    out_line("available:");
    print_windows(json_object_get(m, "windows"));
    print_relationships(json_object_get(m, "relationships"));
}

static int mediator_show(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    int rc;

    args_init(&a, cli, "mediator show", cmd, argc, argv);
    if (!plain_args(&a, 0, "", &rc))
        return rc;
    json_t *args = json_object();
    rc = cli_call(cli, "mediator.show", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json)
        out_json(r.result);
    else
        print_mediator(r.result);
    reply_free(&r);
    return RC_OK;
}

const struct command mediator_commands[] = {
    {"mediator", "register",
     "--specialty S... --language L... --mfn-number N --mfn-expiry YYYY-MM-DD --capacity N "
     "[--lat X --lon Y]",
     "Registers you as a mediator of the pool, or replaces your profile.", register_flags,
     mediator_register},
    {"mediator", "availability", "(--window FROM:TO... | --always)",
     "Sets when you can take cases; replaces what was set before.", availability_flags,
     mediator_availability},
    {"mediator", "relationship", "KIND:VALUE",
     "Declares a relationship with a party: person:NAME, unit:NAME or municipality:ID (a "
     "bare ID is a municipality).",
     no_flags, mediator_relationship},
    {"mediator", "show", "", "Shows your mediator profile.", no_flags, mediator_show},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
