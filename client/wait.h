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

/* The state in a result, or NULL when the thing is not (yet) in it. */
typedef const char *(*wait_state_fn)(const json_t *result, const char *case_id);

struct wait {
    const char *op;     /* asked every WAIT_POLL_MS */
    const json_t *args; /* its arguments */
    const char *case_id;
    const json_t *states; /* array of the wanted state names */
    int timeout_s;
    wait_state_fn state_of;
    const char *what; /* "case" or "the offer for case", for messages */
};

/* --state STATE[,STATE...] (required) and --timeout-wait SEC. */
extern const struct flag wait_flags[];

/* Reads the flags of a wait command: the states (out of allowed, or any
 * state-like word when NULL) into a new array *states, and w->timeout_s.
 * Returns false with the exit code in *rc after --help or a usage error;
 * the caller releases *states either way. */
bool wait_read_flags(struct args *a, struct wait *w, const char *const *allowed, json_t **states,
                     int *rc);

/* Returns RC_OK with the last reply in out once the state is one of
 * w->states; otherwise an exit code after printing why (RC_ERROR when the
 * time is up). */
int wait_for(struct cli *cli, const struct wait *w, struct reply *out);

#endif
