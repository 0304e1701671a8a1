/* cli: the connection to the node is opened at the first request, so that
 * commands which fail their own checks never read the configuration; the
 * person's secret key lives in memory only while the socket is set up. */
#include "cli.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "args.h"
#include "mpool.pb-c.h"
#include "out.h"
#include "wire/names.h"

static int cli_load_config(struct cli *cli)
{
    char path[PATH_MAX], err[512];
    const char *origin = "";
    struct stat st;

    if (cli->cfg.path[0] != '\0')
        return RC_OK;
    if (client_config_path(cli->config_path, path, sizeof path, &origin, err, sizeof err) != 0) {
        out_error(RC_ERROR, "%s", err);
        return RC_ERROR;
    }
    if (stat(path, &st) != 0 && errno == ENOENT) {
        out_error(RC_ERROR,
                  "there is no configuration file %s (%s); write one with a "
                  "[client] section, or pass --config FILE",
                  path, origin);
        return RC_ERROR;
    }
    if (client_config_load(path, &cli->cfg, err, sizeof err) != 0) {
        cli->cfg.path[0] = '\0';
        out_error(RC_ERROR, "%s", err);
        return RC_ERROR;
    }
    return RC_OK;
}

struct user_keys *cli_user_keys(struct cli *cli, int *rc)
{
    char err[512];

    *rc = cli_load_config(cli);
    if (*rc != RC_OK)
        return NULL;
    struct user_keys *keys = sodium_malloc(sizeof *keys);
    if (!keys) {
        *rc = out_error(RC_ERROR, "cannot allocate locked memory for your key");
        return NULL;
    }
    if (user_keys_load(cli->cfg.key_file, keys, err, sizeof err) != 0) {
        cli_user_keys_free(keys);
        *rc = out_error(RC_ERROR, "%s (the key file named by [client] key in %s)", err,
                        cli->cfg.path);
        return NULL;
    }
    return keys;
}

void cli_user_keys_free(struct user_keys *keys)
{
    sodium_free(keys); /* wipes it first */
}

static int cli_connect(struct cli *cli)
{
    char err[512];
    int rc;

    if (cli->conn)
        return RC_OK;
    struct user_keys *keys = cli_user_keys(cli, &rc);
    if (!keys)
        return rc;
    cli->conn = conn_open(cli->cfg.node, cli->cfg.node_key, keys, err, sizeof err);
    cli_user_keys_free(keys);
    if (!cli->conn) {
        out_error(RC_ERROR, "%s (in %s)", err, cli->cfg.path);
        return RC_ERROR;
    }
    return RC_OK;
}

int cli_timeout(const struct cli *cli)
{
    if (cli->timeout_s > 0)
        return cli->timeout_s;
    return cli->cfg.timeout_s > 0 ? cli->cfg.timeout_s : CONN_TIMEOUT_DEFAULT;
}

static int status_rc(int status)
{
    switch (status) {
    case MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK:
        return RC_OK;
    case MPOOL__V1__REPLY_STATUS__REPLY_STATUS_BAD_REQUEST:
        return RC_USAGE;
    case MPOOL__V1__REPLY_STATUS__REPLY_STATUS_REFUSED:
        return RC_REFUSED;
    case MPOOL__V1__REPLY_STATUS__REPLY_STATUS_NOT_FOUND:
        return RC_NOT_FOUND;
    default:
        return RC_ERROR;
    }
}

/* The text comes from the network: out_error keeps escape sequences from
 * the terminal. */
static void print_node_error(const struct reply *r, int rc)
{
    if (r->error && r->error[0] != '\0')
        out_error(rc, "%s", r->error);
    else
        out_error(rc, "the node refused the request without saying why (status %d)", r->status);
}

static int call(struct cli *cli, const char *op, const json_t *args, const uint8_t *blob,
                size_t bloblen, struct reply *out, bool quiet_timeout)
{
    char err[512];

    memset(out, 0, sizeof *out);
    if (!args) {
        out_error(RC_ERROR, "out of memory while building the request");
        return RC_ERROR;
    }
    int rc = cli_connect(cli);
    if (rc != RC_OK)
        return rc;
    char *text = json_dumps(args, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text) {
        out_error(RC_ERROR, "out of memory while building the request");
        return RC_ERROR;
    }
    int timeout = cli_timeout(cli);
    rc = conn_call(cli->conn, op, text, blob, bloblen, timeout * 1000, out, err, sizeof err);
    free(text);
    if (rc == CONN_TIMEOUT && quiet_timeout)
        return RC_UNREACHABLE;
    if (rc == CONN_REFUSED) {
        out_error(RC_REFUSED,
                  "the node at %s does not know your key (yet): ask its administrator to add "
                  "you (mpoold user-add) and to reload the node; if they did, check that key = in "
                  "%s names the key file you were given",
                  cli->cfg.node, cli->cfg.path);
        return RC_REFUSED;
    }
    if (rc == CONN_TIMEOUT) {
        out_error(RC_UNREACHABLE,
                  "no answer from the node at %s within %d s; a change may still have "
                  "been made: look (mpool case list, offer list, ...) before you repeat it. "
                  "If mpoold is running, node_key in your configuration may not be its key: "
                  "ask its administrator",
                  cli->cfg.node, timeout);
        return RC_UNREACHABLE;
    }
    if (rc != CONN_OK) {
        out_error(RC_ERROR, "%s", err);
        return RC_ERROR;
    }
    rc = status_rc(out->status);
    if (rc != RC_OK) {
        print_node_error(out, rc);
        reply_free(out);
    }
    return rc;
}

int cli_call(struct cli *cli, const char *op, const json_t *args, const uint8_t *blob,
             size_t bloblen, struct reply *out)
{
    return call(cli, op, args, blob, bloblen, out, false);
}

int cli_poll(struct cli *cli, const char *op, const json_t *args, struct reply *out)
{
    return call(cli, op, args, NULL, 0, out, true);
}

void cli_print_reply(const struct cli *cli, struct reply *r, cli_print_fn print, const void *ctx)
{
    if (cli->json)
        out_json(r->result);
    else
        print(r->result, ctx);
    reply_free(r);
}

int cli_request(struct cli *cli, const char *op, json_t *args, cli_print_fn print, const void *ctx)
{
    struct reply r;

    int rc = cli_call(cli, op, args, NULL, 0, &r);
    json_decref(args);
    if (rc == RC_OK)
        cli_print_reply(cli, &r, print, ctx);
    return rc;
}

int cli_query(struct cli *cli, const struct command *cmd, int argc, char **argv, const char *op,
              cli_print_fn print, const void *ctx)
{
    struct args a;
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, NULL, NULL, &rc))
        return rc;
    return cli_request(cli, op, json_object(), print, ctx);
}

void cli_print_state(const json_t *result, const void *ctx)
{
    (void)ctx;
    const char *state = out_str(result, "state");
    const char *words = case_state_words(state);
    /* "answered" is an offer's state only. */
    if (words == state)
        words = offer_state_words(state);
    printf("%s: %s\n", out_str(result, "case_id"), words);
}

void cli_close(struct cli *cli)
{
    conn_close(cli->conn);
    cli->conn = NULL;
}
