/* audit: append, chain and verify. The hash is libsodium's BLAKE2b
 * (crypto_generichash) over the previous hash and the row's fields, each
 * with its length, so no two rows can hash alike by shifting bytes. */
#include "node/audit.h"

#include <sodium.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "node/destroyed.h"
#include "store/store.h"

#define HASH_LEN 32

static void hash_row(const uint8_t prev[HASH_LEN], int64_t id, int64_t at_ms,
                     const char *const fields[4], uint8_t out[HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, HASH_LEN);
    crypto_generichash_update(&st, prev, HASH_LEN);
    uint8_t num[16];
    for (int i = 0; i < 8; i++) {
        num[i] = (uint8_t)((uint64_t)id >> (56 - 8 * i));
        num[8 + i] = (uint8_t)((uint64_t)at_ms >> (56 - 8 * i));
    }
    crypto_generichash_update(&st, num, sizeof num);
    for (int f = 0; f < 4; f++) {
        uint32_t len = (uint32_t)strlen(fields[f]);
        uint8_t be[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                         (uint8_t)len};
        crypto_generichash_update(&st, be, sizeof be);
        crypto_generichash_update(&st, (const uint8_t *)fields[f], len);
    }
    crypto_generichash_final(&st, out, HASH_LEN);
}

/* The last row's id and hash; id 0 and a zero hash before the first. */
static int chain_head(sqlite3 *db, int64_t *id, uint8_t hash[HASH_LEN])
{
    sqlite3_stmt *st = store_prepare(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    *id = 0;
    memset(hash, 0, HASH_LEN);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_LEN) {
        *id = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
    }
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int audit_append(sqlite3 *db, int64_t at_ms, const char *user, const char *op, const char *case_id,
                 const char *result)
{
    int64_t last;
    uint8_t prev[HASH_LEN], hash[HASH_LEN];
    if (chain_head(db, &last, prev) < 0)
        return -1;
    const char *fields[4] = {user, op, case_id ? case_id : "", result};
    hash_row(prev, last + 1, at_ms, fields, hash);
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO audit(id, at_ms, user_id, op, case_id,"
                                         " result, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, last + 1);
    sqlite3_bind_int64(st, 2, at_ms);
    sqlite3_bind_text(st, 3, fields[0], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, fields[1], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, fields[2], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, fields[3], -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 7, hash, HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc == 0 ? store_meta_set(db, "audit_head", last + 1) : -1;
}

void audit_request_start(struct node *n, const char *user, const char *op, const char *case_id)
{
    struct audit_ctx *a = &n->audit;
    a->pending = true;
    a->read_recorded = false;
    snprintf(a->user, sizeof a->user, "%s", user);
    snprintf(a->op, sizeof a->op, "%s", op);
    snprintf(a->case_id, sizeof a->case_id, "%s", case_id ? case_id : "");
}

int audit_request_commit(struct node *n)
{
    struct audit_ctx *a = &n->audit;
    if (!a->pending)
        return 0;
    if (audit_append(n->db, now_ms(), a->user, a->op, a->case_id, "ok") < 0)
        return -1;
    a->pending = false;
    return 0;
}

int audit_request_read(struct node *n)
{
    struct audit_ctx *a = &n->audit;
    if (!a->pending)
        return 0;
    if (store_begin(n->db) < 0 ||
        audit_append(n->db, now_ms(), a->user, a->op, a->case_id, "read") < 0 ||
        store_commit(n->db) < 0) {
        log_error("audit: could not record %s by %s before answering it: %s; refused", a->op,
                  a->user, sqlite3_errmsg(n->db));
        store_rollback(n->db);
        a->pending = false;
        return -1;
    }
    a->read_recorded = true;
    return 0;
}

static const char *result_word(int status)
{
    static const char *const words[] = {"unspecified", "ok",        "bad_request",
                                        "refused",     "not_found", "internal"};
    return status >= 0 && status < 6 ? words[status] : "unspecified";
}

void audit_request_skip(struct node *n)
{
    n->audit.pending = false;
}

void audit_request_done(struct node *n, int status)
{
    struct audit_ctx *a = &n->audit;
    if (!a->pending)
        return;
    a->pending = false;
    /* A read already has its row; only a failure after it adds one. */
    if (a->read_recorded && status == 1)
        return;
    if (store_begin(n->db) < 0 ||
        audit_append(n->db, now_ms(), a->user, a->op, a->case_id,
                     a->repeat && status == 1 ? "repeat" : result_word(status)) < 0 ||
        store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("audit: could not record %s by %s: %s", a->op, a->user, sqlite3_errmsg(n->db));
    }
}

/* The row the oldest rows that are due end with: the newest written
 * before cutoff, never the chain's head. 1 found, 0 none, -1 failure. */
static int due_upto(sqlite3 *db, int64_t cutoff, int64_t *upto, uint8_t hash[HASH_LEN])
{
    sqlite3_stmt *st = store_prepare(db, "SELECT id, hash FROM audit WHERE at_ms < ?1 AND"
                                         " id < (SELECT MAX(id) FROM audit)"
                                         " ORDER BY id DESC LIMIT 1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, cutoff);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_LEN) {
        *upto = sqlite3_column_int64(st, 0);
        memcpy(hash, sqlite3_column_blob(st, 1), HASH_LEN);
    }
    store_release(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int walk(sqlite3 *db, int64_t last, int64_t *rows, int64_t *bad, char *why, size_t len);

/* The result of the row a sweep appends, followed by the anchor's row
 * number: what audit_verify looks for, so an anchor no sweep made is
 * found. */
#define SWEEP_RESULT "removed the rows up to "

static int64_t remove_upto(sqlite3 *db, int64_t upto, const uint8_t hash[HASH_LEN], int64_t now)
{
    sqlite3_stmt *st =
        store_prepare(db, "INSERT INTO audit_anchor(upto, hash, at_ms) VALUES(?1, ?2, ?3)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, upto);
    sqlite3_bind_blob(st, 2, hash, HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    st = rc == 0 ? store_prepare(db, "DELETE FROM audit WHERE id <= ?1") : NULL;
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, upto);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc < 0 ? -1 : sqlite3_changes(db);
}

int64_t audit_sweep(sqlite3 *db, int64_t now, int64_t period_ms)
{
    int64_t upto = 0, removed = 0, rows, bad;
    uint8_t hash[HASH_LEN];
    char why[160], done[64];
    if (store_begin(db) < 0)
        return -1;
    int found = due_upto(db, now - period_ms, &upto, hash);
    /* Evidence of tampering is never swept away with the old rows. */
    if (found == 1 && walk(db, upto, &rows, &bad, why, sizeof why) < 0) {
        store_rollback(db);
        log_error("retention: the audit trail is damaged (%s); no audit row is removed until "
                  "`mpoold audit-verify` passes",
                  why);
        return -1;
    }
    snprintf(done, sizeof done, SWEEP_RESULT "%lld", (long long)upto);
    if (found == 1)
        removed = remove_upto(db, upto, hash, now);
    if (removed > 0 && audit_append(db, now, "mpoold", "retention.audit", "", done) < 0)
        removed = -1;
    char rule[120];
    snprintf(rule, sizeof rule, "[retention] audit = %lld days after a row was written: %lld rows",
             (long long)(period_ms / 86400000), (long long)removed);
    if (found < 0 || removed < 0 ||
        (removed > 0 && destroyed_add(db, "audit trail", "", rule) < 0) || store_commit(db) < 0) {
        store_rollback(db);
        log_error("retention: could not remove the audit rows that are due; will retry");
        return -1;
    }
    if (removed > 0) {
        store_reclaim(db);
        log_info("retention: removed %lld audit rows up to row %lld", (long long)removed,
                 (long long)upto);
    }
    return removed;
}

/* Where the chain starts: after the last anchor, or from the beginning. */
static int chain_start(sqlite3 *db, int64_t *expect, uint8_t prev[HASH_LEN])
{
    sqlite3_stmt *st =
        store_prepare(db, "SELECT upto, hash FROM audit_anchor ORDER BY upto DESC LIMIT 1");
    if (!st)
        return -1;
    *expect = 1;
    memset(prev, 0, HASH_LEN);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == HASH_LEN) {
        *expect = sqlite3_column_int64(st, 0) + 1;
        memcpy(prev, sqlite3_column_blob(st, 1), HASH_LEN);
    }
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* Every row from the last anchor up to row last, in a chain. */
static int walk(sqlite3 *db, int64_t last, int64_t *rows, int64_t *bad, char *why, size_t len)
{
    uint8_t prev[HASH_LEN], hash[HASH_LEN];
    int64_t expect;
    if (chain_start(db, &expect, prev) < 0) {
        snprintf(why, len, "cannot read the audit anchors");
        return -1;
    }
    sqlite3_stmt *st = store_prepare(db, "SELECT id, at_ms, user_id, op, case_id, result, hash"
                                         " FROM audit WHERE id <= ?1 ORDER BY id");
    if (!st) {
        snprintf(why, len, "cannot read the audit table");
        return -1;
    }
    sqlite3_bind_int64(st, 1, last);
    int rc = 0;
    *rows = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *fields[4];
        for (int f = 0; f < 4; f++) {
            const unsigned char *v = sqlite3_column_text(st, 2 + f);
            fields[f] = v ? (const char *)v : "";
        }
        hash_row(prev, id, sqlite3_column_int64(st, 1), fields, hash);
        *bad = id;
        if (id != expect) {
            snprintf(why, len, "row %lld follows row %lld: rows are missing", (long long)id,
                     (long long)expect - 1);
            rc = -1;
        } else if (sqlite3_column_bytes(st, 6) != HASH_LEN ||
                   sodium_memcmp(hash, sqlite3_column_blob(st, 6), HASH_LEN) != 0) {
            snprintf(why, len, "row %lld was changed: its hash does not match", (long long)id);
            rc = -1;
        }
        memcpy(prev, hash, HASH_LEN);
        expect = id + 1;
        (*rows)++;
    }
    store_release(st);
    return rc < 0 ? -1 : 0;
}

/* The latest anchor, if any, was made by a sweep: the row the sweep
 * appended in the same transaction follows it. */
static int anchor_swept(sqlite3 *db, int64_t *bad, char *why, size_t len)
{
    sqlite3_stmt *st =
        store_prepare(db, "SELECT a.upto, EXISTS (SELECT 1 FROM audit WHERE id > a.upto AND"
                          " op = 'retention.audit' AND result = ?1 || a.upto) FROM audit_anchor a"
                          " ORDER BY a.upto DESC LIMIT 1");
    if (!st) {
        snprintf(why, len, "cannot read the audit anchors");
        return -1;
    }
    sqlite3_bind_text(st, 1, SWEEP_RESULT, -1, SQLITE_STATIC);
    int rc = 0;
    if (sqlite3_step(st) == SQLITE_ROW && !sqlite3_column_int(st, 1)) {
        *bad = sqlite3_column_int64(st, 0);
        snprintf(why, len, "rows up to %lld were removed, but not by the retention sweep",
                 (long long)*bad);
        rc = -1;
    }
    store_release(st);
    return rc;
}

int audit_verify(sqlite3 *db, int64_t *rows, int64_t *bad, char *why, size_t len)
{
    if (walk(db, INT64_MAX, rows, bad, why, len) < 0 || anchor_swept(db, bad, why, len) < 0)
        return -1;
    int rc = 0;
    int64_t head = 0, expect = 0;
    sqlite3_stmt *st = store_prepare(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM audit");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        store_release(st);
        snprintf(why, len, "cannot read the audit table");
        return -1;
    }
    expect = sqlite3_column_int64(st, 0);
    store_release(st);
    if (rc == 0 && (store_meta_get(db, "audit_head", &head) < 0 || head != expect - 1)) {
        *bad = expect;
        snprintf(why, len, "the trail ends at row %lld but reached row %lld: rows were removed",
                 (long long)expect - 1, (long long)head);
        rc = -1;
    }
    return rc;
}
