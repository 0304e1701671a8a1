/* outbox: what this node sends the coordinator, until acknowledged. */
#include "member/outbox.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "store/store.h"
#include "wire/envelope.h"

#define FLUSH_WINDOW 256

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
        store_release(st);
    }
    free(frame);
    if (rc == 0)
        rc = store_meta_set(n->db, "out_seq", last + 1);
    return rc;
}

void member_flush(struct node *n)
{
    if (!n->dealer)
        return;
    /* At most FLUSH_WINDOW messages travel unacknowledged: more would only
     * wait in the coordinator's queues, in its memory. */
    uint64_t room =
        n->acked_upto + FLUSH_WINDOW > n->out_sent ? n->acked_upto + FLUSH_WINDOW - n->out_sent : 0;
    if (room == 0)
        return;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT seq, frame FROM m_outbox WHERE seq > ?1 "
                                            "ORDER BY seq LIMIT ?2");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, (int64_t)n->out_sent);
    sqlite3_bind_int64(st, 2, (int64_t)room);
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* IMMEDIATE is set on the DEALER: with no link this fails at once
         * and the outbox keeps the message for the next round. */
        if (zmq_send(zsock_resolve(n->dealer), sqlite3_column_blob(st, 1),
                     (size_t)sqlite3_column_bytes(st, 1), ZMQ_DONTWAIT) < 0)
            break;
        n->out_sent = (uint64_t)sqlite3_column_int64(st, 0);
    }
    store_release(st);
}

/* Acknowledged rows go in one transaction per retry period rather than
 * one per Ack: after a crash the few left are sent again, and the
 * coordinator takes them for the duplicates they are. */
static void drop_acknowledged(struct node *n)
{
    if (n->acked_upto <= n->dropped_upto)
        return;
    sqlite3_stmt *st = store_prepare(n->db, "DELETE FROM m_outbox WHERE seq <= ?1");
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, (int64_t)n->acked_upto);
    if (sqlite3_step(st) == SQLITE_DONE)
        n->dropped_upto = n->acked_upto;
    else
        log_error("outbox: cannot drop acknowledged messages: %s", sqlite3_errmsg(n->db));
    store_release(st);
}

void member_shutdown(struct node *n)
{
    drop_acknowledged(n);
}

void member_resend(struct node *n)
{
    drop_acknowledged(n);
    /* Acknowledgements still coming in: what was sent is arriving. Only a
     * link that stalled for a whole retry period sends everything again. */
    if (now_ms() - n->acked_ms >= n->cfg.retry_ms)
        n->out_sent = n->acked_upto;
    member_flush(n);
}

/* The oldest message the outbox holds without an Ack, or the seq the next
 * one will get: where a coordinator that lost its record must start. */
uint64_t member_outbox_oldest(struct node *n)
{
    int64_t next;
    if (store_meta_get(n->db, "out_seq", &next) < 0)
        return 0;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT MIN(seq) FROM m_outbox WHERE seq > ?1");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, (int64_t)n->acked_upto);
    uint64_t oldest = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        oldest = sqlite3_column_type(st, 0) == SQLITE_NULL ? (uint64_t)next + 1
                                                           : (uint64_t)sqlite3_column_int64(st, 0);
    store_release(st);
    return oldest;
}

void member_ack(struct node *n, const Mpool__V1__Envelope *env)
{
    Mpool__V1__Ack *ack = mpool__v1__ack__unpack(NULL, env->body.len, env->body.data);
    if (!ack) {
        log_warn("rejected ack from the coordinator: malformed body");
        return;
    }
    if (ack->epoch == n->epoch && ack->upto > n->acked_upto) {
        n->acked_upto = ack->upto;
        n->acked_ms = now_ms();
        if (n->out_sent < n->acked_upto)
            n->out_sent = n->acked_upto;
        member_flush(n); /* room for the next ones */
    }
    mpool__v1__ack__free_unpacked(ack, NULL);
}

/* Whether env is the entry to apply after position pos: the next one, or
 * the next one left after a stretch the coordinator compacted. */
