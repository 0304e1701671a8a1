/* args: getopt_long around one command's flag table, with the global flags
 * added to every table so that they work before or after the command
 * words, and the checks that keep bad values from ever reaching the node. */
#include "args.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "case_op.h"
#include "out.h"
#include "journey/journey.h"
#include "base/log.h"
#include "typed.h"

enum global_key {
    G_CONFIG = 1001,
    G_JSON,
    G_TIMEOUT,
    G_VERSION,
};

static const struct flag global_flags[] = {
    {G_CONFIG, "config", "FILE",
     "configuration file (default $MPOOL_CONFIG, then "
     "~/.config/mpool/mpool.conf)"},
    {G_JSON, "json", NULL, "print the node's result as one line of JSON"},
    {G_TIMEOUT, "timeout", "SEC",
     "seconds to wait for each answer of the node (default: "
     "the configuration's timeout, else 5)"},
    {'h', "help", NULL, "print this help and exit"},
    {G_VERSION, "version", NULL, "print mpool's version and exit"},
    {0, NULL, NULL, NULL},
};

const char *const args_case_states[] = {
    "posted",       "shortlisted", "chosen",    "offered",   "accepted", "awaiting_consent",
    "in_mediation", "closed",      "withdrawn", "escalated", NULL};

static void args_add_options(struct option **o, const struct option *end, const struct flag *f)
{
    for (; f && f->name; f++) {
        if (*o >= end)
            fatal("mpool: too many flags for one command; raise ARGS_MAX_OPTIONS");
        **o = (struct option){f->name, f->arg ? required_argument : no_argument, NULL, f->key};
        (*o)++;
    }
}

const struct flag args_no_flags[] = {{0, NULL, NULL, NULL}};

static void args_setup(struct args *a, struct cli *cli, const char *where,
                       const struct command *cmd, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    struct option *o = a->options;
    const struct option *end = a->options + ARGS_MAX_OPTIONS - 1;

    a->cli = cli;
    a->cmd = cmd;
    a->argc = argc;
    a->argv = argv;
    snprintf(a->where, sizeof a->where, "%s", where);
    if (cmd)
        args_add_options(&o, end, cmd->flags);
    args_add_options(&o, end, global_flags);
    *o = (struct option){NULL, 0, NULL, 0};
    /* 0, not 1: glibc then forgets all state of the previous scan. */
    optind = 0;
    opterr = 0;
}

void args_init(struct args *a, struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    char where[sizeof a->where];

    snprintf(where, sizeof where, "%s%s%s", cmd->group ? cmd->group : "", cmd->group ? " " : "",
             cmd->name);
    args_setup(a, cli, where, cmd, argc, argv);
}

void args_init_global(struct args *a, struct cli *cli, const char *where, int argc, char **argv)
{
    args_setup(a, cli, where, NULL, argc, argv);
}

int args_fail(const struct args *a, const char *fmt, ...)
{
    va_list ap;
    char hint[128];

    snprintf(hint, sizeof hint, "; see 'mpool %s%s--help'", a->where, a->where[0] ? " " : "");
    va_start(ap, fmt);
    out_verror(RC_USAGE, hint, fmt, ap);
    va_end(ap);
    return RC_USAGE;
}

int args_exit(int key)
{
    return key == ARGS_HELP ? RC_OK : RC_USAGE;
}

static int args_bad_flag(const struct args *a)
{
    const char *arg = optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "";

    if (strncmp(arg, "--", 2) != 0 && optopt > 0 && optopt < 128)
        args_fail(a, "unknown flag '-%c'", optopt);
    else if (optopt != 0)
        args_fail(a, "'%.*s' takes no value", (int)strcspn(arg, "="), arg);
    else
        args_fail(a, "unknown flag '%.*s'", (int)strcspn(arg, "="), arg);
    return ARGS_BAD;
}

static int args_missing_value(const struct args *a)
{
    const char *arg = optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "";

    args_fail(a, "'%s' needs a value", arg);
    return ARGS_BAD;
}

static int args_global(struct args *a, int key)
{
    long n;

    switch (key) {
    case G_CONFIG:
        if (a->value[0] == '\0') {
            args_fail(a, "--config needs a file name");
            return ARGS_BAD;
        }
        a->cli->config_path = a->value;
        return 0;
    case G_JSON:
        a->cli->json = true;
        out_set_json_errors(true);
        return 0;
    case G_TIMEOUT:
        if (!args_long(a, "--timeout", a->value, 1, CONN_TIMEOUT_MAX, &n))
            return ARGS_BAD;
        a->cli->timeout_s = (int)n;
        return 0;
    case G_VERSION:
        printf("mpool %s\n", MPOOL_VERSION);
        return ARGS_HELP;
    default:
        return key;
    }
}

int args_next(struct args *a)
{
    const char *optstring = a->cmd ? ":h" : "+:h";

    for (;;) {
        int key = getopt_long(a->argc, a->argv, optstring, a->options, NULL);
        a->value = optarg;
        switch (key) {
        case -1:
            return ARGS_END;
        case '?':
            return args_bad_flag(a);
        case ':':
            return args_missing_value(a);
        case 'h':
            if (!a->cmd) {
                a->help = true;
                continue;
            }
            args_print_help(a->cmd);
            return ARGS_HELP;
        default:
            key = args_global(a, key);
            if (key != 0)
                return key;
        }
    }
}

bool args_flags(struct args *a, args_flag_fn flag, void *opts, int *rc)
{
    int key;

    *rc = RC_USAGE;
    while ((key = args_next(a)) > 0)
        if (flag && !flag(a, opts, key))
            return false;
    if (key != ARGS_END) {
        *rc = args_exit(key);
        return false;
    }
    return true;
}

bool args_flags_only(struct args *a, args_flag_fn flag, void *opts, int *rc)
{
    if (!args_flags(a, flag, opts, rc))
        return false;
    *rc = RC_USAGE;
    return args_positional(a, 0, 0, "", NULL) != NULL;
}

char **args_positional(struct args *a, int min, int max, const char *names, int *count)
{
    int n = a->argc - optind;

    if (n < min) {
        args_fail(a, "%s %s missing", names, min > 1 ? "are" : "is");
        return NULL;
    }
    if (n > max) {
        args_fail(a, "unexpected argument '%s'", a->argv[optind + max]);
        return NULL;
    }
    if (count)
        *count = n;
    return a->argv + optind;
}

/* A shortlist's number, as its # column shows it: 1 to 99. */
static bool rank_word(const char *text)
{
    size_t n = strspn(text, "0123456789");
    return n > 0 && n <= 2 && text[n] == '\0' && text[0] != '0';
}

char **args_ids(struct args *a, int nwords)
{
    int count = 0;
    char **pos = args_positional(a, nwords == 3 ? 2 : nwords, nwords,
                                 nwords >= 2 ? "the case and the mediator" : "the case", &count);

    /* An id pasted from a table or a mail often brings a space along. */
    for (int i = 0; pos && i < count; i++)
        pos[i] = typed_trim(pos[i]);
    if (!pos || !args_case_id(a, pos[0]))
        return NULL;
    for (int i = 1; i < count; i++)
        if (!(a->ranks && rank_word(pos[i])) && !args_mediator_id(a, pos[i]))
            return NULL;
    if (count == 3 && strcmp(pos[1], pos[2]) == 0) {
        args_fail(a, "the same mediator twice; name two different mediators");
        return NULL;
    }
    return pos;
}

/* ---- help ---- */

static size_t flag_width(const struct flag *f)
{
    size_t w = 0;

    for (; f && f->name; f++) {
        size_t len = strlen(f->name) + 2 + (f->arg ? strlen(f->arg) + 1 : 0);
        if (len > w)
            w = len;
    }
    return w;
}

void args_print_item(const char *left, int width, const char *text)
{
    int col = 2 + width + 2;
    int at = printf("  %-*s  ", width, left);

    /* Words wrap below the text column, so the left column stays clear. */
    while (*text) {
        size_t word = strcspn(text, " ");
        if (at > col && at + (int)word > ARGS_HELP_COLUMNS) {
            at = printf("\n%*s", col, "") - 1;
        } else if (at > col) {
            at += printf(" ");
        }
        at += printf("%.*s", (int)word, text);
        text += word;
        text += strspn(text, " ");
    }
    putchar('\n');
}

static void print_flags(const struct flag *f, int width)
{
    char left[64];

    for (; f && f->name; f++) {
        if (f->key == 'h')
            snprintf(left, sizeof left, "-h, --%s", f->name);
        else
            snprintf(left, sizeof left, "--%s%s%s", f->name, f->arg ? " " : "",
                     f->arg ? f->arg : "");
        args_print_item(left, width, f->help);
    }
}

static int help_width(const struct command *cmd)
{
    size_t w = flag_width(global_flags) + 4;
    size_t own = cmd ? flag_width(cmd->flags) : 0;

    return (int)(own > w ? own : w);
}

void args_print_help(const struct command *cmd)
{
    int width = help_width(cmd);

    printf("usage: mpool %s%s%s%s%s\n\n%s\n", cmd->group ? cmd->group : "", cmd->group ? " " : "",
           cmd->name, cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->summary);
    if (cmd->flags && cmd->flags->name) {
        printf("\nflags:\n");
        print_flags(cmd->flags, width);
    }
    /* The codes come from the journey table the node checks them with. */
    const struct journey_step *step = cmd->case_op ? journey_step_of_op(cmd->case_op->op) : NULL;
    char codes[256];
    if (step && step->codes) {
        journey_codes_text(step, codes, sizeof codes);
        printf("\nreason codes:\n");
        args_print_item("", 0, codes);
    }
    printf("\nglobal flags:\n");
    print_flags(global_flags, width);
}

void args_print_global_help(void)
{
    print_flags(global_flags, help_width(NULL));
}

/* ---- value checks ---- */

bool args_long(const struct args *a, const char *name, const char *text, long min, long max,
               long *out)
{
    char *end;

    errno = 0;
    long n = strtol(text, &end, 10);
    if (text[0] == '\0' || text[0] == ' ' || errno != 0 || *end != '\0' || n < min || n > max) {
        args_fail(a, "%s '%s' is not a whole number from %ld to %ld", name, text, min, max);
        return false;
    }
    *out = n;
    return true;
}

bool args_double(const struct args *a, const char *name, const char *text, double min, double max,
                 double *out)
{
    char *end, point[64];

    /* 6,5 as people write it in Dutch: 6.5. */
    typed_decimal(text, point, sizeof point);
    errno = 0;
    double d = strtod(point, &end);
    if (point[0] == '\0' || point[0] == ' ' || errno != 0 || *end != '\0' || !isfinite(d) ||
        d < min || d > max) {
        /* The example fits the range: a latitude, a longitude, or hours. */
        const char *like = min >= 0 ? "6.5 or 6,5" : max <= 90 ? "52.09 or 52,09" : "5.12 or 5,12";
        args_fail(a, "%s '%s' is not a number from %g to %g, such as %s", name, text, min, max,
                  like);
        return false;
    }
    *out = d;
    return true;
}

static void join_words(const char *const *words, char *out, size_t outlen)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; words[i] && used < outlen; i++) {
        int n = snprintf(out + used, outlen - used, "%s%s", i ? ", " : "", words[i]);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

static bool word_in(const char *text, const char *const *words)
{
    for (size_t i = 0; words[i]; i++)
        if (strcmp(text, words[i]) == 0)
            return true;
    return false;
}

bool args_enum(const struct args *a, const char *name, const char *text, const char *const *allowed)
{
    char list[256];

    if (word_in(text, allowed))
        return true;
    join_words(allowed, list, sizeof list);
    args_fail(a, "%s '%s' is not one of: %s", name, text, list);
    return false;
}

bool args_case_id(const struct args *a, const char *text)
{
    if (case_id_valid(text))
        return true;
    args_fail(a, "'%s' is not a case id; case ids look like almere-1a2b3c4d", text);
    return false;
}

bool args_mediator_id(const struct args *a, const char *text)
{
    if (mediator_id_valid(text))
        return true;
    args_fail(a, "'%s' is not a mediator id; mediator ids look like zeist:bob", text);
    return false;
}

bool args_date(const struct args *a, const char *name, const char *text, int64_t *ms)
{
    int64_t t = date_parse_ms(text);

    if (t < 0) {
        args_fail(a, "%s '%s' is not a date; write it as YYYY-MM-DD", name, text);
        return false;
    }
    *ms = t;
    return true;
}

bool args_word(const struct args *a, const char *name, const char *text, size_t max)
{
    if (id_valid(text) && strlen(text) <= max)
        return true;
    args_fail(a, "%s '%s' is not a word of at most %zu of a-z, 0-9, '.', '_' and '-'", name, text,
              max);
    return false;
}

bool args_language(const struct args *a, const char *name, const char *text, const char **code)
{
    const char *named = typed_language_code(text);
    if (named) {
        *code = named;
        return true;
    }
    *code = text;
    if (id_valid(text) && strlen(text) <= LANGUAGE_MAX)
        return true;
    args_fail(a,
              "%s '%s' is not a language code: use nl for Dutch, en for English (the codes of "
              "ISO 639, such as de, fr, tr or ar)",
              name, text);
    return false;
}

bool args_state(const struct args *a, const char *name, const char *text,
                const char *const *allowed, const char **state)
{
    *state = typed_state(text, allowed);
    return *state || args_enum(a, name, text, allowed);
}

bool args_text(const struct args *a, const char *name, const char *text)
{
    size_t len = strlen(text);

    if (strspn(text, " \t") == len) {
        args_fail(a, "%s is empty; say it in a few words", name);
        return false;
    }
    if (len > ARGS_TEXT_MAX) {
        args_fail(a, "%s is %zu bytes long; keep it under %d", name, len, ARGS_TEXT_MAX);
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            args_fail(a, "%s holds a line break or control character; write one line", name);
            return false;
        }
    }
    /* jansson refuses to make a string of bytes that are not UTF-8. */
    json_t *s = json_string(text);
    if (!s) {
        args_fail(a, "%s is not UTF-8 text", name);
        return false;
    }
    json_decref(s);
    return true;
}

/* A state of allowed, as its name or in words; without a list (an
 * offer's states), a name in any case, with spaces or dashes for '_'. */
static bool state_word(const struct args *a, const char *name, char *word,
                       const char *const *allowed)
{
    const char *state;
    if (allowed) {
        if (!args_state(a, name, word, allowed, &state))
            return false;
        memmove(word, state, strlen(state) + 1); /* never longer than a state's words */
        return true;
    }
    for (char *p = word; *p; p++)
        *p = *p == ' ' || *p == '-' ? '_' : (char)tolower((unsigned char)*p);
    if (word[0] != '\0' && strspn(word, "abcdefghijklmnopqrstuvwxyz_") == strlen(word))
        return true;
    args_fail(a, "%s '%s' is not a state name", name, word);
    return false;
}

json_t *args_state_list(const struct args *a, const char *name, const char *text,
                        const char *const *allowed)
{
    json_t *list = json_array();
    char *copy = strdup(text);

    if (!list || !copy) {
        json_decref(list);
        free(copy);
        fatal("mpool: out of memory");
    }
    char *save = NULL;
    for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (!state_word(a, name, w, allowed) || json_array_append_new(list, json_string(w)) != 0) {
            json_decref(list);
            free(copy);
            return NULL;
        }
    }
    free(copy);
    if (json_array_size(list) == 0) {
        args_fail(a, "%s is empty; name one or more states, separated by commas", name);
        json_decref(list);
        return NULL;
    }
    return list;
}

bool args_lat(const struct args *a, struct args_place *p)
{
    p->has_lat = true;
    return args_double(a, "--lat", a->value, -90, 90, &p->lat);
}

bool args_lon(const struct args *a, struct args_place *p)
{
    p->has_lon = true;
    return args_double(a, "--lon", a->value, -180, 180, &p->lon);
}

bool args_place_check(const struct args *a, const struct args_place *p)
{
    if (p->has_lat == p->has_lon)
        return true;
    args_fail(a, "give --lat and --lon together");
    return false;
}

void args_place_add(json_t *args, const struct args_place *p)
{
    if (!args || !p->has_lat)
        return;
    json_object_set_new(args, "lat", json_real(p->lat));
    json_object_set_new(args, "lon", json_real(p->lon));
}

static const char *const party_kinds[] = {"municipality", "person", "unit", NULL};

json_t *args_party(const struct args *a, const char *name, const char *text)
{
    const char *colon = strchr(text, ':');
    char kind[16];
    const char *value = colon ? colon + 1 : text;

    if (!colon) {
        snprintf(kind, sizeof kind, "municipality");
    } else if ((size_t)(colon - text) >= sizeof kind) {
        args_fail(a,
                  "%s '%s' does not start with a kind; write municipality:ID, person:NAME "
                  "or unit:NAME",
                  name, text);
        return NULL;
    } else {
        snprintf(kind, sizeof kind, "%.*s", (int)(colon - text), text);
        if (!word_in(kind, party_kinds)) {
            args_fail(a, "%s '%s': the kind '%s' is not municipality, person or unit", name, text,
                      kind);
            return NULL;
        }
    }
    if (strcmp(kind, "municipality") == 0 && !id_valid(value)) {
        if (!colon)
            args_fail(a,
                      "%s '%s' names no kind, so it is read as a municipality id, which it is "
                      "not; for a person write person:%s, for a unit unit:%s",
                      name, text, text, text);
        else
            args_fail(a, "%s '%s' is not a municipality id, such as almere", name, text);
        return NULL;
    }
    if (!args_text(a, name, value))
        return NULL;
    if (strlen(value) > ARGS_PARTY_MAX) {
        args_fail(a, "%s: the name is longer than %d bytes", name, ARGS_PARTY_MAX);
        return NULL;
    }
    return json_pack("{s:s, s:s}", "kind", kind, "value", value);
}
