/* ops_privacy: a data subject's rights at the requesting node (AVG art.
 * 15 and 17). The person is found by the pseudonym their name makes, so a
 * case whose names retention already blanked is found too. */
#include <string.h>

#include "api/clientapi.h"
#include "base/ids.h"
#include "member/notes.h"
#include "member/seat_list.h"
#include "node/audit.h"
#include "node/destroyed.h"
#include "store/store.h"
#include "wire/names.h"
#include "wire/pseudonym.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

/* The subject's pseudonym, and its form under the legacy rule of names: a
 * row whose label is gone (erased, or blanked by retention) was never made
 * again, and keeps the legacy form only. Either form, in either column,
 * is the same person, as the current rule folds all the legacy rule did. */
struct subject {
    char ref[PSEUDONYM_LEN + 1], legacy[PSEUDONYM_LEN + 1];
};

#define SUBJECT_IS "(ref IN (?8, ?9) OR legacy_ref IN (?8, ?9))"

static void bind_subject(sqlite3_stmt *st, const struct subject *s)
{
    sqlite3_bind_text(st, 8, s->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, s->legacy, -1, SQLITE_STATIC);
}

/* The pseudonyms of the request's subject, or a reply saying why not. */
static int subject_ref(struct request *rq, struct reply *rp, struct subject *s)
{
    const char *kind = arg_str(rq, rp, "kind", 10, true);
    const char *value = kind ? arg_str(rq, rp, "value", 200, true) : NULL;
    if (!value)
        return -1;
    if (pseudonym_make(rq->n->pool_secret, kind, value, s->ref) < 0 ||
        pseudonym_make_legacy(rq->n->pool_secret, kind, value, s->legacy) < 0)
        return fail(rp, ST(BAD_REQUEST),
                    "the %s's name is empty or not UTF-8 text; give the name as it was typed",
                    kind);
    return 0;
}

/* The cases at this node in which the subject is a party. */
static int cases_of(struct node *n, const struct subject *s, struct id_list *out)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT DISTINCT case_id FROM m_case_parties"
                                            " WHERE " SUBJECT_IS " ORDER BY case_id");
    if (!st)
        return -1;
    bind_subject(st, s);
    int rc = store_collect_ids(st, out);
    store_release(st);
    return rc;
}

/* The parties of a case: the subject as recorded, everyone else but a
 * municipality only as "redacted". */
static json_t *parties_for(struct node *n, const char *case_id, const struct subject *s)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = store_prepare(n->db, "SELECT kind, label, " SUBJECT_IS " FROM"
                                            " m_case_parties WHERE case_id = ?1 ORDER BY rowid");
    if (!st)
        return arr;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    bind_subject(st, s);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        bool self = sqlite3_column_int(st, 2) != 0;
        bool shown = self || strcmp(kind, "municipality") == 0;
        json_array_append_new(arr, json_pack("{sssssb}", "kind", kind, "label",
                                             shown ? (const char *)sqlite3_column_text(st, 1)
                                                   : "(another party, redacted)",
                                             "subject", self));
    }
    store_release(st);
    return arr;
}

static json_t *case_record(struct node *n, const char *case_id, const struct subject *s)
{
    sqlite3_stmt *st = store_prepare(
        n->db, "SELECT state, domain, language, created_ms, updated_ms, outcome,"
               " length(narrative), (SELECT COUNT(*) FROM m_case_notes o WHERE o.case_id = ?1)"
               " FROM m_cases WHERE case_id = ?1");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    json_t *rec = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *outcome = sqlite3_column_text(st, 5);
        rec = json_pack("{sssssssIsIsssIsIso}", "case_id", case_id, "state",
                        sqlite3_column_text(st, 0), "domain", sqlite3_column_text(st, 1),
                        "created_ms", (json_int_t)sqlite3_column_int64(st, 3), "updated_ms",
                        (json_int_t)sqlite3_column_int64(st, 4), "outcome",
                        outcome ? (const char *)outcome : "", "narrative_bytes",
                        (json_int_t)sqlite3_column_int64(st, 6), "notes",
                        (json_int_t)sqlite3_column_int64(st, 7), "parties",
                        parties_for(n, case_id, s));
    }
    store_release(st);
    return rec;
}

/* What a privacy look-up learned, on the audit trail: one row per case
 * with the subject's pseudonym (never the name), or one row for none. */
static int record_subject(struct request *rq, const char *what, const char *case_id,
                          const char *ref)
{
    char result[160];
    snprintf(result, sizeof result, "%s, subject %s", what, ref);
    return audit_append(rq->n->db, now_ms(), rq->user->id, rq->n->audit.op, case_id, result);
}

static int record_export(struct request *rq, const struct id_list *cases, const char *ref)
{
    if (store_begin(rq->n->db) < 0)
        return -1;
    int rc = cases->count == 0 ? record_subject(rq, "read, no case", "", ref) : 0;
    for (size_t i = 0; rc == 0 && i < cases->count; i++)
        rc = record_subject(rq, "read", cases->ids[i], ref);
    if (rc < 0 || store_commit(rq->n->db) < 0) {
        store_rollback(rq->n->db);
        return -1;
    }
    return 0;
}

/* The cases found by a row whose label is gone: its pseudonym is that of
 * the spelling used then, so another spelling of the person may miss more. */
static json_int_t unlabelled_of(struct node *n, const struct subject *s)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT COUNT(DISTINCT case_id) FROM m_case_parties"
                                            " WHERE label = '' AND " SUBJECT_IS);
    if (!st)
        return 0;
    bind_subject(st, s);
    json_int_t count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    store_release(st);
    return count;
}

void op_privacy_export(struct request *rq, struct reply *rp)
{
    struct subject s;
    struct id_list cases;
    if (subject_ref(rq, rp, &s) < 0)
        return;
    if (cases_of(rq->n, &s, &cases) < 0) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    if (record_export(rq, &cases, s.ref) < 0) {
        id_list_free(&cases);
        fail(rp, ST(INTERNAL), "the node cannot record this read; try again");
        return;
    }
    json_t *records = json_array();
    for (size_t i = 0; i < cases.count; i++) {
        json_t *rec = case_record(rq->n, cases.ids[i], &s);
        if (rec)
            json_array_append_new(records, rec);
    }
    id_list_free(&cases);
    /* A relationship one of this node's mediators declared with the person. */
    json_t *declared = json_array();
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT DISTINCT user_id FROM m_relationships"
                                                " WHERE " SUBJECT_IS " ORDER BY user_id");
    if (st) {
        bind_subject(st, &s);
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(declared,
                                  json_pack("{ss}", "mediator", sqlite3_column_text(st, 0)));
        store_release(st);
    }
    /* The narrative and the notes are people's own words about everyone in
     * the conflict: counted here, for HR to read and redact before release. */
    rp->result = json_pack("{sssosIsoss}", "pseudonym", s.ref, "cases", records, "unlabelled",
                           unlabelled_of(rq->n, &s), "relationships", declared, "review",
                           "narratives and notes are not included: they are free text about "
                           "every party; read them with 'mpool case show' and redact them "
                           "before you hand them over");
}

/* An ended case loses the subject's name, its narrative and every note
 * about it: the notes of its steps, the mediators' disclosure notes in its
 * seats, and any sealed copy this node holds as an offered mediator's
 * node; all on the destruction list. A running case keeps them. */
static int erase_case(struct node *n, const char *case_id, const struct subject *s, bool *ended)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT state IN " CASE_ENDED_NAMES " FROM"
                                            " m_cases WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    *ended = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    store_release(st);
    if (!*ended)
        return 0;
    static const char *const sql[] = {
        ("UPDATE m_case_parties SET label = '' WHERE case_id = ?1 AND " SUBJECT_IS),
        ("UPDATE m_cases SET narrative = NULL, disclosure_note = NULL,"
         " seat_list = " SEAT_LIST_WITHOUT_NOTES " WHERE case_id = ?1"),
        "DELETE FROM m_case_notes WHERE case_id = ?1",
        "UPDATE m_offers SET names = NULL, sealed = NULL WHERE case_id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        sqlite3_stmt *q = store_prepare(n->db, sql[i]);
        if (!q)
            return -1;
        sqlite3_bind_text(q, 1, case_id, -1, SQLITE_STATIC);
        if (i == 0)
            bind_subject(q, s);
        int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
        store_release(q);
        if (rc < 0)
            return -1;
    }
    return destroyed_add(n->db, "name, narrative and notes", case_id,
                         "a data subject's request for erasure (AVG art. 17)");
}

/* What an erasure keeps, each with the reason a person reads. */
static json_t *kept_case(const char *case_id)
{
    return json_pack("{ssssss}", "what", "case", "case_id", case_id, "why",
                     "the case is still running and needs its parties; erase again once it "
                     "has ended (retention also erases it then)");
}

/* The relationships this node's mediators declared with the subject:
 * they keep the mediator from being offered the person's cases, so they
 * stay until the mediator withdraws them. */
static int kept_relationships(struct node *n, const struct subject *s, json_t *kept)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT DISTINCT user_id FROM m_relationships"
                                            " WHERE " SUBJECT_IS " ORDER BY user_id");
    if (!st)
        return -1;
    bind_subject(st, s);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            kept, json_pack("{ssssss}", "what", "relationship", "mediator",
                            (const char *)sqlite3_column_text(st, 0), "why",
                            "a mediator declared a relationship with the person; it keeps them "
                            "from being offered the person's cases, until the mediator "
                            "withdraws it"));
    store_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

void op_privacy_erase(struct request *rq, struct reply *rp)
{
    struct subject s;
    struct id_list cases;
    if (subject_ref(rq, rp, &s) < 0)
        return;
    if (cases_of(rq->n, &s, &cases) < 0 || store_begin(rq->n->db) < 0) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    json_t *erased = json_array(), *running = json_array(), *kept = json_array();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cases.count; i++) {
        bool ended = false;
        rc = erase_case(rq->n, cases.ids[i], &s, &ended);
        if (rc == 0)
            rc = record_subject(rq, ended ? "erased" : "kept: running", cases.ids[i], s.ref);
        json_array_append_new(ended ? erased : running, json_string(cases.ids[i]));
        if (!ended)
            json_array_append_new(kept, kept_case(cases.ids[i]));
    }
    if (rc == 0 && cases.count == 0)
        rc = record_subject(rq, "no case", "", s.ref);
    id_list_free(&cases);
    if (rc == 0)
        rc = kept_relationships(rq->n, &s, kept);
    if (rc < 0) {
        fail_store(rq->n, rp);
        json_decref(erased);
        json_decref(running);
        json_decref(kept);
        return;
    }
    rp->result = json_pack("{sososo}", "erased", erased, "kept_running", running, "kept", kept);
    /* Held up by a reader, the checkpoint is logged and finished by the
     * node's loop; the answer does not wait for it. */
    if (commit_or_fail(rq->n, rp) == 0 && json_array_size(erased) > 0)
        (void)store_reclaim(rq->n->db);
}
