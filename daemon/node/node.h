/* node: one mpoold process, its sockets, keys, lists and database.
 *
 * Single-threaded: one poll loop serves the people's client socket and,
 * depending on the configured roles, the member link to the coordinator
 * and/or the coordinator's pool sockets. Authentication runs in the ZAP
 * actor's thread. */
#ifndef MPOOL_NODE_H
#define MPOOL_NODE_H

#include <czmq.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "base/vocabulary.h"
#include "store/config.h"
#include "wire/keys.h"
#include "store/roster.h"

/* The client request being served, for its row in the audit trail
 * (node/audit.h): written with the request's own change when it commits
 * one, else on its own once the answer is known. */
struct audit_ctx {
    bool pending;
    bool read_recorded; /* a read's row went in before its answer was built */
    char user[ID_MAX];
    char op[48];
    char case_id[ID_MAX + 16];
    uint64_t request_id;   /* the client's: a change's key against repeats (api/repeat.c) */
    uint8_t args_hash[32]; /* of its op and arguments, so a repeat must carry the same */
    bool repeat;           /* answered from the record: audited as "repeat" */
};

struct mailer;

/* Work a caller adds to a transaction that a lower layer runs (the
 * coordinator's override and batch round): called just before the
 * commit, with the answer when the lower layer makes it; non-zero rolls
 * the whole transaction back. */
struct tx_hook {
    int (*before_commit)(void *ctx, json_t *result);
    void *ctx;
};

struct node {
    struct config cfg;
    char config_path[PATH_MAX];
    struct node_keys keys;
    uint8_t pool_secret[KEY_LEN];
    struct roster roster;
    struct users users;
    sqlite3 *db;
    zactor_t *zap;

    zsock_t *clients;     /* ROUTER: mpool clients of this node */
    zsock_t *router;      /* coordinator: ROUTER for member nodes */
    zsock_t *pub;         /* coordinator: PUB doorbells */
    zsock_t *dealer;      /* member: to the coordinator */
    zsock_t *sub;         /* member: doorbells from the coordinator */
    zsock_t *link_events; /* member: the DEALER's handshakes, from libzmq's monitor */

    uint64_t epoch;       /* member: this node's outbox epoch */
    uint64_t coord_epoch; /* coordinator: its journal epoch */
    zhashx_t *doorbells;  /* coordinator: nodes with journal entries to announce */
    /* coordinator: while a batch of member messages is applied, the
     * mediators whose waiting cases are ranked again once, before its
     * commit, and the cases their callers ranked themselves (coord/rerank.c). */
    bool rerank_deferred;
    zhashx_t *rerank_due, *rerank_except;
    /* coordinator: the member message being applied; every event to its
     * sender says it answers that seq (coord/journal.c), and refusal, when
     * set, why that step on case_id was refused. */
    struct {
        const char *sender; /* NULL: none */
        uint64_t epoch, seq;
        const char *case_id;
        const char *refusal;
    } applying;
    char coord_id[ID_MAX]; /* member: the coordinator's node id, from the roster */

    struct audit_ctx audit;  /* the client request being served */
    struct vocabulary words; /* member: the pool's words, as kept (member/words.c) */
    bool words_loaded;
    struct mailer *mailer;       /* NULL: no [mail], or not serving */
    struct dashboard *dashboard; /* NULL: no [dashboard], or not serving */
    struct dashlink *dashlinks;  /* the dashboard's sign-in links and sessions */

    uint64_t out_sent;     /* member: highest outbox seq sent since the last resend */
    uint64_t acked_upto;   /* member: highest outbox seq the coordinator acknowledged */
    uint64_t dropped_upto; /* member: acknowledged rows deleted up to here */
    int64_t acked_ms;      /* member: when an Ack last moved acked_upto */
    int64_t fetch_sent_ms; /* member: when the Fetch in flight went out; 0: none */
    bool fetch_wanted;     /* member: a doorbell rang while a Fetch was in flight */

    int64_t next_flush_ms;
    int64_t next_fetch_ms;
    int64_t next_expiry_ms;
    int64_t next_compact_ms;
    int64_t next_sweep_ms; /* retention: at start, then daily */
    int64_t next_remind_ms;
    int64_t next_reclaim_ms;
    int64_t next_mail_ms; /* when queued notices are looked at again, while idle */
};

/* Reads configuration, keys and lists, opens the database and, when
 * serve is set, the sockets. Returns -1 with a one-line reason in err. */
int node_open(struct node *n, const char *config_path, bool serve, char *err, size_t errlen);
void node_close(struct node *n);
/* Re-reads roster and users; keeps the old ones if either is bad. */
void node_reload(struct node *n);
/* Serves until *stop becomes non-zero; *reload asks for node_reload. */
int node_run(struct node *n, volatile int *stop, volatile int *reload);

/* Where this node is, from the roster (read_lists made sure it is there). */
static inline const struct roster_node *node_self(const struct node *n)
{
    return roster_find(&n->roster, n->cfg.node_id);
}

#endif
