/* rawclient: sends one client request exactly as given, as another
 * client might, and prints the node's answer.
 *
 *   rawclient CONFIG OP ARGS_JSON [BLOB_FILE]
 *
 * CONFIG is a person's mpool configuration. Prints "STATUS: error" (or
 * "OK" and the result) and exits with the status number, so a scenario
 * can send what mpool itself would never send: unknown keys, wrong
 * types, control characters, a narrative that is not UTF-8. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "mpool.pb-c.h"

static uint8_t *read_blob(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, 1 << 20, f) : 0;
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 4 || argc > 5) {
        fprintf(stderr, "usage: rawclient CONFIG OP ARGS_JSON [BLOB_FILE]\n");
        return 64;
    }
    struct client_config cfg;
    struct user_keys keys;
    char err[512];
    if (client_config_load(argv[1], &cfg, err, sizeof err) < 0 ||
        user_keys_load(cfg.key_file, &keys, err, sizeof err) < 0) {
        fprintf(stderr, "rawclient: %s\n", err);
        return 64;
    }
    size_t bloblen = 0;
    uint8_t *blob = argc == 5 ? read_blob(argv[4], &bloblen) : NULL;
    if (argc == 5 && !blob) {
        fprintf(stderr, "rawclient: cannot read %s\n", argv[4]);
        return 64;
    }
    struct conn *c = conn_open(cfg.node, cfg.node_key, &keys, err, sizeof err);
    user_keys_wipe(&keys);
    struct reply r = {0};
    /* RAW_REQUEST_ID sends with that request id: a repeat, as after a
     * reply that never came. */
    const char *fixed = getenv("RAW_REQUEST_ID");
    int timeout = cfg.timeout_s * 1000, rc = CONN_ERROR;
    if (c && fixed)
        rc = conn_call_id(c, strtoull(fixed, NULL, 10), argv[2], argv[3], blob, bloblen, timeout,
                          &r, err, sizeof err);
    else if (c)
        rc = conn_call(c, argv[2], argv[3], blob, bloblen, timeout, &r, err, sizeof err);
    free(blob);
    if (rc != CONN_OK) {
        fprintf(stderr, "rawclient: %s\n", rc == CONN_TIMEOUT ? "no answer" : err);
        conn_close(c);
        return 65;
    }
    if (r.status == MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK) {
        char *text = json_dumps(r.result, JSON_COMPACT);
        printf("OK %s\n", text ? text : "{}");
        free(text);
    } else {
        printf("%d: %s\n", r.status, r.error ? r.error : "");
    }
    int status = r.status;
    reply_free(&r);
    conn_close(c);
    return status == MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK ? 0 : status;
}
