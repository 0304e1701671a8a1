/* conn: the client configuration, and request/reply with the node over a
 * CURVE DEALER. A reply is matched to its request by request_id, so that
 * a late answer to an earlier request (after a timeout, or while polling)
 * is never taken for the answer to this one. */
#include "conn.h"

#include <czmq.h>
#include <errno.h>
#include <pwd.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire/envelope.h"
#include "mpool.pb-c.h"

/* Larger than any reply the node sends (a sealed narrative is at most
 * 64 KiB), so that a bigger frame can only come from a broken peer. */
#define CONN_MAX_MESSAGE (1024 * 1024 + 64 * 1024)

struct conn {
    zsock_t *sock;
    /* The socket's handshake events: a node that does not know the
     * person's key refuses it there, and would otherwise just be silent. */
    zsock_t *monitor;
};

/* ---- configuration ---- */

enum conf_key { CK_USER, CK_NODE, CK_NODE_KEY, CK_KEY, CK_TIMEOUT, CK_COUNT };

static const char *const conf_names[CK_COUNT] = {"user", "node", "node_key", "key", "timeout"};

struct conf_loader {
    struct client_config *cfg;
    char dir[PATH_MAX];
    bool seen[CK_COUNT];
};

static int conf_key_index(const char *name)
{
    for (int i = 0; i < CK_COUNT; i++)
        if (strcmp(conf_names[i], name) == 0)
            return i;
    return -1;
}

static int conf_set_text(struct conf_file *f, const char *name, const char *value, char *dst,
                         size_t size, const char *want)
{
    size_t len = strlen(value);

    if (len == 0)
        return conf_file_error(f, "[client] %s is empty; set it to %s", name, want);
    if (len >= size)
        return conf_file_error(f, "[client] %s is longer than %zu characters; set it to %s", name,
                               size - 1, want);
    memcpy(dst, value, len + 1);
    return 1;
}

static int conf_set_key_file(struct conf_file *f, const struct conf_loader *ld, const char *value)
{
    const char *want = "the path of your key file, as given by your node's administrator";
    int n;

    if (value[0] == '\0')
        return conf_file_error(f, "[client] key is empty; set it to %s", want);
    if (value[0] == '/')
        n = snprintf(ld->cfg->key_file, sizeof ld->cfg->key_file, "%s", value);
    else
        n = snprintf(ld->cfg->key_file, sizeof ld->cfg->key_file, "%s/%s", ld->dir, value);
    if (n < 0 || (size_t)n >= sizeof ld->cfg->key_file)
        return conf_file_error(f, "[client] key: the path is too long; shorten it");
    return 1;
}

static int conf_set_timeout(struct conf_file *f, struct client_config *cfg, const char *value)
{
    char *end;

    errno = 0;
    long n = strtol(value, &end, 10);
    if (value[0] < '0' || value[0] > '9' || errno != 0 || *end != '\0' || n < 1 ||
        n > CONN_TIMEOUT_MAX)
        return conf_file_error(f,
                               "[client] timeout = '%s' is not a whole number of seconds "
                               "from 1 to %d; set it to, e.g., 5",
                               value, CONN_TIMEOUT_MAX);
    cfg->timeout_s = (int)n;
    return 1;
}

static int conf_set(struct conf_file *f, struct conf_loader *ld, enum conf_key k, const char *value)
{
    struct client_config *cfg = ld->cfg;

    switch (k) {
    case CK_USER:
        if (!id_valid(value))
            return conf_file_error(f,
                                   "[client] user = '%s' is not a valid user id; use 1 to 63 "
                                   "of a-z, 0-9, '.', '_' and '-'",
                                   value);
        return conf_set_text(f, "user", value, cfg->user, sizeof cfg->user, "your user id");
    case CK_NODE:
        return conf_set_text(f, "node", value, cfg->node, sizeof cfg->node,
                             "the node's clients endpoint, such as tcp://127.0.0.1:7101");
    case CK_NODE_KEY:
        if (key_from_z85(value, cfg->node_key, KEY_LEN) != 0)
            return conf_file_error(f,
                                   "[client] node_key is not a %d-character Z85 key; copy the "
                                   "node's CURVE public key from its `mpoold keygen` output",
                                   Z85_KEY_LEN);
        return 1;
    case CK_KEY:
        return conf_set_key_file(f, ld, value);
    case CK_TIMEOUT:
        return conf_set_timeout(f, cfg, value);
    case CK_COUNT:
        break;
    }
    return conf_file_error(f, "[client] %s: internal error, unknown key", conf_names[k]);
}

static int client_conf_handler(struct conf_file *f, void *user, const char *section,
                               const char *name, const char *value)
{
    struct conf_loader *ld = user;

    if (section[0] == '\0')
        return conf_file_error(f, "'%s' comes before any section; put it under [client]", name);
    if (strcmp(section, "client") != 0)
        return conf_file_error(f, "[%s] is not a section mpool knows; put the keys under [client]",
                               section);
    int k = conf_key_index(name);
    if (k < 0)
        return conf_file_error(f,
                               "[client] unknown key '%s'; the keys are user, node, node_key, "
                               "key and timeout",
                               name);
    if (ld->seen[k])
        return conf_file_error(f, "[client] %s is set a second time; keep one", name);
    ld->seen[k] = true;
    return conf_set(f, ld, (enum conf_key)k, value);
}

static void conf_folder(const char *path, char *dir, size_t dirlen)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        snprintf(dir, dirlen, ".");
    else if (slash == path)
        snprintf(dir, dirlen, "/");
    else
        snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
}

static int conf_check_required(const char *path, const struct conf_loader *ld, char *err,
                               size_t errlen)
{
    static const char *const want[CK_COUNT] = {
        NULL, "the node's clients endpoint, such as tcp://127.0.0.1:7101",
        "the node's CURVE public key from its `mpoold keygen` output",
        "the path of your key file, as given by your node's administrator", NULL};

    for (int i = 0; i < CK_COUNT; i++) {
        if (ld->seen[i] || !want[i])
            continue;
        snprintf(err, errlen, "%s: [client] %s is missing; set it to %s", path, conf_names[i],
                 want[i]);
        return -1;
    }
    return 0;
}

int client_config_load(const char *path, struct client_config *cfg, char *err, size_t errlen)
{
    struct conf_loader ld = {.cfg = cfg};

    memset(cfg, 0, sizeof *cfg);
    cfg->timeout_s = CONN_TIMEOUT_DEFAULT;
    if (snprintf(cfg->path, sizeof cfg->path, "%s", path) >= (int)sizeof cfg->path) {
        snprintf(err, errlen, "the configuration path is too long: %.64s...", path);
        return -1;
    }
    conf_folder(path, ld.dir, sizeof ld.dir);
    if (conf_file_parse(path, client_conf_handler, &ld, err, errlen) != 0)
        return -1;
    return conf_check_required(path, &ld, err, errlen);
}

static const char *home_folder(void)
{
    const char *home = getenv("HOME");

    if (home && home[0] != '\0')
        return home;
    const struct passwd *pw = getpwuid(getuid());
    return pw ? pw->pw_dir : NULL;
}

int client_config_path(const char *explicit_path, char *out, size_t outlen, const char **origin,
                       char *err, size_t errlen)
{
    const char *env = getenv("MPOOL_CONFIG");
    int n;

    if (explicit_path) {
        *origin = "named by --config";
        n = snprintf(out, outlen, "%s", explicit_path);
    } else if (env && env[0] != '\0') {
        *origin = "named by $MPOOL_CONFIG";
        n = snprintf(out, outlen, "%s", env);
    } else {
        const char *home = home_folder();
        if (!home) {
            snprintf(err, errlen,
                     "cannot find your home folder for ~/.config/mpool/mpool.conf; "
                     "pass --config FILE or set MPOOL_CONFIG");
            return -1;
        }
        *origin = "the default when neither --config nor $MPOOL_CONFIG is given";
        n = snprintf(out, outlen, "%s/.config/mpool/mpool.conf", home);
    }
    if (n < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "the configuration path is too long; use a shorter one");
        return -1;
    }
    return 0;
}

/* ---- request and reply ---- */

void reply_free(struct reply *r)
{
    free(r->error);
    json_decref(r->result);
    free(r->blob);
    memset(r, 0, sizeof *r);
}

/* A PAIR socket that hears of failed authentications on sock (libzmq's
 * socket monitor); NULL when it cannot be set up, which only costs the
 * clearer message. */
static zsock_t *watch_handshakes(zsock_t *sock)
{
    static unsigned opened;
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "inproc://mpool-handshakes-%u", ++opened);
    if (zmq_socket_monitor(zsock_resolve(sock), endpoint, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) != 0)
        return NULL;
    zsock_t *monitor = zsock_new(ZMQ_PAIR);
    if (monitor && zsock_connect(monitor, "%s", endpoint) != 0)
        zsock_destroy(&monitor);
    return monitor;
}

/* Whether the monitor reported a refused key: an event is a frame of a
 * 16-bit event number and a 32-bit value, then the endpoint. */
static bool key_refused(zsock_t *monitor)
{
    zmsg_t *msg = zmsg_recv(monitor);
    zframe_t *head = msg ? zmsg_first(msg) : NULL;
    bool refused = false;
    if (head && zframe_size(head) == 6) {
        uint16_t event;
        memcpy(&event, zframe_data(head), sizeof event);
        refused = event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
    }
    zmsg_destroy(&msg);
    return refused;
}

struct conn *conn_open(const char *endpoint, const uint8_t node_key[KEY_LEN],
                       const struct user_keys *keys, char *err, size_t errlen)
{
    /* A command line tool should die on Ctrl-C, not have CZMQ swallow it. */
    zsys_handler_set(NULL);
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock) {
        snprintf(err, errlen, "cannot create a ZeroMQ socket (%s)", zmq_strerror(zmq_errno()));
        return NULL;
    }
    zsock_set_linger(sock, 0);
    zsock_set_maxmsgsize(sock, CONN_MAX_MESSAGE);
    zsock_set_curve_serverkey_bin(sock, node_key);
    zsock_set_curve_publickey_bin(sock, keys->pk);
    zsock_set_curve_secretkey_bin(sock, keys->sk);
    zsock_t *monitor = watch_handshakes(sock);
    if (zsock_connect(sock, "%s", endpoint) != 0) {
        snprintf(err, errlen,
                 "cannot connect to '%s' (%s); set [client] node to an endpoint "
                 "such as tcp://127.0.0.1:7101",
                 endpoint, zmq_strerror(zmq_errno()));
        zsock_destroy(&monitor);
        zsock_destroy(&sock);
        return NULL;
    }
    struct conn *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        zsock_destroy(&monitor);
        zsock_destroy(&sock);
        return NULL;
    }
    c->sock = sock;
    c->monitor = monitor;
    return c;
}

void conn_close(struct conn *c)
{
    if (!c)
        return;
    zsock_destroy(&c->sock);
    zsock_destroy(&c->monitor);
    free(c);
}

static int conn_send(struct conn *c, uint64_t request_id, const char *op, const char *args_json,
                     const uint8_t *blob, size_t bloblen, int timeout_ms, char *err, size_t errlen)
{
    Mpool__V1__ClientRequest req = MPOOL__V1__CLIENT_REQUEST__INIT;

    req.schema_version = SCHEMA_VERSION;
    req.request_id = request_id;
    req.op = (char *)op;
    req.args_json = (char *)args_json;
    req.blob.data = (uint8_t *)blob;
    req.blob.len = blob ? bloblen : 0;

    size_t len = mpool__v1__client_request__get_packed_size(&req);
    zframe_t *frame = zframe_new(NULL, len);
    if (!frame) {
        snprintf(err, errlen, "out of memory");
        return CONN_ERROR;
    }
    mpool__v1__client_request__pack(&req, zframe_data(frame));
    zsock_set_sndtimeo(c->sock, timeout_ms);
    if (zframe_send(&frame, c->sock, 0) != 0) {
        zframe_destroy(&frame);
        if (zmq_errno() == EAGAIN)
            return CONN_TIMEOUT;
        snprintf(err, errlen, "cannot send to the node (%s)", zmq_strerror(zmq_errno()));
        return CONN_ERROR;
    }
    return CONN_OK;
}

static int reply_copy(const Mpool__V1__ClientReply *msg, struct reply *out, char *err,
                      size_t errlen)
{
    json_error_t jerr;

    memset(out, 0, sizeof *out);
    out->status = msg->status;
    out->error = strdup(msg->error ? msg->error : "");
    if (msg->result_json && msg->result_json[0] != '\0')
        out->result = json_loads(msg->result_json, JSON_REJECT_DUPLICATES, &jerr);
    else
        out->result = json_object();
    if (!out->error || !out->result || !json_is_object(out->result)) {
        snprintf(err, errlen,
                 "the node's reply holds no JSON object (%s); are mpool and "
                 "mpoold the same version?",
                 out->result ? "another JSON type" : jerr.text);
        reply_free(out);
        return CONN_ERROR;
    }
    if (msg->blob.len > 0) {
        out->blob = malloc(msg->blob.len);
        if (!out->blob) {
            snprintf(err, errlen, "out of memory");
            reply_free(out);
            return CONN_ERROR;
        }
        memcpy(out->blob, msg->blob.data, msg->blob.len);
        out->bloblen = msg->blob.len;
    }
    return CONN_OK;
}

/* Waits for the reply to request_id until the deadline. */
static int conn_receive(struct conn *c, uint64_t request_id, int64_t deadline, struct reply *out,
                        char *err, size_t errlen)
{
    for (;;) {
        int64_t left = deadline - zclock_mono();
        if (left <= 0)
            return CONN_TIMEOUT;
        zmq_pollitem_t items[2] = {
            {zsock_resolve(c->sock), 0, ZMQ_POLLIN, 0},
            {c->monitor ? zsock_resolve(c->monitor) : NULL, 0, ZMQ_POLLIN, 0}};
        if (zmq_poll(items, c->monitor ? 2 : 1, (long)left) < 0) {
            snprintf(err, errlen, "cannot wait for the node (%s)", zmq_strerror(zmq_errno()));
            return CONN_ERROR;
        }
        if (c->monitor && (items[1].revents & ZMQ_POLLIN) && key_refused(c->monitor)) {
            snprintf(err, errlen, "the node refused your key");
            return CONN_REFUSED;
        }
        if (!(items[0].revents & ZMQ_POLLIN))
            continue;
        zsock_set_rcvtimeo(c->sock, 0);
        zmsg_t *msg = zmsg_recv(c->sock);
        if (!msg) {
            if (zmq_errno() == EAGAIN)
                continue;
            snprintf(err, errlen, "cannot receive from the node (%s)", zmq_strerror(zmq_errno()));
            return CONN_ERROR;
        }
        /* The reply is the last frame; a ROUTER may put an empty one before it. */
        zframe_t *frame = zmsg_last(msg);
        Mpool__V1__ClientReply *rep =
            frame ? mpool__v1__client_reply__unpack(NULL, zframe_size(frame), zframe_data(frame))
                  : NULL;
        zmsg_destroy(&msg);
        if (!rep) {
            snprintf(err, errlen,
                     "the node sent a reply mpool cannot read; are mpool and mpoold "
                     "the same version?");
            return CONN_ERROR;
        }
        if (rep->request_id != request_id) {
            mpool__v1__client_reply__free_unpacked(rep, NULL);
            continue;
        }
        int rc = reply_copy(rep, out, err, errlen);
        mpool__v1__client_reply__free_unpacked(rep, NULL);
        return rc;
    }
}

int conn_call_id(struct conn *c, uint64_t request_id, const char *op, const char *args_json,
                 const uint8_t *blob, size_t bloblen, int timeout_ms, struct reply *out, char *err,
                 size_t errlen)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    /* Halfway, the same request once more: the node may have restarted
     * and lost it. A change it already made is answered from its record,
     * never made twice. */
    int64_t halfway = deadline - timeout_ms / 2;
    int rc = conn_send(c, request_id, op, args_json, blob, bloblen, timeout_ms, err, errlen);
    if (rc == CONN_OK)
        rc = conn_receive(c, request_id, halfway, out, err, errlen);
    if (rc == CONN_REFUSED)
        return rc;
    if (rc == CONN_TIMEOUT) {
        int left = (int)(deadline - zclock_mono());
        rc = conn_send(c, request_id, op, args_json, blob, bloblen, left > 0 ? left : 1, err,
                       errlen);
        if (rc == CONN_OK)
            rc = conn_receive(c, request_id, deadline, out, err, errlen);
    }
    return rc;
}

int conn_call(struct conn *c, const char *op, const char *args_json, const uint8_t *blob,
              size_t bloblen, int timeout_ms, struct reply *out, char *err, size_t errlen)
{
    uint64_t request_id;
    randombytes_buf(&request_id, sizeof request_id);
    return conn_call_id(c, request_id, op, args_json, blob, bloblen, timeout_ms, out, err, errlen);
}
