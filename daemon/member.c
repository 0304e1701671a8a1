/* member: outbox, acknowledgements, fetch and apply. */
#include "member.h"

#include <string.h>

#include "envelope.h"
#include "ids.h"
#include "log.h"
#include "store.h"

#define FLUSH_BATCH 100

int member_enqueue(struct node *n, Mpool__V1__MsgType type, const ProtobufCMessage *body)
{
    int64_t last;
    if (store_meta_get(n->db, "out_seq", &last) < 0)
        return -1;
    struct envelope_head h = {.sender = n->cfg.node_id,
                              .recipient = n->coord_id,
                              .epoch = n->epoch,
                              .seq = (uint64_t)last + 1,
                              .type = type};
    size_t len = 0;
    uint8_t *frame = envelope_pack(&h, body, n->keys.sign_sk, &len);
    if (!frame)
        return -1;
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_outbox(seq, type, frame, created_ms) "
                                            "VALUES(?1, ?2, ?3, ?4)");
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, last + 1);
        sqlite3_bind_int(st, 2, (int)type);
        sqlite3_bind_blob(st, 3, frame, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_finalize(st);
    }
    free(frame);
    if (rc == 0)
        rc = store_meta_set(n->db, "out_seq", last + 1);
    return rc;
}

void member_flush(struct node *n)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT frame FROM m_outbox ORDER BY seq LIMIT ?1");
    if (!st)
        return;
    sqlite3_bind_int(st, 1, FLUSH_BATCH);
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* IMMEDIATE is set on the DEALER: with no link this fails at once
         * and the outbox keeps the message for the next round. */
        if (zmq_send(zsock_resolve(n->dealer), sqlite3_column_blob(st, 0),
                     (size_t)sqlite3_column_bytes(st, 0), ZMQ_DONTWAIT) < 0)
            break;
    }
    sqlite3_finalize(st);
}

static void send_control(struct node *n, Mpool__V1__MsgType type, const ProtobufCMessage *body)
{
    struct envelope_head h = {
        .sender = n->cfg.node_id, .recipient = n->coord_id, .epoch = n->epoch, .type = type};
    size_t len = 0;
    uint8_t *frame = envelope_pack(&h, body, n->keys.sign_sk, &len);
    if (!frame)
        return;
    zmq_send(zsock_resolve(n->dealer), frame, len, ZMQ_DONTWAIT);
    free(frame);
}

void member_fetch(struct node *n)
{
    int64_t epoch, after;
    if (store_meta_get(n->db, "coord_epoch", &epoch) < 0 ||
        store_meta_get(n->db, "coord_seq", &after) < 0)
        return;
    Mpool__V1__Fetch req = MPOOL__V1__FETCH__INIT;
    req.epoch = (uint64_t)epoch;
    req.after = (uint64_t)after;
    req.max = 100;
    send_control(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH, &req.base);
}

static void handle_ack(struct node *n, const Mpool__V1__Envelope *env)
{
    Mpool__V1__Ack *ack = mpool__v1__ack__unpack(NULL, env->body.len, env->body.data);
    if (!ack) {
        log_warn("rejected ack from the coordinator: malformed body");
        return;
    }
    if (ack->epoch == n->epoch) {
        sqlite3_stmt *st = store_prepare(n->db, "DELETE FROM m_outbox WHERE seq <= ?1");
        if (st) {
            sqlite3_bind_int64(st, 1, (int64_t)ack->upto);
            if (sqlite3_step(st) != SQLITE_DONE)
                log_error("outbox: cannot drop acknowledged messages: %s", sqlite3_errmsg(n->db));
            sqlite3_finalize(st);
        }
    }
    mpool__v1__ack__free_unpacked(ack, NULL);
}

/* Applies one entry with its position, all or nothing. 1 applied, 0 not
 * the next one, -1 failure. */
static int apply_entry(struct node *n, const ProtobufCBinaryData *entry, int64_t expected)
{
    char err[256];
    Mpool__V1__Envelope *env = envelope_unpack(entry->data, entry->len, n->cfg.coord_sign_pk,
                                               n->coord_id, err, sizeof err);
    if (!env) {
        log_warn("rejected journal entry: %s", err);
        return -1;
    }
    int rc = 0;
    if ((int64_t)env->seq == expected && strcmp(env->recipient, n->cfg.node_id) == 0) {
        rc = store_begin(n->db);
        if (rc == 0 &&
            (member_apply(n, env) < 0 || store_meta_set(n->db, "coord_seq", expected) < 0 ||
             store_commit(n->db) < 0)) {
            store_rollback(n->db);
            log_error("could not apply journal entry %lld; will fetch it again",
                      (long long)expected);
            rc = -1;
        } else if (rc == 0) {
            rc = 1;
        }
    }
    mpool__v1__envelope__free_unpacked(env, NULL);
    return rc;
}

static void handle_fetch_reply(struct node *n, const Mpool__V1__Envelope *env)
{
    Mpool__V1__FetchReply *r = mpool__v1__fetch_reply__unpack(NULL, env->body.len, env->body.data);
    if (!r) {
        log_warn("rejected fetch reply: malformed body");
        return;
    }
    int64_t epoch, seq;
    if (store_meta_get(n->db, "coord_epoch", &epoch) < 0 ||
        store_meta_get(n->db, "coord_seq", &seq) < 0)
        goto out;
    if ((uint64_t)epoch != r->epoch) {
        if (epoch != 0)
            log_warn("the coordinator's journal has a new epoch; reading it from the start");
        /* Epoch and position change together, or a crash between them
         * would skip the start of the new journal. */
        if (store_begin(n->db) < 0)
            goto out;
        if (store_meta_set(n->db, "coord_epoch", (int64_t)r->epoch) < 0 ||
            store_meta_set(n->db, "coord_seq", 0) < 0 || store_commit(n->db) < 0) {
            store_rollback(n->db);
            goto out;
        }
        seq = 0;
        if (!r->reset)
            goto out; /* this reply was for the old position: ask again */
    }
    size_t applied = 0;
    for (size_t i = 0; i < r->n_entries; i++) {
        if (apply_entry(n, &r->entries[i], seq + 1) <= 0)
            break;
        seq++;
        applied++;
    }
    member_flush(n); /* anything the entries queued (a sealed narrative) */
    /* Ask for more at once only while making progress; otherwise the
     * fetch timer paces the retries. */
    if (applied > 0 && (uint64_t)seq < r->head)
        member_fetch(n);
out:
    mpool__v1__fetch_reply__free_unpacked(r, NULL);
}

void member_handle(struct node *n)
{
    zframe_t *frame = zframe_recv(n->dealer);
    if (!frame)
        return;
    char err[256];
    Mpool__V1__Envelope *env = envelope_unpack(zframe_data(frame), zframe_size(frame),
                                               n->cfg.coord_sign_pk, n->coord_id, err, sizeof err);
    zframe_destroy(&frame);
    if (!env) {
        log_warn("rejected message from the coordinator: %s", err);
        return;
    }
    if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK)
        handle_ack(n, env);
    else if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY)
        handle_fetch_reply(n, env);
    else
        log_warn("rejected message type %d from the coordinator on the command link",
                 (int)env->type);
    mpool__v1__envelope__free_unpacked(env, NULL);
}

void member_doorbell(struct node *n)
{
    zmsg_t *m = zmsg_recv(n->sub);
    zmsg_destroy(&m);
    member_fetch(n);
}
