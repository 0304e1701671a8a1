/* watch: asks for the notices after the last one seen, once a second. A
 * node that does not answer (it restarts, say) is asked again: the
 * numbering survives it, so nothing is missed and nothing shown twice. */
#include "watch.h"

#include <czmq.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"

static volatile sig_atomic_t watch_stopped;

static void on_stop(int sig)
{
    (void)sig;
    watch_stopped = 1;
}

static void catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void print_notice(const struct cli *cli, const json_t *notice)
{
    if (cli->json) {
        out_json(notice);
        fflush(stdout);
        return;
    }
    char when[24];
    out_time(out_int(notice, "at_ms"), when, sizeof when);
    out_line("%s  %s", when, out_str(notice, "what"));
    size_t i;
    const json_t *command;
    json_array_foreach(json_object_get(notice, "commands"), i, command)
    {
        out_line("    %s", json_string_value(command) ? json_string_value(command) : "");
    }
    fflush(stdout);
}

/* One question to the node. RC_OK with the next `after` in *after and the
 * notices shown, or the exit code of an answer that ends the watch. A node
 * that does not answer is RC_OK with nothing: asked again. */
static int watch_once(struct cli *cli, long *after, const char *kind, bool *found, bool *quiet)
{
    struct reply r;
    json_t *args = *after >= 0 ? json_pack("{sI}", "after", (json_int_t)*after) : json_object();
    int rc = cli_poll(cli, "notice.list", args, &r);
    json_decref(args);
    if (rc == RC_UNREACHABLE) {
        if (!*quiet)
            fprintf(stderr, "mpool: the node at %s does not answer; still watching\n",
                    cli->cfg.node);
        *quiet = true;
        return RC_OK;
    }
    if (rc != RC_OK)
        return rc;
    if (*quiet)
        fprintf(stderr, "mpool: the node answers again\n");
    *quiet = false;
    size_t i;
    const json_t *notice;
    json_array_foreach(json_object_get(r.result, "notices"), i, notice)
    {
        if (*found)
            break;
        if (!kind || strcmp(out_str(notice, "kind"), kind) == 0) {
            print_notice(cli, notice);
            *found = kind != NULL;
        }
    }
    *after = (long)out_int(r.result, "next");
    reply_free(&r);
    return RC_OK;
}

/* Until stopped, or a notice of kind came, or timeout_s (0: never). */
static int watch_run(struct cli *cli, long after, const char *kind, int timeout_s)
{
    int64_t deadline = zclock_mono() + (int64_t)timeout_s * 1000;
    bool found = false, quiet = false;
    catch_stop();
    while (!watch_stopped) {
        int rc = watch_once(cli, &after, kind, &found, &quiet);
        if (rc != RC_OK || found)
            return rc;
        if (timeout_s > 0 && zclock_mono() >= deadline) {
            out_error(RC_ERROR, "no %s notice came within %d s", kind, timeout_s);
            return RC_ERROR;
        }
        for (int slept = 0; slept < WATCH_POLL_MS && !watch_stopped; slept += 100)
            zclock_sleep(100);
    }
    /* Stopped: a watch is done; a wait for a notice is not. */
    return kind ? out_error(RC_ERROR, "stopped before a %s notice came", kind) : RC_OK;
}

int watch_for(struct cli *cli, const char *kind, int timeout_s)
{
    return watch_run(cli, -1, kind, timeout_s);
}

enum { F_AFTER = 1 };

static const struct flag watch_flags[] = {
    {F_AFTER, "after", "SEQ",
     "also show what came after notice SEQ (a number under --json), then go on"},
    {0, NULL, NULL, NULL},
};

static bool watch_flag(struct args *a, void *opts, int key)
{
    (void)key;
    return args_long(a, "--after", a->value, 0, INT32_MAX, opts);
}

static int watch(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    long after = -1;
    int rc;
    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, watch_flag, &after, &rc))
        return rc;
    return watch_run(cli, after, NULL, 0);
}

const struct command watch_commands[] = {
    {NULL, "watch", "[--after SEQ]",
     "Shows what needs you as it happens (offers, shortlists, answers, decision dates); runs "
     "until stopped.",
     watch_flags, watch, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
