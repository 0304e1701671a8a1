/* wait: polling the node until a case or an offer reaches a state, for
 * scripts and tests that must not race the pool. */
#ifndef MPOOL_CLIENT_WAIT_H
#define MPOOL_CLIENT_WAIT_H

#include <jansson.h>

#include "args.h"
#include "cli.h"

#define WAIT_DEFAULT_S 30
#define WAIT_MAX_S     86400
#define WAIT_POLL_MS   100

/* --state STATE[,STATE...] (required) and --timeout-wait SEC. */
extern const struct flag wait_flags[];

/* What a wait command asks for and shows. */
struct wait_kind {
    const char *op;                       /* asked every WAIT_POLL_MS */
    json_t *(*args)(const char *case_id); /* its arguments */
    const char *const *allowed;           /* the state names, or NULL for any state-like word */
    /* The state in a result, or NULL when the thing is not (yet) in it. */
    const char *(*state_of)(const json_t *result, const char *case_id);
    const char *what; /* "case" or "the offer for case", for messages */
    /* Prints the result that ended the wait, with --json too. */
    void (*show)(const struct cli *cli, const json_t *result, const char *case_id);
    /* Without CASE: the kind of notice to wait for (watch.h); NULL: CASE
     * is required. */
    const char *next_notice;
};

/* Reads the flags and CASE, then asks until the state is one of those
 * given and shows the result. Exit 1 when the time is up; other errors
 * end the wait at once with their own exit code. */
int wait_command(struct cli *cli, const struct command *cmd, int argc, char **argv,
                 const struct wait_kind *kind);

#endif
