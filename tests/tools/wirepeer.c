/* wirepeer: a crafted pool peer for the end-to-end scenarios.
 *
 * It connects one CURVE DEALER to the coordinator's ROUTER with a node's key
 * file, then reads commands from stdin, one a line, so that a scenario can
 * send well-formed and hostile frames on the same connection, change the
 * coordinator's roster in between, and see what comes back. Every command
 * prints exactly one line on stdout, which lets a shell drive it as a
 * coprocess.
 *
 * Usage: wirepeer ENDPOINT SERVER_KEY NODE_ID KEY_FILE
 *
 *   send KIND [seq=N] [epoch=N] [sender=ID] [recipient=ID] [signkey=FILE]
 *             [version=N] [type=N] [size=N]
 *   expect-reply MS     the next frame from the coordinator, or "no reply"
 *   wait-file PATH      blocks until PATH exists
 *   sleep MS
 *
 * KIND is a well-formed message (post, fetch, and the coordinator's own ack,
 * fetch-reply, case-event), or a CasePost damaged on the wire (badsig,
 * truncated, oversize, multiframe), or garbage. The options fill or falsify
 * the envelope: type= puts another type number on the same body, size= is the
 * padding in bytes that makes an oversize frame (default 1 MiB), signkey=
 * signs with another node's key file. */
#include <czmq.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire/envelope.h"
#include "base/ids.h"
#include "wire/keys.h"
#include "mpool.pb-c.h"

#define LINE_LEN         1024
#define OVERSIZE_DEFAULT (1024 * 1024) /* the coordinator's default max_message */
#define GARBAGE_LEN      32

enum fault { F_NONE, F_BADSIG, F_TRUNCATE, F_OVERSIZE, F_MULTIFRAME, F_GARBAGE };

struct kind {
    const char *name;
    Mpool__V1__MsgType type;
    enum fault fault;
};

static const struct kind kinds[] = {
    {"post", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, F_NONE},
    {"fetch", MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH, F_NONE},
    {"ack", MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK, F_NONE},
    {"fetch-reply", MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY, F_NONE},
    {"case-event", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_EVENT, F_NONE},
    {"badsig", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, F_BADSIG},
    {"truncated", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, F_TRUNCATE},
    {"oversize", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, F_OVERSIZE},
    {"multiframe", MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST, F_MULTIFRAME},
    {"garbage", MPOOL__V1__MSG_TYPE__MSG_TYPE_UNSPECIFIED, F_GARBAGE},
};

/* The test pools' coordinator (tests/e2e/lib.sh). */
#define COORDINATOR_ID "coordinator"

struct peer {
    zsock_t *sock;
    const char *id;
    struct node_keys keys;
};

/* What one `send` line asks for. */
struct spec {
    const struct kind *kind;
    char sender[ID_MAX];
    uint64_t seq, epoch, version, type, size;
    bool type_set; /* type= given: it replaces the kind's own type */
    uint8_t sign_sk[SIGN_SECRET_LEN];
    char case_id[ID_MAX + 12];
    char recipient[ID_MAX]; /* the coordinator's node id unless recipient= says */
};

static void usage_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The connection, so that a usage error met while reading the commands can
 * close it: CZMQ complains at exit about a socket left open. */
static zsock_t *open_sock;

static void usage_fail(const char *fmt, ...)
{
    zsock_destroy(&open_sock);
    va_list ap;
    va_start(ap, fmt);
    fputs("wirepeer: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static uint64_t parse_number(const char *text, const char *what)
{
    char *end;
    if (!*text || *text == '-')
        usage_fail("%s is not a number", what);
    unsigned long long v = strtoull(text, &end, 10);
    if (*end)
        usage_fail("%s is not a number", what);
    return (uint64_t)v;
}

/* Milliseconds for a timeout; an hour is more than any scenario waits. */
static int parse_ms(const char *text, const char *what)
{
    uint64_t ms = parse_number(text, what);
    if (ms > 3600000)
        usage_fail("%s: %s ms is more than an hour", what, text);
    return (int)ms;
}

/* A post the coordinator accepts from this sender when nothing else is wrong. */
static uint8_t *post_body(struct spec *s, size_t *len)
{
    char *parties[] = {(char *)"m:zeist"};
    Mpool__V1__CasePost p = MPOOL__V1__CASE_POST__INIT;
    case_id_new(s->sender, s->case_id, sizeof s->case_id);
    p.case_id = s->case_id;
    p.requester = s->sender;
    p.parties = parties;
    p.n_parties = 1;
    p.domain = (char *)"labour";
    p.language = (char *)"nl";
    p.lat = 52.1;
    p.lon = 5.2;
    p.urgency = MPOOL__V1__URGENCY__URGENCY_NORMAL;
    p.seats = 1;
    p.posted_ms = now_ms();
    return message_pack(&p.base, len);
}

static uint8_t *event_body(struct spec *s, size_t *len)
{
    Mpool__V1__CaseEvent e = MPOOL__V1__CASE_EVENT__INIT;
    case_id_new(s->sender, s->case_id, sizeof s->case_id);
    e.case_id = s->case_id;
    e.state = MPOOL__V1__CASE_STATE__CASE_STATE_SHORTLISTED;
    e.actor = (char *)"coordinator";
    e.requester = s->sender;
    return message_pack(&e.base, len);
}

static uint8_t *body_for(struct spec *s, size_t *len)
{
    Mpool__V1__Fetch fetch = MPOOL__V1__FETCH__INIT;
    Mpool__V1__Ack ack = MPOOL__V1__ACK__INIT;
    Mpool__V1__FetchReply reply = MPOOL__V1__FETCH_REPLY__INIT;

    switch (s->kind->type) {
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST:
        return post_body(s, len);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_EVENT:
        return event_body(s, len);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK:
        /* A forged receipt for the position that epoch= and seq= name. */
        ack.epoch = s->epoch;
        ack.upto = s->seq;
        return message_pack(&ack.base, len);
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY:
        reply.epoch = s->epoch;
        return message_pack(&reply.base, len);
    default:
        /* One entry at most keeps the reply small whatever the journal holds. */
        fetch.max = 1;
        return message_pack(&fetch.base, len);
    }
}

/* Builds the envelope by hand: envelope_pack cannot write another schema
 * version, an unknown type or a padded msg_id. */
static uint8_t *seal(struct spec *s, size_t *outlen)
{
    size_t body_len, env_len, pad = s->kind->fault == F_OVERSIZE ? s->size : 16;
    uint8_t *body = body_for(s, &body_len);
    uint8_t *msg_id = calloc(pad, 1);
    if (!body || !msg_id) {
        free(body);
        free(msg_id);
        return NULL;
    }
    randombytes_buf(msg_id, pad < 16 ? pad : 16);
    Mpool__V1__Envelope env = MPOOL__V1__ENVELOPE__INIT;
    env.schema_version = (uint32_t)s->version;
    env.sender = s->sender;
    env.recipient = s->recipient;
    env.epoch = s->epoch;
    env.seq = s->seq;
    env.created_ms = now_ms();
    env.msg_id.data = msg_id;
    env.msg_id.len = pad;
    env.type = s->type_set ? (Mpool__V1__MsgType)s->type : s->kind->type;
    env.body.data = body;
    env.body.len = body_len;
    uint8_t *env_buf = message_pack(&env.base, &env_len);
    free(body);
    free(msg_id);
    if (!env_buf)
        return NULL;

    uint8_t *out = envelope_sign(env_buf, env_len, s->sign_sk, outlen);
    free(env_buf);
    return out;
}

static const struct kind *kind_find(const char *name)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    usage_fail("unknown kind '%s'; use post, fetch, ack, fetch-reply, case-event, badsig, "
               "truncated, oversize, multiframe or garbage",
               name);
}

static void load_sign_key(const char *path, uint8_t sign_sk[SIGN_SECRET_LEN])
{
    struct node_keys other;
    char err[256];
    if (node_keys_load(path, &other, err, sizeof err) < 0)
        usage_fail("signkey: %s", err);
    memcpy(sign_sk, other.sign_sk, SIGN_SECRET_LEN);
    node_keys_wipe(&other);
}

static bool option_is(const char *opt, size_t nlen, const char *name)
{
    return strlen(name) == nlen && strncmp(opt, name, nlen) == 0;
}

static void parse_option(struct spec *s, const char *opt)
{
    const char *eq = strchr(opt, '=');
    if (!eq)
        usage_fail("option '%s' has no value; write name=value", opt);
    size_t n = (size_t)(eq - opt);
    const char *v = eq + 1;
    if (option_is(opt, n, "seq")) {
        s->seq = parse_number(v, "seq");
    } else if (option_is(opt, n, "epoch")) {
        s->epoch = parse_number(v, "epoch");
    } else if (option_is(opt, n, "version")) {
        s->version = parse_number(v, "version");
    } else if (option_is(opt, n, "type")) {
        s->type = parse_number(v, "type");
        s->type_set = true;
    } else if (option_is(opt, n, "size")) {
        s->size = parse_number(v, "size");
    } else if (option_is(opt, n, "sender") && id_valid(v)) {
        snprintf(s->sender, sizeof s->sender, "%s", v);
    } else if (option_is(opt, n, "recipient") && id_valid(v)) {
        snprintf(s->recipient, sizeof s->recipient, "%s", v);
    } else if (option_is(opt, n, "signkey")) {
        load_sign_key(v, s->sign_sk);
    } else {
        usage_fail("unknown or invalid option '%s'; use seq, epoch, sender, recipient, signkey, "
                   "version, type or size",
                   opt);
    }
}

static int send_frames(struct peer *p, const uint8_t *frame, size_t len, bool more)
{
    void *sock = zsock_resolve(p->sock);
    if (zmq_send(sock, frame, len, more ? ZMQ_SNDMORE : 0) < 0)
        return -1;
    if (more && zmq_send(sock, "extra", 5, 0) < 0)
        return -1;
    return 0;
}

static void cmd_send(struct peer *p, char *args)
{
    struct spec s = {.version = SCHEMA_VERSION, .size = OVERSIZE_DEFAULT};
    char *save = NULL, *tok = strtok_r(args, " \t", &save);
    if (!tok)
        usage_fail("send needs a kind");
    s.kind = kind_find(tok);
    snprintf(s.sender, sizeof s.sender, "%s", p->id);
    snprintf(s.recipient, sizeof s.recipient, "%s", COORDINATOR_ID);
    memcpy(s.sign_sk, p->keys.sign_sk, sizeof s.sign_sk);
    while ((tok = strtok_r(NULL, " \t", &save)))
        parse_option(&s, tok);

    size_t len = GARBAGE_LEN;
    uint8_t *frame = s.kind->fault == F_GARBAGE ? malloc(len) : seal(&s, &len);
    sodium_memzero(s.sign_sk, sizeof s.sign_sk);
    if (!frame) {
        fprintf(stderr, "wirepeer: out of memory building a %s frame\n", s.kind->name);
        exit(1);
    }
    if (s.kind->fault == F_GARBAGE)
        memset(frame, 0xff, len); /* an over-long varint tag: never protobuf */
    if (s.kind->fault == F_BADSIG)
        frame[len - 1] ^= 0x01; /* the signature is the frame's last field */
    if (s.kind->fault == F_TRUNCATE)
        len /= 2;
    int rc = send_frames(p, frame, len, s.kind->fault == F_MULTIFRAME);
    free(frame);
    if (rc < 0)
        printf("send failed: %s\n", zmq_strerror(zmq_errno()));
    else if (s.case_id[0])
        printf("sent %s %zu bytes case %s\n", s.kind->name, len, s.case_id);
    else
        printf("sent %s %zu bytes\n", s.kind->name, len);
}

static void print_body(const Mpool__V1__Envelope *env)
{
    const ProtobufCBinaryData *b = &env->body;
    if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK) {
        Mpool__V1__Ack *a = mpool__v1__ack__unpack(NULL, b->len, b->data);
        if (a)
            printf("reply ack epoch=%llu upto=%llu\n", (unsigned long long)a->epoch,
                   (unsigned long long)a->upto);
        else
            printf("reply ack with a malformed body\n");
        mpool__v1__ack__free_unpacked(a, NULL);
    } else if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY) {
        Mpool__V1__FetchReply *r = mpool__v1__fetch_reply__unpack(NULL, b->len, b->data);
        if (r)
            printf("reply fetch-reply epoch=%llu head=%llu entries=%zu reset=%d\n",
                   (unsigned long long)r->epoch, (unsigned long long)r->head, r->n_entries,
                   (int)r->reset);
        else
            printf("reply fetch-reply with a malformed body\n");
        mpool__v1__fetch_reply__free_unpacked(r, NULL);
    } else {
        printf("reply type=%d\n", (int)env->type);
    }
}

/* The reply is only decoded, not verified: CURVE already proved the server,
 * and the scenario asks whether and what the coordinator answered. */
static void cmd_expect_reply(struct peer *p, const char *arg)
{
    zsock_set_rcvtimeo(p->sock, parse_ms(arg, "expect-reply"));
    zframe_t *f = zframe_recv(p->sock);
    if (!f) {
        printf("no reply\n");
        return;
    }
    Mpool__V1__Signed *s = mpool__v1__signed__unpack(NULL, zframe_size(f), zframe_data(f));
    Mpool__V1__Envelope *env =
        s ? mpool__v1__envelope__unpack(NULL, s->envelope.len, s->envelope.data) : NULL;
    if (env)
        print_body(env);
    else
        printf("reply undecodable %zu bytes\n", zframe_size(f));
    mpool__v1__envelope__free_unpacked(env, NULL);
    mpool__v1__signed__free_unpacked(s, NULL);
    zframe_destroy(&f);
}

static void cmd_wait_file(const char *path)
{
    while (access(path, F_OK) != 0)
        zclock_sleep(20);
    printf("found %s\n", path);
}

static void run_line(struct peer *p, char *line, unsigned lineno)
{
    line[strcspn(line, "\r\n")] = '\0';
    char *arg = strchr(line, ' ');
    if (arg)
        *arg++ = '\0';
    if (!line[0] || line[0] == '#')
        return;
    if (strcmp(line, "send") == 0) {
        cmd_send(p, arg ? arg : (char *)"");
    } else if (strcmp(line, "expect-reply") == 0 && arg) {
        cmd_expect_reply(p, arg);
    } else if (strcmp(line, "wait-file") == 0 && arg) {
        cmd_wait_file(arg);
    } else if (strcmp(line, "sleep") == 0 && arg) {
        zclock_sleep(parse_ms(arg, "sleep"));
        printf("slept\n");
    } else {
        usage_fail("line %u: unknown command '%s'; use send, expect-reply MS, wait-file PATH "
                   "or sleep MS",
                   lineno, line);
    }
}

static zsock_t *connect_dealer(const char *endpoint, const char *server_z85,
                               const struct node_keys *k)
{
    uint8_t server_pk[KEY_LEN];
    if (key_from_z85(server_z85, server_pk, sizeof server_pk) < 0)
        usage_fail("SERVER_KEY '%s' is not a 40-character Z85 key", server_z85);
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock)
        return NULL;
    zsock_set_linger(sock, 0);
    zsock_set_sndtimeo(sock, 1000);
    zsock_set_curve_serverkey_bin(sock, server_pk);
    zsock_set_curve_publickey_bin(sock, k->curve_pk);
    zsock_set_curve_secretkey_bin(sock, k->curve_sk);
    if (zsock_connect(sock, "%s", endpoint) < 0) {
        zsock_destroy(&sock);
        usage_fail("cannot connect to '%s'; give a tcp:// endpoint", endpoint);
    }
    return sock;
}

int main(int argc, char **argv)
{
    if (argc != 5)
        usage_fail("usage: wirepeer ENDPOINT SERVER_KEY NODE_ID KEY_FILE");
    if (sodium_init() < 0) {
        fprintf(stderr, "wirepeer: libsodium could not be initialised\n");
        return 1;
    }
    struct peer p = {.id = argv[3]};
    char err[256];
    if (!id_valid(p.id))
        usage_fail("NODE_ID '%s' is not a node id", p.id);
    if (node_keys_load(argv[4], &p.keys, err, sizeof err) < 0)
        usage_fail("%s", err);
    zsys_handler_set(NULL); /* let SIGTERM end the process as usual */
    p.sock = connect_dealer(argv[1], argv[2], &p.keys);
    if (!p.sock) {
        fprintf(stderr, "wirepeer: cannot create a ZeroMQ socket\n");
        node_keys_wipe(&p.keys);
        return 1;
    }
    open_sock = p.sock;
    setvbuf(stdout, NULL, _IOLBF, 0);
    char line[LINE_LEN];
    unsigned lineno = 0;
    while (fgets(line, sizeof line, stdin))
        run_line(&p, line, ++lineno);
    open_sock = NULL;
    zsock_destroy(&p.sock);
    node_keys_wipe(&p.keys);
    return 0;
}
