/* cli: what every mpool command shares: exit codes, the global flags, the
 * command table, the call to the person's own node and the printing of
 * its result.
 *
 * Nothing touches the configuration, the key file or the network until a
 * command has checked all its arguments, so that a usage error never
 * depends on the node and never sends half a request. */
#ifndef MPOOL_CLIENT_CLI_H
#define MPOOL_CLIENT_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn.h"
#include "wire/keys.h"

#ifndef MPOOL_VERSION
#define MPOOL_VERSION "0.1.0"
#endif

/* Exit codes; docs/protocol.md maps the node's reply statuses onto them. */
enum rc {
    RC_OK = 0,
    RC_ERROR = 1,
    RC_USAGE = 2,
    RC_REFUSED = 3,
    RC_NOT_FOUND = 4,
    RC_UNREACHABLE = 5,
};

struct cli {
    const char *config_path;  /* --config, or NULL */
    bool json;                /* --json */
    int timeout_s;            /* --timeout, or 0 for the configuration's */
    struct client_config cfg; /* read at the first request */
    struct conn *conn;
};

struct flag {
    int key;          /* what args_next returns for it; 1 and up */
    const char *name; /* the long name, without "--" */
    const char *arg;  /* the value's name in help, or NULL for a switch */
    const char *help;
};

struct command;
struct case_op;
typedef int (*command_fn)(struct cli *cli, const struct command *cmd, int argc, char **argv);

struct command {
    const char *group;        /* "case", or NULL for a command of its own */
    const char *name;         /* "post" */
    const char *synopsis;     /* arguments after the command words, for the usage line */
    const char *summary;      /* one line */
    const struct flag *flags; /* ends with a {0} entry */
    command_fn run;
    const struct case_op *case_op; /* for run = case_op_command, else NULL */
};

/* Sends op with args (a JSON object) and an optional blob, and waits for
 * the reply. Connects first when needed. On anything but an OK reply it
 * prints one "mpool: ..." line to stderr and returns the exit code;
 * on RC_OK, out holds the reply, to be freed with reply_free. */
int cli_call(struct cli *cli, const char *op, const json_t *args, const uint8_t *blob,
             size_t bloblen, struct reply *out);

/* cli_call for a read that is asked again and again (mpool watch): no
 * answer in time returns RC_UNREACHABLE without a word. */
int cli_poll(struct cli *cli, const char *op, const json_t *args, struct reply *out);

/* Prints a result for people, when --json is not given; ctx is the
 * command's own, for what the result does not say. */
typedef void (*cli_print_fn)(const json_t *result, const void *ctx);

/* Prints the result of an OK reply, as JSON with --json, else with
 * print; then frees the reply. */
void cli_print_reply(const struct cli *cli, struct reply *r, cli_print_fn print, const void *ctx);

/* cli_call without a blob, then cli_print_reply. Takes over args, which
 * may be NULL when building them ran out of memory. */
int cli_request(struct cli *cli, const char *op, json_t *args, cli_print_fn print, const void *ctx);

/* A command with no flags or arguments of its own: sends op with {} and
 * prints the result with print. */
int cli_query(struct cli *cli, const struct command *cmd, int argc, char **argv, const char *op,
              cli_print_fn print, const void *ctx);

/* A cli_print_fn for results such as {"case_id","state"}: "<case> is now <state>". */
void cli_print_state(const json_t *result, const void *ctx);

/* Loads the person's key pair, for the link or a sealed narrative, into
 * locked memory that no core file holds (sodium_malloc). Returns it, or
 * NULL with *rc set after printing why not. The caller frees it with
 * cli_user_keys_free as soon as it is used. */
struct user_keys *cli_user_keys(struct cli *cli, int *rc);
/* Wipes and frees keys from cli_user_keys; NULL is fine. */
void cli_user_keys_free(struct user_keys *keys);

/* The seconds a single request may take: --timeout, else the configuration's. */
int cli_timeout(const struct cli *cli);

void cli_close(struct cli *cli);

#endif
