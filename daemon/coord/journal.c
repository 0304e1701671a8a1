/* journal: append, ring, serve. */
#include "coord/journal.h"

#include <stdlib.h>
#include <string.h>

#include "coord/reply.h"
#include "wire/envelope.h"
#include "base/ids.h"
#include "base/log.h"
#include "store/store.h"
#include "wire/names.h"

#define FETCH_MAX_ENTRIES 200

/* The highest seq given out to dest: its last entry, or the floor when a
 * case's retention removed the entries at the top. */
static int64_t journal_head(struct node *n, const char *dest)
{
    sqlite3_stmt *st = store_prepare(
        n->db, "SELECT MAX(COALESCE((SELECT MAX(seq) FROM c_journal WHERE dest = ?1), 0),"
               " COALESCE((SELECT floor FROM c_journal_floor WHERE dest = ?1), 0))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
    int64_t head = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    store_release(st);
    return head;
}

/* What an event is about: the requester's case, or one mediator's offer
 * on it. Compaction keeps the last event of each subject. */
static void event_subject(const Mpool__V1__CaseEvent *ev, char *out, size_t outlen)
{
    /* A refusal says what became of an answer, not where the offer
     * stands: it must never stand in for the offer's last state. */
    if (ev->offer_state && strcmp(ev->offer_state, "refused") == 0)
        snprintf(out, outlen, "%s %s refused", ev->case_id, ev->mediator_id);
    /* The sealed names neither stand in for the offer's state nor give
     * way to it: the node keeps them until the offer's own end. */
    else if (ev->sealed_names.len)
        snprintf(out, outlen, "%s %s names", ev->case_id, ev->mediator_id);
    else if (ev->offer_state && *ev->offer_state)
        snprintf(out, outlen, "%s %s", ev->case_id, ev->mediator_id);
    /* The key to seal the narrative to: a later event about the other
     * seat must not stand in for it. */
    else if (ev->box_key.len)
        snprintf(out, outlen, "%s %s key", ev->case_id, ev->mediator_id);
    else
        snprintf(out, outlen, "%s", ev->case_id);
}

/* How far the coordinator has applied dest's own messages as it writes
 * this event: the message being applied, when it is dest's, else the last
 * one stored. The member keeps a step it queued later as still pending. */
static int answers(struct node *n, const char *dest, uint64_t *epoch, uint64_t *seq)
{
    if (n->applying.sender && strcmp(n->applying.sender, dest) == 0) {
        *epoch = n->applying.epoch;
        *seq = n->applying.seq;
        return 0;
    }
    sqlite3_stmt *st = store_prepare(n->db, "SELECT epoch, upto FROM c_inbound WHERE sender = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    *epoch = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    *seq = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 1) : 0;
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int append(struct node *n, const char *dest, const Mpool__V1__CaseEvent *given,
                  const char *subject)
{
    int64_t head = journal_head(n, dest);
    Mpool__V1__CaseEvent stamped = *given, *ev = &stamped;
    if (head < 0 || answers(n, dest, &ev->answers_epoch, &ev->answers_seq) < 0)
        return -1;
    /* The refusal of the step being applied goes to its sender only. */
    if (n->applying.refusal && ev->answers_epoch == n->applying.epoch && n->applying.sender &&
        strcmp(n->applying.sender, dest) == 0 && strcmp(n->applying.case_id, ev->case_id) == 0)
        ev->refusal = (char *)n->applying.refusal;
    struct envelope_head h = {.sender = n->cfg.node_id,
                              .recipient = dest,
                              .epoch = n->coord_epoch,
                              .seq = (uint64_t)head + 1,
                              .type = MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_EVENT};
    size_t len = 0;
    uint8_t *frame = envelope_pack(&h, &ev->base, n->keys.sign_sk, &len);
    if (!frame)
        return -1;
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO c_journal(dest, seq, frame, created_ms,"
                                            " subject, sealed) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    int rc = -1;
    if (st) {
        sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, head + 1);
        sqlite3_bind_blob(st, 3, frame, (int)len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        sqlite3_bind_text(st, 5, subject, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, ev->sealed.len > 0 || ev->sealed_names.len > 0);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        if (rc < 0)
            log_error("journal: cannot append for %s: %s", dest, sqlite3_errmsg(n->db));
        store_release(st);
    }
    free(frame);
    if (rc == 0)
        zhashx_update(n->doorbells, dest, (void *)1);
    return rc;
}

int journal_append(struct node *n, const char *dest, const Mpool__V1__CaseEvent *ev)
{
    char subject[3 * ID_MAX];
    event_subject(ev, subject, sizeof subject);
    return append(n, dest, ev, subject);
}

int journal_append_refusal(struct node *n, const char *dest, const Mpool__V1__CaseEvent *ev)
{
    char subject[3 * ID_MAX];
    snprintf(subject, sizeof subject, "%s %s refused", ev->case_id, ev->mediator_id);
    return append(n, dest, ev, subject);
}

void journal_ring(struct node *n)
{
    for (void *v = zhashx_first(n->doorbells); v; v = zhashx_next(n->doorbells)) {
        const char *dest = zhashx_cursor(n->doorbells);
        char topic[ID_MAX + 1];
        snprintf(topic, sizeof topic, "%s/", dest);
        zmsg_t *m = zmsg_new();
        zmsg_addstr(m, topic);
        zmsg_addstrf(m, "%llu", (unsigned long long)n->coord_epoch);
        zmsg_send(&m, n->pub);
    }
    zhashx_purge(n->doorbells);
}

void journal_forget(struct node *n)
{
    zhashx_purge(n->doorbells);
}

/* Entries older than the retention that a later entry of the same subject
 * supersedes, or whose case the coordinator's retention reduced to
 * statistics ([retention] coordinator): that case's last events go too,
 * once they are as old as the retention, so a node that is away for less
 * still reads them. An entry without a subject (written before subjects
 * existed) is never removed. The head survives as the floor, so sequence
 * numbers are never reused. */
#define CASE_OF_SUBJECT "substr(subject, 1, instr(subject || ' ', ' ') - 1)"
#define DUE                                                                                        \
    "created_ms < ?1 AND subject IS NOT NULL AND (EXISTS (SELECT 1 FROM c_journal AS later"        \
    " WHERE later.dest = c_journal.dest AND later.subject = c_journal.subject"                     \
    " AND later.seq > c_journal.seq) OR NOT EXISTS (SELECT 1 FROM c_cases"                         \
    " WHERE c_cases.case_id = " CASE_OF_SUBJECT "))"

/* The floor first: it tells a member behind it to expect gaps. */
static const char raise_floor_sql[] =
    "INSERT INTO c_journal_floor(dest, floor) SELECT dest, MAX(seq) FROM c_journal WHERE " DUE
    " GROUP BY dest ON CONFLICT(dest) DO UPDATE SET floor = MAX(floor, excluded.floor)";
static const char drop_sql[] = "DELETE FROM c_journal WHERE " DUE;

int journal_compact(struct node *n, int64_t now)
{
    int64_t cutoff = now - n->cfg.journal_retention_ms;
    if (store_begin(n->db) < 0)
        return -1;
    sqlite3_stmt *floor = store_prepare(n->db, raise_floor_sql);
    sqlite3_stmt *del = floor ? store_prepare(n->db, drop_sql) : NULL;
    int rc = floor && del ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_int64(floor, 1, cutoff);
        sqlite3_bind_int64(del, 1, cutoff);
        rc = sqlite3_step(floor) == SQLITE_DONE && sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
    }
    int removed = rc == 0 ? sqlite3_changes(n->db) : 0;
    store_release(floor);
    store_release(del);
    if (rc < 0 || store_commit(n->db) < 0) {
        log_error("journal: compaction failed: %s; will retry", sqlite3_errmsg(n->db));
        store_rollback(n->db);
        return -1;
    }
    if (removed > 0)
        log_info("journal: compacted %d entries older than the retention", removed);
    return removed;
}

/* The entries that still carry sealed bytes of a case that has ended,
 * or that the coordinator's retention already reduced to statistics. (An
 * entry from before subjects existed names no case, and is left.) */
static const char sealed_ended_sql[] =
    "SELECT rowid, frame FROM c_journal WHERE sealed = 1 AND subject IS NOT NULL AND NOT EXISTS"
    " (SELECT 1 FROM c_cases WHERE c_cases.case_id = " CASE_OF_SUBJECT
    " AND c_cases.state NOT IN " CASE_ENDED_NUMBERS ") ORDER BY seq LIMIT 50";

/* frame re-encoded without the event's sealed bytes, marked, and signed
 * again with the coordinator's key (the member checks the FetchReply's
 * signature, which covers the entries); NULL when it does not decode. */
static uint8_t *frame_stripped(struct node *n, const uint8_t *frame, size_t len, size_t *outlen)
{
    char err[128];
    Mpool__V1__Envelope *env =
        envelope_unpack(frame, len, n->keys.sign_pk, n->cfg.node_id, err, sizeof err);
    Mpool__V1__CaseEvent *ev =
        env ? mpool__v1__case_event__unpack(NULL, env->body.len, env->body.data) : NULL;
    uint8_t *out = NULL;
    if (ev) {
        ev->sealed.len = 0;
        ev->sealed_names.len = 0;
        ev->sealed_stripped = 1;
        size_t body_len = 0;
        uint8_t *body = message_pack(&ev->base, &body_len);
        ProtobufCBinaryData old = env->body;
        env->body = (ProtobufCBinaryData){body_len, body};
        size_t env_len = 0;
        uint8_t *packed = body ? message_pack(&env->base, &env_len) : NULL;
        env->body = old;
        out = packed ? envelope_sign(packed, env_len, n->keys.sign_sk, outlen) : NULL;
        free(packed);
        free(body);
        mpool__v1__case_event__free_unpacked(ev, NULL);
    }
    if (env)
        mpool__v1__envelope__free_unpacked(env, NULL);
    return out;
}

static int strip_one(struct node *n, int64_t rowid, const uint8_t *frame, size_t len)
{
    size_t out_len = 0;
    uint8_t *out = frame_stripped(n, frame, len, &out_len);
    if (!out)
        log_error("journal: entry %lld does not decode; its sealed bytes stay", (long long)rowid);
    sqlite3_stmt *st =
        store_prepare(n->db, out ? "UPDATE c_journal SET frame = ?2, sealed = 0 WHERE rowid = ?1"
                                 : "UPDATE c_journal SET sealed = 0 WHERE rowid = ?1");
    int rc = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, rowid);
        if (out)
            sqlite3_bind_blob(st, 2, out, (int)out_len, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        store_release(st);
    }
    free(out);
    return rc;
}

/* The rows to strip are read first: stripping writes the table read. */
struct sealed_row {
    int64_t rowid;
    uint8_t *frame;
    size_t len;
};

static size_t sealed_rows(struct node *n, struct sealed_row *rows, size_t cap)
{
    sqlite3_stmt *st = store_prepare(n->db, sealed_ended_sql);
    size_t count = 0;
    while (st && count < cap && sqlite3_step(st) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        uint8_t *copy = malloc(len ? len : 1);
        if (!copy)
            break;
        memcpy(copy, sqlite3_column_blob(st, 1), len);
        rows[count++] = (struct sealed_row){sqlite3_column_int64(st, 0), copy, len};
    }
    store_release(st);
    return count;
}

int journal_strip_ended(struct node *n)
{
    struct sealed_row rows[50];
    size_t count = sealed_rows(n, rows, sizeof rows / sizeof *rows);
    if (count == 0)
        return 0;
    int rc = store_begin(n->db);
    for (size_t i = 0; i < count; i++) {
        if (rc == 0)
            rc = strip_one(n, rows[i].rowid, rows[i].frame, rows[i].len);
        free(rows[i].frame);
    }
    if (rc < 0 || store_commit(n->db) < 0) {
        log_error("journal: could not strip the sealed bytes of ended cases: %s; will retry",
                  sqlite3_errmsg(n->db));
        store_rollback(n->db);
        return -1;
    }
    log_info("journal: stripped the sealed bytes from %zu entries of ended cases", count);
    /* Held up by a reader, the checkpoint is finished by the loop. */
    (void)store_reclaim(n->db);
    return (int)count;
}

static int64_t journal_floor(struct node *n, const char *dest)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT floor FROM c_journal_floor WHERE dest = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int64_t floor = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : rc == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return floor;
}

void journal_serve(struct node *n, zframe_t *rid, const char *dest, const Mpool__V1__Fetch *req)
{
    Mpool__V1__FetchReply reply = MPOOL__V1__FETCH_REPLY__INIT;
    reply.epoch = n->coord_epoch;
    uint64_t after = req->after;
    if (req->epoch != n->coord_epoch) {
        /* The member's position belongs to another journal: start over. */
        reply.reset = 1;
        after = 0;
    }
    int64_t head = journal_head(n, dest), floor = journal_floor(n, dest);
    if (head < 0 || floor < 0)
        return;
    reply.head = (uint64_t)head;
    reply.after = after;
    /* Behind the floor, what is left of each case is its last event: a
     * snapshot of the cases that changed since the member's position. */
    if ((uint64_t)floor > after)
        reply.compacted_upto = (uint64_t)floor;

    size_t cap = req->max && req->max < FETCH_MAX_ENTRIES ? req->max : FETCH_MAX_ENTRIES;
    ProtobufCBinaryData *entries = calloc(cap, sizeof *entries);
    sqlite3_stmt *st = store_prepare(n->db, "SELECT frame FROM c_journal WHERE dest = ?1 AND "
                                            "seq > ?2 ORDER BY seq LIMIT ?3");
    if (!entries || !st) {
        free(entries);
        store_release(st);
        return;
    }
    sqlite3_bind_text(st, 1, dest, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)after);
    sqlite3_bind_int64(st, 3, (int64_t)cap);
    /* Stay well under the receiver's maximum message size. */
    size_t budget = (size_t)n->cfg.max_message / 2, used = 0, count = 0;
    while (count < cap && sqlite3_step(st) == SQLITE_ROW) {
        size_t len = (size_t)sqlite3_column_bytes(st, 0);
        if (count > 0 && used + len > budget)
            break;
        entries[count].data = malloc(len ? len : 1);
        if (!entries[count].data)
            break;
        memcpy(entries[count].data, sqlite3_column_blob(st, 0), len);
        entries[count].len = len;
        used += len;
        count++;
    }
    store_release(st);
    reply.n_entries = count;
    reply.entries = entries;
    /* The pool's words ride along: a member keeps the last it heard. */
    Mpool__V1__Vocabulary words = MPOOL__V1__VOCABULARY__INIT;
    const struct vocabulary *v = &n->cfg.vocabulary;
    char *domains[VOCABULARY_MAX], *languages[VOCABULARY_MAX];
    for (size_t i = 0; i < v->n_domains; i++)
        domains[i] = (char *)v->domains[i];
    for (size_t i = 0; i < v->n_languages; i++)
        languages[i] = (char *)v->languages[i];
    words.domains = domains;
    words.n_domains = v->n_domains;
    words.languages = languages;
    words.n_languages = v->n_languages;
    reply.vocabulary = &words;
    coord_reply(n, rid, dest, MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY, &reply.base);
    for (size_t i = 0; i < count; i++)
        free(entries[i].data);
    free(entries);
}
