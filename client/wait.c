/* wait: one connection, one request every WAIT_POLL_MS. An error from the
 * node ends the wait at once with that error's exit code: waiting longer
 * for a case that does not exist or may not be seen helps nobody. */
#include "wait.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

#include "out.h"
#include "watch.h"

enum { WAIT_F_STATE = 1, WAIT_F_TIMEOUT };

const struct flag wait_flags[] = {
    {WAIT_F_STATE, "state", "STATE[,STATE...]", "the states to wait for (required)"},
    {WAIT_F_TIMEOUT, "timeout-wait", "SEC", "give up after this many seconds (default 30)"},
    {0, NULL, NULL, NULL},
};

struct wait {
    const struct wait_kind *kind;
    const char *case_id;
    json_t *states; /* array of the wanted state names */
    int timeout_s;
};

static bool wait_flag(struct args *a, void *opts, int key)
{
    struct wait *w = opts;
    long secs;

    if (key == WAIT_F_STATE) {
        json_decref(w->states);
        w->states = args_state_list(a, "--state", a->value, w->kind->allowed);
        return w->states != NULL;
    }
    if (!args_long(a, "--timeout-wait", a->value, 1, WAIT_MAX_S, &secs))
        return false;
    w->timeout_s = (int)secs;
    return true;
}

/* The flags, then CASE. False with the exit code in *rc when the command
 * must stop (after --help, or a usage error). */
static bool wait_read(struct args *a, struct wait *w, int *rc)
{
    if (!args_flags(a, wait_flag, w, rc))
        return false;
    *rc = RC_USAGE;
    int count = 0;
    char **pos = args_positional(a, w->kind->next_notice ? 0 : 1, 1, "the case", &count);
    if (!pos)
        return false;
    if (count == 0) {
        if (w->states)
            args_fail(a, "--state goes with a case id; without a case, mpool waits for the next %s",
                      w->kind->next_notice);
        return !w->states;
    }
    if (!w->states) {
        args_fail(a, "--state is missing; name the states to wait for");
        return false;
    }
    if (!args_case_id(a, pos[0]))
        return false;
    w->case_id = pos[0];
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
        out_error(RC_ERROR, "%s %s is still %s after %d s", w->kind->what, id, last, w->timeout_s);
    else
        out_error(RC_ERROR, "%s %s has not arrived after %d s", w->kind->what, id, w->timeout_s);
}

/* Returns RC_OK with the last reply in out once the state is wanted. */
static int wait_for(struct cli *cli, const struct wait *w, const json_t *args, struct reply *out)
{
    int64_t deadline = zclock_mono() + (int64_t)w->timeout_s * 1000;

    for (;;) {
        int rc = cli_call(cli, w->kind->op, args, NULL, 0, out);
        if (rc != RC_OK)
            return rc;
        const char *state = w->kind->state_of(out->result, w->case_id);
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

static int wait_run(struct cli *cli, const struct wait *w)
{
    if (!w->case_id)
        return watch_for(cli, w->kind->next_notice, w->timeout_s);
    struct reply r;
    json_t *args = w->kind->args(w->case_id);

    int rc = args ? wait_for(cli, w, args, &r) : RC_ERROR;
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    w->kind->show(cli, r.result, w->case_id);
    reply_free(&r);
    return RC_OK;
}

int wait_command(struct cli *cli, const struct command *cmd, int argc, char **argv,
                 const struct wait_kind *kind)
{
    struct args a;
    struct wait w = {.kind = kind, .timeout_s = WAIT_DEFAULT_S};

    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (wait_read(&a, &w, &rc))
        rc = wait_run(cli, &w);
    json_decref(w.states);
    return rc;
}
