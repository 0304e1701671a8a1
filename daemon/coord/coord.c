/* coord: receive, authenticate, dedup, apply, acknowledge. */
#include "coord/coord.h"

#include <string.h>

#include "wire/envelope.h"
#include "coord/journal.h"
#include "coord/reply.h"
#include "coord/actions.h"
#include "coord/rerank.h"
#include "base/log.h"
#include "store/store.h"
#include "node/zap.h"

struct inbound_pos {
    uint64_t epoch;
    uint64_t upto;
};

static int inbound_get(struct node *n, const char *sender, struct inbound_pos *pos)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT epoch, upto FROM c_inbound WHERE sender = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    pos->epoch = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    pos->upto = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 1) : 0;
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int inbound_set(struct node *n, const char *sender, const struct inbound_pos *pos)
{
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO c_inbound(sender, epoch, upto) VALUES(?1, ?2, ?3) "
               "ON CONFLICT(sender) DO UPDATE SET epoch = excluded.epoch, upto = excluded.upto");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, sender, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)pos->epoch);
    sqlite3_bind_int64(st, 3, (int64_t)pos->upto);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* Up to this many messages that are already waiting share one transaction
 * and one fsync; a burst of posts costs one commit, not one each. */
#define BATCH_MAX 64

/* An Ack is sent only once the commit that makes it true is done: it tells
 * the member to forget messages, so it must never run ahead of the disk. */
struct batch {
    bool open; /* a transaction is open */
    size_t count;
    struct pending_ack {
        zframe_t *rid;
        char sender[ID_MAX];
        struct inbound_pos pos;
    } acks[BATCH_MAX];
};

static void batch_ack(struct batch *b, zframe_t *rid, const char *sender,
                      const struct inbound_pos *pos)
{
    size_t i = 0;
    while (i < b->count && strcmp(b->acks[i].sender, sender) != 0)
        i++;
    if (i == b->count) {
        if (b->count == BATCH_MAX)
            fatal("coordinator: more acknowledgements than messages in a batch");
        snprintf(b->acks[i].sender, sizeof b->acks[i].sender, "%s", sender);
        b->count++;
    } else {
        zframe_destroy(&b->acks[i].rid);
    }
    b->acks[i].rid = zframe_dup(rid); /* the later position, on the latest link */
    b->acks[i].pos = *pos;
}

static void send_ack(struct node *n, zframe_t *rid, const char *dest, const struct inbound_pos *pos)
{
    Mpool__V1__Ack ack = MPOOL__V1__ACK__INIT;
    ack.epoch = pos->epoch;
    ack.upto = pos->upto;
    coord_reply(n, rid, dest, MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK, &ack.base);
}

/* Nothing of the batch was stored: no Ack, no doorbell. */
static void batch_abandon(struct node *n, struct batch *b)
{
    store_rollback(n->db);
    journal_forget(n);
    rerank_forget(n);
    for (size_t i = 0; i < b->count; i++)
        zframe_destroy(&b->acks[i].rid);
    b->open = false;
    b->count = 0;
}

/* Commits what the batch applied, then acknowledges and rings; after a
 * failed commit nothing is acknowledged and the members send again. */
static void batch_finish(struct node *n, struct batch *b)
{
    bool durable = true;
    /* The batch's re-ranks, once, in its transaction. */
    if (b->open && (rerank_flush(n) < 0 || store_commit(n->db) < 0)) {
        store_rollback(n->db);
        journal_forget(n);
        log_error("could not store a batch of %zu senders' messages; they will be retried",
                  b->count);
        durable = false;
    }
    if (b->open && durable)
        journal_ring(n);
    for (size_t i = 0; i < b->count; i++) {
        if (durable)
            send_ack(n, b->acks[i].rid, b->acks[i].sender, &b->acks[i].pos);
        zframe_destroy(&b->acks[i].rid);
    }
    b->open = false;
    b->count = 0;
}

/* Applies one sequenced message exactly once, inside the batch's
 * transaction; a message that fails is rolled back alone. */
static void apply_sequenced(struct node *n, struct batch *b, zframe_t *rid, const char *sender,
                            const Mpool__V1__Envelope *env)
{
    if (!b->open && store_begin(n->db) < 0)
        return; /* not acknowledged: the member sends it again */
    if (!b->open)
        rerank_defer(n);
    b->open = true;
    struct inbound_pos pos;
    if (inbound_get(n, sender, &pos) < 0)
        return;
    if (env->epoch < pos.epoch) {
        log_warn("rejected message from %s: stale outbox epoch %llu (now %llu)", sender,
                 (unsigned long long)env->epoch, (unsigned long long)pos.epoch);
        return;
    }
    if (env->epoch > pos.epoch) {
        /* A new store at the member starts at 1. Anything else (this
         * coordinator lost its record) must not be guessed from whichever
         * message happens to come first: the member's next Fetch says
         * where its outbox starts (learn_outbox_start). */
        if (env->seq != 1) {
            log_debug("%s: waiting for its Fetch to learn where outbox epoch %llu starts", sender,
                      (unsigned long long)env->epoch);
            return;
        }
        if (pos.epoch != 0)
            log_warn("%s: outbox epoch %llu starts afresh (was epoch %llu)", sender,
                     (unsigned long long)env->epoch, (unsigned long long)pos.epoch);
        pos.epoch = env->epoch;
        pos.upto = 0;
    }
    if (env->seq != pos.upto + 1) {
        /* A duplicate is acknowledged again; a gap waits for the resend. */
        if (env->seq <= pos.upto)
            log_debug("duplicate %llu from %s", (unsigned long long)env->seq, sender);
        batch_ack(b, rid, sender, &pos);
        return;
    }
    if (store_exec(n->db, "SAVEPOINT message") < 0)
        return;
    pos.upto = env->seq;
    n->applying.sender = sender;
    n->applying.epoch = env->epoch;
    n->applying.seq = env->seq;
    int rc = journey_dispatch(n, sender, env);
    memset(&n->applying, 0, sizeof n->applying);
    if (rc < 0 || inbound_set(n, sender, &pos) < 0) {
        log_error("could not store message %llu from %s; it will be retried",
                  (unsigned long long)env->seq, sender);
        if (sqlite3_get_autocommit(n->db)) {
            /* SQLite rolled back the whole transaction (a full disk, an I/O
             * error): the batch's earlier messages are gone too. */
            batch_abandon(n, b);
            return;
        }
        store_exec(n->db, "ROLLBACK TO message");
        store_exec(n->db, "RELEASE message");
        return;
    }
    store_exec(n->db, "RELEASE message");
    batch_ack(b, rid, sender, &pos);
}

/* A member's Fetch names the oldest outbox message it still holds. Where
 * this coordinator has no record of that outbox epoch, or its record is
 * behind what the member was told is stored (a coordinator restored from
 * a backup), that is where the member's messages continue. */
static void learn_outbox_start(struct node *n, const char *sender, uint64_t epoch, uint64_t oldest)
{
    struct inbound_pos pos;
    if (oldest == 0 || inbound_get(n, sender, &pos) < 0 || epoch < pos.epoch ||
        (epoch == pos.epoch && oldest <= pos.upto + 1))
        return;
    if (epoch > pos.epoch && !(pos.epoch == 0 && oldest == 1))
        log_warn("%s: outbox epoch %llu starts at %llu (was epoch %llu)", sender,
                 (unsigned long long)epoch, (unsigned long long)oldest,
                 (unsigned long long)pos.epoch);
    else if (epoch == pos.epoch)
        log_warn("%s: messages %llu to %llu were acknowledged by a coordinator state that is "
                 "gone (restored from a backup?); they are lost here, continuing at %llu",
                 sender, (unsigned long long)pos.upto + 1, (unsigned long long)oldest - 1,
                 (unsigned long long)oldest);
    struct inbound_pos start = {.epoch = epoch, .upto = oldest - 1};
    if (store_begin(n->db) < 0)
        return;
    if (inbound_set(n, sender, &start) < 0 || store_commit(n->db) < 0)
        store_rollback(n->db);
}

static void serve_fetch(struct node *n, zframe_t *rid, const char *sender,
                        const Mpool__V1__Envelope *env)
{
    Mpool__V1__Fetch *req = mpool__v1__fetch__unpack(NULL, env->body.len, env->body.data);
    if (!req) {
        log_warn("rejected fetch from %s: malformed body", sender);
        return;
    }
    learn_outbox_start(n, sender, env->epoch, req->outbox_oldest);
    journal_serve(n, rid, sender, req);
    mpool__v1__fetch__free_unpacked(req, NULL);
}

/* Who sent the frame, by ZAP, and whether the roster still lists them with
 * that key; then the envelope, verified with their signing key. */
static Mpool__V1__Envelope *authenticate(struct node *n, zframe_t *payload,
                                         const struct roster_node **from)
{
    const char *peer = zframe_meta(payload, "User-Id");
    const struct roster_node *rn = peer ? roster_find(&n->roster, peer) : NULL;
    if (!rn || !zap_frame_has_key(payload, rn->curve_pk)) {
        /* ZAP let it in, but the roster has since dropped or re-keyed it. */
        log_warn("rejected message from '%s': not in the roster with this key", peer ? peer : "?");
        return NULL;
    }
    char err[256];
    Mpool__V1__Envelope *env = envelope_unpack(zframe_data(payload), zframe_size(payload),
                                               rn->sign_pk, rn->id, err, sizeof err);
    if (!env)
        log_warn("rejected message from %s: %s", rn->id, err);
    *from = rn;
    return env;
}

static void handle_frame(struct node *n, struct batch *b, zframe_t *rid, zframe_t *payload)
{
    const struct roster_node *rn = NULL;
    Mpool__V1__Envelope *env = authenticate(n, payload, &rn);
    if (!env)
        return;
    bool for_us = env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH ||
                  env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST ||
                  env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION ||
                  env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE ||
                  env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_PARTIES;
    const char *problem = for_us ? envelope_route_problem(env, n->cfg.node_id) : NULL;
    if (problem) {
        log_warn("rejected message from %s: %s", rn->id, problem);
        mpool__v1__envelope__free_unpacked(env, NULL);
        return;
    }
    switch (env->type) {
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH:
        /* Only committed entries may leave: finish the batch first. */
        batch_finish(n, b);
        serve_fetch(n, rid, rn->id, env);
        break;
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_POST:
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_ACTION:
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE:
    case MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_PARTIES:
        apply_sequenced(n, b, rid, rn->id, env);
        break;
    default:
        log_warn("rejected message from %s: type %d is not for the coordinator", rn->id,
                 (int)env->type);
        break;
    }
    mpool__v1__envelope__free_unpacked(env, NULL);
}

static void handle_message(struct node *n, struct batch *b, zmsg_t *msg)
{
    if (zmsg_size(msg) != 2) {
        zmsg_first(msg); /* the routing id: a peer's own choice */
        zframe_t *payload = zmsg_next(msg);
        const char *peer = payload ? zframe_meta(payload, "User-Id") : NULL;
        log_warn("rejected a message of %zu frames from '%s' on the pool socket", zmsg_size(msg),
                 peer ? peer : "?");
        return;
    }
    zframe_t *rid = zmsg_first(msg);
    zframe_t *payload = zmsg_next(msg);
    handle_frame(n, b, rid, payload);
}

void coord_handle(struct node *n)
{
    struct batch b = {0};
    for (size_t i = 0; i < BATCH_MAX; i++) {
        if (i > 0 && !(zsock_events(n->router) & ZMQ_POLLIN))
            break;
        zmsg_t *msg = zmsg_recv(n->router);
        if (!msg)
            break;
        handle_message(n, &b, msg);
        zmsg_destroy(&msg);
    }
    batch_finish(n, &b);
}
