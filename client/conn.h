/* conn: mpool's configuration file and its one connection to the node.
 *
 *   [client]
 *   user = alice            ; for display only
 *   node = tcp://127.0.0.1:7101
 *   node_key = <Z85 CURVE public key of the node>
 *   key = alice.key         ; the person's key file, relative to this file's folder
 *   timeout = 5             ; seconds to wait for the node
 *
 * The connection is a CURVE DEALER: the person's key pair authenticates
 * them to the node, the pinned node_key authenticates the node. */
#ifndef MPOOL_CLIENT_CONN_H
#define MPOOL_CLIENT_CONN_H

#include <jansson.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "store/config.h"
#include "base/ids.h"
#include "wire/keys.h"

#define CONN_TIMEOUT_DEFAULT 5
#define CONN_TIMEOUT_MAX     3600

struct client_config {
    char path[PATH_MAX];
    char user[ID_MAX];
    char node[ENDPOINT_MAX];
    uint8_t node_key[KEY_LEN];
    char key_file[PATH_MAX];
    int timeout_s;
};

/* Where the configuration is: explicit (--config) if not NULL, else
 * $MPOOL_CONFIG, else ~/.config/mpool/mpool.conf. *origin says which, for
 * messages. Returns 0, or -1 with a reason in err. */
int client_config_path(const char *explicit_path, char *out, size_t outlen, const char **origin,
                       char *err, size_t errlen);

/* Reads and checks the whole file; unknown sections and keys are errors.
 * Returns 0, or -1 with a one-line message naming the file and key. */
int client_config_load(const char *path, struct client_config *cfg, char *err, size_t errlen);

/* What the node answered. */
struct reply {
    int status; /* Mpool__V1__ReplyStatus */
    char *error;
    json_t *result; /* an object; {} when the node sent none */
    uint8_t *blob;
    size_t bloblen;
};

void reply_free(struct reply *r);

struct conn;

/* Connects (ZeroMQ connects lazily, so this succeeds without a node).
 * Returns NULL with a reason in err. The keys may be wiped afterwards. */
struct conn *conn_open(const char *endpoint, const uint8_t node_key[KEY_LEN],
                       const struct user_keys *keys, char *err, size_t errlen);

#define CONN_OK      0
#define CONN_ERROR   -1 /* err says why */
#define CONN_TIMEOUT -2 /* no reply to this request within timeout_ms */
#define CONN_REFUSED -3 /* the node refused the person's key at the handshake */

/* One request, one reply: replies to earlier requests are skipped. With
 * no reply by half the timeout the request is sent once more with the
 * same request_id, which the node takes as the same request. */
int conn_call(struct conn *c, const char *op, const char *args_json, const uint8_t *blob,
              size_t bloblen, int timeout_ms, struct reply *out, char *err, size_t errlen);
/* The same with a request_id of the caller's. */
int conn_call_id(struct conn *c, uint64_t request_id, const char *op, const char *args_json,
                 const uint8_t *blob, size_t bloblen, int timeout_ms, struct reply *out, char *err,
                 size_t errlen);

void conn_close(struct conn *c);

#endif
