/* fetch: read this node's journal at the coordinator and apply it. */
#include "member/fetch.h"
#include "member/words.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "member/apply.h"
#include "member/outbox.h"
#include "member/profiles.h"
#include "store/store.h"
#include "wire/envelope.h"

#define FETCH_BATCH 200 /* the most the coordinator sends in one reply */

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

static void fetch_after(struct node *n, int64_t epoch, int64_t after)
{
    Mpool__V1__Fetch req = MPOOL__V1__FETCH__INIT;
    req.epoch = (uint64_t)epoch;
    req.after = (uint64_t)after;
    req.max = FETCH_BATCH;
    req.outbox_oldest = member_outbox_oldest(n);
    send_control(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH, &req.base);
    n->fetch_sent_ms = now_ms();
}

void member_fetch(struct node *n)
{
    int64_t epoch, after;
    if (store_meta_get(n->db, "coord_epoch", &epoch) < 0 ||
        store_meta_get(n->db, "coord_seq", &after) < 0)
        return;
    fetch_after(n, epoch, after);
}

/* The seq of the reply's last entry, 0 if there is none or it is bad. */
static uint64_t last_entry_seq(const struct node *n, const Mpool__V1__FetchReply *r)
{
    if (r->n_entries == 0)
        return 0;
    char err[256];
    const ProtobufCBinaryData *last = &r->entries[r->n_entries - 1];
    Mpool__V1__Envelope *env =
        envelope_unpack_enclosed(last->data, last->len, n->coord_id, err, sizeof err);
    uint64_t seq = env ? env->seq : 0;
    if (env)
        mpool__v1__envelope__free_unpacked(env, NULL);
    return seq;
}

static bool entry_is_next(const struct node *n, const Mpool__V1__Envelope *env, int64_t pos,
                          uint64_t compacted_upto)
{
    if (strcmp(env->recipient, n->cfg.node_id) != 0 || env->seq <= (uint64_t)pos)
        return false;
    if (env->seq == (uint64_t)pos + 1)
        return true;
    if (env->seq - 1 > compacted_upto)
        return false;
    log_info("journal: entries %lld to %llu were compacted at the coordinator; catching up "
             "from the last event of each case",
             (long long)pos + 1, (unsigned long long)env->seq - 1);
    return true;
}

/* Applies the reply's entries in order, with the new position, in one
 * transaction: all of them or none, so each is applied exactly once even
 * across a crash. Stops before the first entry that does not verify or is
 * not the next. Returns how many were applied; *pos moves with them. */
static size_t apply_entries(struct node *n, const Mpool__V1__FetchReply *r, int64_t *pos)
{
    if (r->n_entries == 0 || store_begin(n->db) < 0)
        return 0;
    int64_t at = *pos;
    size_t applied = 0;
    bool failed = false;
    for (size_t i = 0; i < r->n_entries && !failed; i++) {
        char err[256];
        /* The reply's own signature, checked with the pinned key, covers
         * every entry: 10,000 entries are not verified 10,000 times more. */
        Mpool__V1__Envelope *env = envelope_unpack_enclosed(r->entries[i].data, r->entries[i].len,
                                                            n->coord_id, err, sizeof err);
        if (!env) {
            log_warn("rejected journal entry: %s", err);
            break;
        }
        bool next = entry_is_next(n, env, at, r->compacted_upto);
        if (next && member_apply(n, env) < 0)
            failed = true;
        else if (next) {
            at = (int64_t)env->seq;
            applied++;
        }
        mpool__v1__envelope__free_unpacked(env, NULL);
        if (!next)
            break;
    }
    if (failed || applied == 0 || store_meta_set(n->db, "coord_seq", at) < 0 ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        if (failed || applied > 0)
            log_error("could not apply journal entries after %lld; will fetch them again",
                      (long long)*pos);
        return 0;
    }
    *pos = at;
    return applied;
}

/* A new coordinator journal (a coordinator started afresh or restored from
 * a backup): read it from the start, and tell it again who this node's
 * mediators are, since it may not know them. Answers given to the old one
 * may never be answered: those offers open again. */
static int follow_new_journal(struct node *n, int64_t old_epoch, uint64_t new_epoch)
{
    if (store_begin(n->db) < 0)
        return -1;
    /* Epoch and position change together, or a crash between them would
     * skip the start of the new journal. */
    if (store_meta_set(n->db, "coord_epoch", (int64_t)new_epoch) < 0 ||
        store_meta_set(n->db, "coord_seq", 0) < 0 ||
        (old_epoch != 0 && (mediator_profiles_requeue(n) < 0 ||
                            member_offer_move(n, NULL, NULL, "answered", "offered") < 0)) ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        return -1;
    }
    if (old_epoch != 0)
        log_warn("the coordinator's journal has a new epoch (%llu, was %lld): reading it from "
                 "the start and sending this node's mediator profiles again",
                 (unsigned long long)new_epoch, (long long)old_epoch);
    member_flush(n);
    return 0;
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
        if (follow_new_journal(n, epoch, r->epoch) < 0)
            goto out;
        seq = 0;
        if (!r->reset)
            goto out; /* this reply was for the old position: ask again */
    } else if (r->after != (uint64_t)seq) {
        /* An answer to another position: one asked for ahead of entries
         * that then failed to apply, or an old one. Its compacted_upto is
         * not about our position, so nothing in it may be applied. */
        log_debug("dropped a fetch reply for position %llu (at %lld)", (unsigned long long)r->after,
                  (long long)seq);
        goto out;
    }
    n->fetch_sent_ms = 0; /* the Fetch in flight is answered */
    if (r->vocabulary)
        words_keep(n, r->vocabulary);
    /* Catching up: ask for the entries after this reply's while applying
     * it. Should applying stop short, the next reply answers another
     * position and is dropped, and the timer asks again. */
    uint64_t last = last_entry_seq(n, r);
    bool asked = last > (uint64_t)seq && last < r->head;
    if (asked)
        fetch_after(n, (int64_t)r->epoch, (int64_t)last);
    size_t applied = apply_entries(n, r, &seq);
    member_flush(n); /* anything the entries queued (a sealed narrative) */
    /* Ask for more at once while making progress or when a doorbell rang
     * meanwhile; otherwise the fetch timer paces the retries. */
    if (!asked && (n->fetch_wanted || (applied > 0 && (uint64_t)seq < r->head))) {
        n->fetch_wanted = false;
        member_fetch(n);
    }
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
    const char *problem = env ? envelope_route_problem(env, n->cfg.node_id) : err;
    if (problem) {
        log_warn("rejected message from the coordinator: %s", problem);
        if (env)
            mpool__v1__envelope__free_unpacked(env, NULL);
        return;
    }
    if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK)
        member_ack(n, env);
    else if (env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY)
        handle_fetch_reply(n, env);
    else
        log_warn("rejected message type %d from the coordinator on the command link",
                 (int)env->type);
    mpool__v1__envelope__free_unpacked(env, NULL);
}

void member_link_up(struct node *n)
{
    zmsg_t *m = zmsg_recv(n->link_events);
    zmsg_destroy(&m);
    /* Whatever was in flight on the old link may be lost, and a coordinator
     * that lost its record starts where our oldest message is. The Fetch
     * goes first, as it tells the coordinator where that is; then the
     * outbox from its oldest message. */
    log_debug("link to the coordinator is up");
    member_fetch(n);
    n->out_sent = n->acked_upto;
    member_flush(n);
}

void member_doorbell(struct node *n)
{
    zmsg_t *m = zmsg_recv(n->sub);
    zmsg_destroy(&m);
    /* Under load a doorbell rings for every commit; one Fetch at a time is
     * enough, and its reply asks again. A reply that never came is asked
     * for again after a retry period. */
    if (n->fetch_sent_ms && now_ms() - n->fetch_sent_ms < n->cfg.retry_ms) {
        n->fetch_wanted = true;
        return;
    }
    member_fetch(n);
}
