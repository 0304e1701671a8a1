/* wait: one connection, one request every WAIT_POLL_MS. An error from the
 * node ends the wait at once with that error's exit code: waiting longer
 * for a case that does not exist or may not be seen helps nobody. */
#include "wait.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

#include "out.h"

enum { WAIT_F_STATE = 1, WAIT_F_TIMEOUT };

const struct flag wait_flags[] = {
    {WAIT_F_STATE, "state", "STATE[,STATE...]", "the states to wait for (required)"},
    {WAIT_F_TIMEOUT, "timeout-wait", "SEC", "give up after this many seconds (default 30)"},
    {0, NULL, NULL, NULL},
};

static bool wait_flag(struct args *a, struct wait *w, const char *const *allowed, json_t **states,
                      int key)
{
    long secs;

    if (key == WAIT_F_STATE) {
        json_decref(*states);
        *states = args_state_list(a, "--state", a->value, allowed);
        return *states != NULL;
    }
    if (!args_long(a, "--timeout-wait", a->value, 1, WAIT_MAX_S, &secs))
        return false;
    w->timeout_s = (int)secs;
    return true;
}

bool wait_read_flags(struct args *a, struct wait *w, const char *const *allowed, json_t **states,
                     int *rc)
{
    int key;

    *rc = RC_USAGE;
    while ((key = args_next(a)) > 0)
        if (!wait_flag(a, w, allowed, states, key))
            return false;
    if (key != ARGS_END) {
        *rc = args_exit(key);
        return false;
    }
    if (!*states) {
        args_fail(a, "--state is missing; name the states to wait for");
        return false;
    }
    return true;
}

static bool state_wanted(const json_t *states, const char *state)
{
    size_t i;
    const json_t *v;

    json_array_foreach(states, i, v)
    {
        const char *s = json_string_value(v);
        if (s && strcmp(s, state) == 0)
            return true;
    }
    return false;
}

static void wait_timed_out(const struct wait *w, const char *state)
{
    char id[128], last[64];

    snprintf(id, sizeof id, "%s", w->case_id);
    snprintf(last, sizeof last, "%s", state ? state : "");
    out_sanitize(id);
    out_sanitize(last);
    if (state)
        fprintf(stderr, "mpool: %s %s is still %s after %d s\n", w->what, id, last, w->timeout_s);
    else
        fprintf(stderr, "mpool: %s %s has not arrived after %d s\n", w->what, id, w->timeout_s);
}

int wait_for(struct cli *cli, const struct wait *w, struct reply *out)
{
    int64_t deadline = zclock_mono() + (int64_t)w->timeout_s * 1000;

    for (;;) {
        int rc = cli_call(cli, w->op, w->args, NULL, 0, out);
        if (rc != RC_OK)
            return rc;
        const char *state = w->state_of(out->result, w->case_id);
        if (state && state_wanted(w->states, state))
            return RC_OK;
        if (zclock_mono() >= deadline) {
            wait_timed_out(w, state);
            reply_free(out);
            return RC_ERROR;
        }
        reply_free(out);
        zclock_sleep(WAIT_POLL_MS);
    }
}
