/* args: reading one command's flags with getopt_long, and checking every
 * value before anything is sent. The global flags (--config, --json,
 * --timeout, --help, --version) are accepted anywhere on the line.
 *
 * Every check that fails prints one line,
 *   mpool: <what is wrong>; see 'mpool <command> --help'
 * and returns false (or NULL); the command then exits with RC_USAGE. */
#ifndef MPOOL_CLIENT_ARGS_H
#define MPOOL_CLIENT_ARGS_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cli.h"

#define ARGS_END  (-1) /* no more flags; the positional arguments follow */
#define ARGS_HELP (-2) /* --help or --version was answered: exit 0 */
#define ARGS_BAD  (-3) /* a usage error was printed: exit 2 */

#define ARGS_MAX_OPTIONS 32
#define ARGS_TEXT_MAX    300 /* bytes in a reason or a note, as the node takes */
#define ARGS_PARTY_MAX   200 /* bytes in a party's name */

struct args {
    struct cli *cli;
    const struct command *cmd; /* NULL while reading flags before a command word */
    char where[64];            /* "case post": the command words, for messages */
    int argc;
    char **argv;
    const char *value; /* the value of the flag args_next returned */
    bool help;         /* --help before the command words */
    bool ranks;        /* args_ids takes a shortlist's number for a mediator */
    struct option options[ARGS_MAX_OPTIONS];
};

/* For one command: messages name it by its words, "case post". */
void args_init(struct args *a, struct cli *cli, const struct command *cmd, int argc, char **argv);

/* For main: reads global flags only and stops at the first word; where
 * names the words read so far ("" or a group), for messages. */
void args_init_global(struct args *a, struct cli *cli, const char *where, int argc, char **argv);

/* The flag table of a command that has no flags of its own. */
extern const struct flag args_no_flags[];

/* The key of the next flag of cmd (with its value in a->value), or
 * ARGS_END, ARGS_HELP or ARGS_BAD. Global flags are handled here. */
int args_next(struct args *a);

/* The exit code for what args_next returned when it was not a flag. */
int args_exit(int key);

/* Checks the value of one of a command's own flags (key) and keeps it in
 * opts. Returns false after printing a usage error. */
typedef bool (*args_flag_fn)(struct args *a, void *opts, int key);

/* Reads all flags, the command's own with flag (NULL when it has none).
 * Returns true when the positional arguments may follow; false with the
 * exit code in *rc after --help or a usage error. */
bool args_flags(struct args *a, args_flag_fn flag, void *opts, int *rc);
/* args_flags for a command that takes no positional arguments. */
bool args_flags_only(struct args *a, args_flag_fn flag, void *opts, int *rc);

/* The positional arguments after the flags: between min and max of them,
 * named by `names` in messages ("CASE MEDIATOR"). NULL after a usage error. */
char **args_positional(struct args *a, int min, int max, const char *names, int *count);

/* Exactly CASE (nwords 1), CASE MEDIATOR (nwords 2), or CASE MEDIATOR
 * [MEDIATOR] (nwords 3, the list then NULL-terminated after the last id
 * given), checked; NULL after a usage error. */
char **args_ids(struct args *a, int nwords);

/* Prints the usage error line and returns RC_USAGE. */
int args_fail(const struct args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* usage line, summary and flags of cmd, to stdout */
void args_print_help(const struct command *cmd);
/* the flags every command takes, to stdout */
void args_print_global_help(void);
/* "  left  text" with text wrapped at ARGS_HELP_COLUMNS under its own column */
void args_print_item(const char *left, int width, const char *text);

#define ARGS_HELP_COLUMNS 79

/* Value checks: each names the flag (or argument) and what it wants. */
bool args_long(const struct args *a, const char *name, const char *text, long min, long max,
               long *out);
bool args_double(const struct args *a, const char *name, const char *text, double min, double max,
                 double *out);
bool args_enum(const struct args *a, const char *name, const char *text,
               const char *const *allowed);
bool args_case_id(const struct args *a, const char *text);
bool args_mediator_id(const struct args *a, const char *text);
bool args_date(const struct args *a, const char *name, const char *text, int64_t *ms);
/* A lower-case word (an id) of at most max characters. */
bool args_word(const struct args *a, const char *name, const char *text, size_t max);
/* A language code (nl), or a language's name (Nederlands), as its code in
 * *code; else a message that says to use nl. */
bool args_language(const struct args *a, const char *name, const char *text, const char **code);
/* A state of allowed, by its name or its words, as its name in *state. */
bool args_state(const struct args *a, const char *name, const char *text,
                const char *const *allowed, const char **state);
/* Free text: not empty, at most ARGS_TEXT_MAX bytes, UTF-8, one line. */
bool args_text(const struct args *a, const char *name, const char *text);
/* Comma-separated list of states out of allowed (NULL: any word).
 * Returns a new JSON array of strings. */
json_t *args_state_list(const struct args *a, const char *name, const char *text,
                        const char *const *allowed);
/* KIND:VALUE, or a bare municipality id. Returns {"kind","value"}. */
json_t *args_party(const struct args *a, const char *name, const char *text);

/* --lat and --lon: a place, given with both or not at all. */
struct args_place {
    bool has_lat, has_lon;
    double lat, lon;
};
/* The value of --lat, or of --lon, into p. */
bool args_lat(const struct args *a, struct args_place *p);
bool args_lon(const struct args *a, struct args_place *p);
/* False after a usage error when only one of the two was given. */
bool args_place_check(const struct args *a, const struct args_place *p);
/* Adds "lat" and "lon" to a request's arguments when they were given. */
void args_place_add(json_t *args, const struct args_place *p);

/* Known names, NULL-terminated. */
extern const char *const args_case_states[];

#endif
