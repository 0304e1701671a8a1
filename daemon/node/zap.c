/* zap: per-domain CURVE key tables behind inproc://zeromq.zap.01 (RFC 27). */
#include "node/zap.h"

#include <string.h>

#include "wire/keys.h"
#include "base/log.h"

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

struct domain_table {
    char *domain;
    zhashx_t *ids; /* Z85 key -> id */
};

struct zap_state {
    zsock_t *pipe;
    zsock_t *handler;
    struct domain_table tables[2];
};

static struct domain_table *table_for(struct zap_state *z, const char *domain)
{
    for (size_t i = 0; i < 2; i++)
        if (z->tables[i].domain && strcmp(z->tables[i].domain, domain) == 0)
            return &z->tables[i];
    return NULL;
}

/* SET domain (key32 id)*: swaps the whole table. */
static void handle_set(struct zap_state *z, zmsg_t *msg)
{
    char *domain = zmsg_popstr(msg);
    struct domain_table *t = domain ? table_for(z, domain) : NULL;
    if (!t && domain) {
        for (size_t i = 0; i < 2 && !t; i++)
            if (!z->tables[i].domain) {
                t = &z->tables[i];
                t->domain = strdup(domain);
            }
    }
    if (!t) {
        zstr_free(&domain);
        zsock_signal(z->pipe, 1);
        return;
    }
    zhashx_t *ids = zhashx_new();
    zhashx_set_destructor(ids, (zhashx_destructor_fn *)zstr_free);
    zhashx_set_duplicator(ids, (zhashx_duplicator_fn *)strdup);
    zframe_t *key;
    while ((key = zmsg_pop(msg))) {
        char *id = zmsg_popstr(msg);
        if (id && zframe_size(key) == 32) {
            char z85[Z85_KEY_LEN + 1];
            key_to_z85(zframe_data(key), 32, z85);
            zhashx_update(ids, z85, id);
        }
        zstr_free(&id);
        zframe_destroy(&key);
    }
    zhashx_destroy(&t->ids);
    t->ids = ids;
    zstr_free(&domain);
    zsock_signal(z->pipe, 0);
}

/* The key goes back as metadata too (ZMTP property encoding), so that a
 * message can be checked against the key its sender holds now: an id whose
 * key was replaced must not be served on a connection made with the old. */
static void reply(zsock_t *handler, const char *seq, const char *code, const char *text,
                  const char *user, const char *key_z85)
{
    zmsg_t *m = zmsg_new();
    zmsg_addstr(m, "1.0");
    zmsg_addstr(m, seq);
    zmsg_addstr(m, code);
    zmsg_addstr(m, text);
    zmsg_addstr(m, user);
    uint8_t meta[1 + sizeof ZAP_KEY_PROPERTY + 4 + Z85_KEY_LEN];
    size_t name_len = strlen(ZAP_KEY_PROPERTY), value_len = key_z85 ? strlen(key_z85) : 0;
    meta[0] = (uint8_t)name_len;
    memcpy(meta + 1, ZAP_KEY_PROPERTY, name_len);
    uint8_t *v = meta + 1 + name_len;
    v[0] = v[1] = v[2] = 0;
    v[3] = (uint8_t)value_len;
    memcpy(v + 4, key_z85 ? key_z85 : "", value_len);
    zmsg_addmem(m, meta, key_z85 ? 1 + name_len + 4 + value_len : 0);
    zmsg_send(&m, handler);
}

static void handle_request(struct zap_state *z)
{
    zmsg_t *req = zmsg_recv(z->handler);
    if (!req)
        return;
    char *version = zmsg_popstr(req), *seq = zmsg_popstr(req), *domain = zmsg_popstr(req);
    char *address = zmsg_popstr(req), *identity = zmsg_popstr(req), *mech = zmsg_popstr(req);
    zframe_t *key = zmsg_pop(req);
    const char *user = NULL;
    char z85[Z85_KEY_LEN + 1] = "";
    if (version && seq && domain && mech && strcmp(version, "1.0") == 0 &&
        strcmp(mech, "CURVE") == 0 && key && zframe_size(key) == 32) {
        struct domain_table *t = table_for(z, domain);
        key_to_z85(zframe_data(key), 32, z85);
        user = t && t->ids ? zhashx_lookup(t->ids, z85) : NULL;
        if (!user)
            log_warn("refused %s key %s from %s in %s: not in the %s", mech, z85,
                     address ? address : "?", domain, t ? "table" : "configuration");
    } else {
        log_warn("refused a %s connection from %s: only CURVE is accepted", mech ? mech : "?",
                 address ? address : "?");
    }
    if (seq) {
        if (user)
            reply(z->handler, seq, "200", "OK", user, z85);
        else
            reply(z->handler, seq, "400", "No access", "", NULL);
    }
    zframe_destroy(&key);
    zstr_free(&version);
    zstr_free(&seq);
    zstr_free(&domain);
    zstr_free(&address);
    zstr_free(&identity);
    zstr_free(&mech);
    zmsg_destroy(&req);
}

static void zap_actor(zsock_t *pipe, void *arg)
{
    (void)arg;
    struct zap_state z = {.pipe = pipe};
    z.handler = zsock_new_rep("inproc://zeromq.zap.01");
    zsock_signal(pipe, z.handler ? 0 : 1);
    if (!z.handler)
        return;
    zpoller_t *poller = zpoller_new(pipe, z.handler, NULL);
    bool done = false;
    while (!done) {
        void *which = zpoller_wait(poller, -1);
        if (which == z.handler) {
            handle_request(&z);
        } else if (which == pipe) {
            zmsg_t *msg = zmsg_recv(pipe);
            char *cmd = msg ? zmsg_popstr(msg) : NULL;
            if (!cmd || strcmp(cmd, "$TERM") == 0)
                done = true;
            else if (strcmp(cmd, "SET") == 0)
                handle_set(&z, msg);
            zstr_free(&cmd);
            zmsg_destroy(&msg);
        } else {
            done = true;
        }
    }
    zpoller_destroy(&poller);
    for (size_t i = 0; i < 2; i++) {
        zhashx_destroy(&z.tables[i].ids);
        free(z.tables[i].domain);
    }
    zsock_destroy(&z.handler);
}

bool zap_frame_has_key(zframe_t *frame, const uint8_t key[32])
{
    const char *seen = zframe_meta(frame, ZAP_KEY_PROPERTY);
    char z85[Z85_KEY_LEN + 1];
    key_to_z85(key, 32, z85);
    return seen && strcmp(seen, z85) == 0;
}

zactor_t *zap_new(void)
{
    return zactor_new(zap_actor, NULL);
}

void zap_destroy(zactor_t **zap)
{
    zactor_destroy(zap);
}

int zap_set(zactor_t *zap, const char *domain, const struct zap_entry *entries, size_t count)
{
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, "SET");
    zmsg_addstr(msg, domain);
    for (size_t i = 0; i < count; i++) {
        zmsg_addmem(msg, entries[i].key, 32);
        zmsg_addstr(msg, entries[i].id);
    }
    if (zmsg_send(&msg, zap) < 0) {
        zmsg_destroy(&msg);
        return -1;
    }
    return zsock_wait(zap) == 0 ? 0 : -1;
}

int zap_secure_server(zsock_t *sock, const char *domain, const uint8_t pk[32], const uint8_t sk[32],
                      int64_t max_message)
{
    int one = 1;
    zsock_set_zap_domain(sock, domain);
    if (zmq_setsockopt(zsock_resolve(sock), ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one) != 0)
        return -1;
    zsock_set_curve_server(sock, 1);
    zsock_set_curve_publickey_bin(sock, pk);
    zsock_set_curve_secretkey_bin(sock, sk);
    zsock_set_maxmsgsize(sock, (int)max_message);
    zsock_set_linger(sock, 0);
    return 0;
}
