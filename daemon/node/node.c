/* node: start-up, reload and shutdown of mpoold. */
#include "node/dashboard.h"
#include "node/node.h"

#include <sodium.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "coord/members.h"
#include "member/profiles.h"
#include "member/rederive.h"
#include "node/schema.h"
#include "store/store.h"
#include "node/mailer.h"
#include "node/zap.h"

static int push_zap_tables(struct node *n)
{
    size_t count = n->roster.count > n->users.count ? n->roster.count : n->users.count;
    struct zap_entry *e = calloc(count ? count : 1, sizeof *e);
    if (!e)
        return -1;
    for (size_t i = 0; i < n->roster.count; i++) {
        memcpy(e[i].key, n->roster.nodes[i].curve_pk, KEY_LEN);
        e[i].id = n->roster.nodes[i].id;
    }
    int rc = zap_set(n->zap, ZAP_DOMAIN_POOL, e, n->roster.count);
    for (size_t i = 0; i < n->users.count; i++) {
        memcpy(e[i].key, n->users.list[i].pk, KEY_LEN);
        e[i].id = n->users.list[i].id;
    }
    if (rc == 0)
        rc = zap_set(n->zap, ZAP_DOMAIN_CLIENTS, e, n->users.count);
    free(e);
    return rc;
}

/* Reads roster and people into *roster and *users; both must name this
 * node with its own keys and, for a member, the pinned coordinator. */
static int read_lists(const struct node *n, struct roster *roster, struct users *users,
                      char *coord_id, char *err, size_t errlen)
{
    if (roster_load(n->cfg.roster_file, roster, err, errlen) < 0)
        return -1;
    const struct roster_node *self = roster_find(roster, n->cfg.node_id);
    const struct roster_node *coord = roster_find_curve(roster, n->cfg.coord_curve_pk);
    if (!self) {
        snprintf(err, errlen, "%s: this node's id '%s' is not in the roster; add a [%s] section",
                 n->cfg.roster_file, n->cfg.node_id, n->cfg.node_id);
    } else if (sodium_memcmp(self->curve_pk, n->keys.curve_pk, KEY_LEN) != 0 ||
               sodium_memcmp(self->sign_pk, n->keys.sign_pk, KEY_LEN) != 0) {
        snprintf(err, errlen,
                 "%s: the keys of [%s] differ from %s; put this node's public keys "
                 "(mpoold -c CONF keys) in the roster",
                 n->cfg.roster_file, n->cfg.node_id, n->cfg.keys_file);
    } else if (n->cfg.member && !coord) {
        snprintf(err, errlen,
                 "%s: no municipality has the coordinator's curve_key from the "
                 "configuration; add the coordinator's node to the roster",
                 n->cfg.roster_file);
    } else if (users_private(n->cfg.users_file, err, errlen) == 0 &&
               users_load(n->cfg.users_file, users, err, errlen) == 0) {
        if (coord)
            snprintf(coord_id, ID_MAX, "%s", coord->id);
        return 0;
    }
    roster_free(roster);
    return -1;
}

static int load_epoch(struct node *n, const char *key, uint64_t *epoch)
{
    int64_t value;
    if (store_meta_get(n->db, key, &value) < 0)
        return -1;
    if (value <= 0) {
        /* The creation time: a store started afresh has a larger epoch
         * than any before it, so a stale one can be told apart. */
        value = now_ms();
        if (store_meta_set(n->db, key, value) < 0)
            return -1;
    }
    *epoch = (uint64_t)value;
    return 0;
}

static zsock_t *bind_server(struct node *n, int type, const char *domain, const char *endpoint,
                            char *err, size_t errlen)
{
    zsock_t *s = zsock_new(type);
    if (!s ||
        zap_secure_server(s, domain, n->keys.curve_pk, n->keys.curve_sk, n->cfg.max_message) < 0) {
        snprintf(err, errlen, "cannot set up a CURVE socket: %s", zmq_strerror(zmq_errno()));
        zsock_destroy(&s);
        return NULL;
    }
    if (type == ZMQ_ROUTER) {
        /* Unroutable or full peers fail the send at once: one slow or
         * hostile peer must never block the loop that serves everyone. */
        zsock_set_router_mandatory(s, 1);
        zsock_set_sndtimeo(s, 0);
    }
    if (zsock_bind(s, "%s", endpoint) < 0) {
        snprintf(err, errlen, "cannot bind %s: %s; is another mpoold running there?", endpoint,
                 zmq_strerror(zmq_errno()));
        zsock_destroy(&s);
        return NULL;
    }
    return s;
}

static zsock_t *connect_client(struct node *n, int type, const char *endpoint)
{
    zsock_t *s = zsock_new(type);
    if (!s)
        return NULL;
    zsock_set_curve_serverkey_bin(s, n->cfg.coord_curve_pk);
    zsock_set_curve_publickey_bin(s, n->keys.curve_pk);
    zsock_set_curve_secretkey_bin(s, n->keys.curve_sk);
    zsock_set_maxmsgsize(s, (int)n->cfg.max_message);
    zsock_set_linger(s, 0);
    if (type == ZMQ_DEALER)
        zsock_set_immediate(s, 1); /* the outbox, not libzmq, holds what is unsent */
    if (zsock_connect(s, "%s", endpoint) < 0) {
        zsock_destroy(&s);
        return NULL;
    }
    return s;
}

/* libzmq reports each completed handshake on the DEALER: a new link,
 * which must start again from the oldest unacknowledged message. */
#define LINK_EVENTS "inproc://mpoold-link-events"

static int watch_link(struct node *n)
{
    if (zmq_socket_monitor(zsock_resolve(n->dealer), LINK_EVENTS, ZMQ_EVENT_HANDSHAKE_SUCCEEDED) !=
        0)
        return -1;
    n->link_events = zsock_new_pair(">" LINK_EVENTS);
    return n->link_events ? 0 : -1;
}

static int open_sockets(struct node *n, char *err, size_t errlen)
{
    n->clients =
        bind_server(n, ZMQ_ROUTER, ZAP_DOMAIN_CLIENTS, n->cfg.clients_endpoint, err, errlen);
    if (!n->clients)
        return -1;
    if (n->cfg.coordinator) {
        n->router = bind_server(n, ZMQ_ROUTER, ZAP_DOMAIN_POOL, n->cfg.coord_bind, err, errlen);
        if (!n->router)
            return -1;
        n->pub = bind_server(n, ZMQ_PUB, ZAP_DOMAIN_POOL, n->cfg.coord_events_bind, err, errlen);
        if (!n->pub)
            return -1;
    }
    if (n->cfg.member) {
        n->dealer = connect_client(n, ZMQ_DEALER, n->cfg.coord_endpoint);
        n->sub = connect_client(n, ZMQ_SUB, n->cfg.coord_events);
        if (!n->dealer || !n->sub) {
            snprintf(err, errlen, "cannot connect to the coordinator at %s / %s",
                     n->cfg.coord_endpoint, n->cfg.coord_events);
            return -1;
        }
        char topic[ID_MAX + 1];
        snprintf(topic, sizeof topic, "%s/", n->cfg.node_id);
        zsock_set_subscribe(n->sub, topic);
        if (watch_link(n) < 0) {
            snprintf(err, errlen, "cannot watch the link to the coordinator: %s",
                     zmq_strerror(zmq_errno()));
            return -1;
        }
    }
    return 0;
}

/* `mpoold check` reads the SMTP password as the mailer will. */
static int check_mail_password(const struct config *cfg, char *err, size_t errlen)
{
    char password[256], why[512];
    if (!cfg->mail.url[0] || !cfg->mail.password_file[0])
        return 0;
    int rc = secret_file_read(cfg->mail.password_file, password, sizeof password, why, sizeof why);
    sodium_memzero(password, sizeof password);
    if (rc < 0)
        snprintf(err, errlen, "[mail] password: %s", why);
    return rc;
}

int node_open(struct node *n, const char *config_path, bool serve, char *err, size_t errlen)
{
    memset(n, 0, sizeof *n);
    snprintf(n->config_path, sizeof n->config_path, "%s", config_path);
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium failed to initialise");
        return -1;
    }
    if (config_load(config_path, &n->cfg, err, errlen) < 0)
        return -1;
    log_set_level(n->cfg.log_level);
    log_set_tag(n->cfg.node_id);
    if (node_keys_load(n->cfg.keys_file, &n->keys, err, errlen) < 0)
        return -1;
    if (n->cfg.member && pool_secret_load(n->cfg.pool_secret_file, n->pool_secret, err, errlen) < 0)
        return -1;
    if (read_lists(n, &n->roster, &n->users, n->coord_id, err, errlen) < 0)
        return -1;
    n->db = store_open(n->cfg.database, schema_migrations, schema_migration_count, err, errlen);
    if (!n->db)
        return -1;
    if ((n->cfg.member && load_epoch(n, "member_epoch", &n->epoch) < 0) ||
        (n->cfg.coordinator && load_epoch(n, "journal_epoch", &n->coord_epoch) < 0)) {
        snprintf(err, errlen, "cannot initialise %s", n->cfg.database);
        return -1;
    }
    /* Before anything is served: every pseudonym follows the rule of names
     * this build computes, and the coordinator has heard of the change. */
    if (n->cfg.member && rederive_pseudonyms(n) < 0) {
        snprintf(err, errlen, "cannot derive the pseudonyms in %s again", n->cfg.database);
        return -1;
    }
    /* Journal appends remember whom to ring, also on a node that does not
     * serve (the unit tests drive one). */
    n->doorbells = zhashx_new();
    zhashx_set_destructor(n->doorbells, NULL);
    n->rerank_due = zhashx_new();
    zhashx_set_destructor(n->rerank_due, NULL);
    n->rerank_except = zhashx_new();
    zhashx_set_destructor(n->rerank_except, NULL);
    if (!serve)
        return check_mail_password(&n->cfg, err, errlen) < 0
                   ? -1
                   : dashboard_check(&n->cfg, err, errlen);
    zsys_handler_set(NULL);
    zsys_set_linger(0);
    n->zap = zap_new();
    if (!n->zap || push_zap_tables(n) < 0) {
        snprintf(err, errlen, "cannot start the ZAP handler");
        return -1;
    }
    n->mailer = mailer_new(&n->cfg, err, errlen);
    if (!n->mailer && err[0])
        return -1;
    if (dashboard_open(n, err, errlen) < 0)
        return -1;
    return open_sockets(n, err, errlen);
}

void node_close(struct node *n)
{
    zsock_destroy(&n->clients);
    zsock_destroy(&n->router);
    zsock_destroy(&n->pub);
    if (n->link_events) {
        zmq_socket_monitor(zsock_resolve(n->dealer), NULL, 0);
        zsock_destroy(&n->link_events);
    }
    zsock_destroy(&n->dealer);
    zsock_destroy(&n->sub);
    mailer_destroy(&n->mailer);
    dashboard_close(n);
    zap_destroy(&n->zap);
    zhashx_destroy(&n->doorbells);
    zhashx_destroy(&n->rerank_due);
    zhashx_destroy(&n->rerank_except);
    store_close(&n->db);
    roster_free(&n->roster);
    users_free(&n->users);
    node_keys_wipe(&n->keys);
    sodium_memzero(n->pool_secret, sizeof n->pool_secret);
}

void node_reload(struct node *n)
{
    char err[512], coord_id[ID_MAX] = "";
    struct roster roster = {0};
    struct users users = {0};
    if (read_lists(n, &roster, &users, coord_id, err, sizeof err) < 0) {
        log_error("reload refused, keeping the previous lists: %s", err);
        return;
    }
    roster_free(&n->roster);
    users_free(&n->users);
    n->roster = roster;
    n->users = users;
    if (*coord_id)
        snprintf(n->coord_id, sizeof n->coord_id, "%s", coord_id);
    if (push_zap_tables(n) < 0)
        fatal("cannot update the ZAP handler");
    log_info("reloaded: %zu municipalities, %zu people", roster.count, users.count);
    if (n->cfg.member)
        mediator_profiles_sync(n);
    if (n->cfg.coordinator)
        coord_retire_departed(n);
}
