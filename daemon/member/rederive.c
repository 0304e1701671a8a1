/* rederive: stored pseudonyms made again under the current rule. */
#include "member/rederive.h"

#include <string.h>

#include "base/log.h"
#include "member/outbox.h"
#include "member/profiles.h"
#include "store/store.h"
#include "wire/pseudonym.h"

#define MAX_REFS 16

/* The labelled rows of one table made again; *changed counts those whose
 * pseudonym differs now. A relationship whose new pseudonym another row of
 * the mediator's holds already (two spellings that are one name now) keeps
 * its old one: UPDATE OR IGNORE, and both keep excluding. */
static int remake(struct node *n, const char *table, int *changed)
{
    char select[160], update[160];
    snprintf(select, sizeof select,
             "SELECT rowid, kind, label, ref FROM %s WHERE kind IN ('person', 'unit')"
             " AND label != '' ORDER BY rowid",
             table);
    snprintf(update, sizeof update, "UPDATE OR IGNORE %s SET ref = ?2 WHERE rowid = ?1", table);
    sqlite3_stmt *sel = store_prepare(n->db, select), *upd = store_prepare(n->db, update);
    int rc = sel && upd ? 0 : -1, step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(sel)) == SQLITE_ROW) {
        char ref[PSEUDONYM_LEN + 1];
        const char *kind = (const char *)sqlite3_column_text(sel, 1);
        const char *label = (const char *)sqlite3_column_text(sel, 2);
        const char *old = (const char *)sqlite3_column_text(sel, 3);
        /* A label the new rule cannot read (not UTF-8) keeps its pseudonym. */
        if (pseudonym_make(n->pool_secret, kind, label, ref) < 0 || strcmp(ref, old) == 0)
            continue;
        sqlite3_reset(upd);
        sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
        sqlite3_bind_text(upd, 2, ref, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(upd) == SQLITE_DONE ? 0 : -1;
        *changed += rc == 0 ? sqlite3_changes(n->db) : 0;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    store_release(sel);
    store_release(upd);
    return rc;
}

/* The distinct references of one column of a case's people and units. */
static int case_refs(struct node *n, const char *sql, const char *case_id, char out[][40],
                     char **ptrs, size_t *count)
{
    sqlite3_stmt *st = store_prepare(n->db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    *count = 0;
    while (*count < MAX_REFS && sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out[*count], 40, "%s", sqlite3_column_text(st, 0));
        ptrs[*count] = out[*count];
        (*count)++;
    }
    store_release(st);
    return 0;
}

/* The coordinator adds the case's new references to those it holds. */
static int tell_case(struct node *n, const char *case_id)
{
    char refs[MAX_REFS][40], legacy[MAX_REFS][40];
    char *ref_ptrs[MAX_REFS], *legacy_ptrs[MAX_REFS];
    Mpool__V1__CasePost p = MPOOL__V1__CASE_POST__INIT;
    p.case_id = (char *)case_id;
    p.requester = n->cfg.node_id;
    p.parties = ref_ptrs;
    p.legacy_parties = legacy_ptrs;
    if (case_refs(n,
                  "SELECT DISTINCT ref FROM m_case_parties WHERE case_id = ?1"
                  " AND ref LIKE 'p:%' ORDER BY ref",
                  case_id, refs, ref_ptrs, &p.n_parties) < 0 ||
        case_refs(n,
                  "SELECT DISTINCT legacy_ref FROM m_case_parties WHERE case_id = ?1"
                  " AND legacy_ref != ref ORDER BY legacy_ref",
                  case_id, legacy, legacy_ptrs, &p.n_legacy_parties) < 0)
        return -1;
    return member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_PARTIES, &p.base);
}

static int tell_cases(struct node *n)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT DISTINCT case_id FROM m_case_parties"
                                            " WHERE legacy_ref != ref ORDER BY case_id");
    if (!st)
        return -1;
    struct id_list ids;
    int rc = store_collect_ids(st, &ids);
    store_release(st);
    for (size_t i = 0; rc == 0 && i < ids.count; i++)
        rc = tell_case(n, ids.ids[i]);
    if (rc == 0)
        log_info("names: the party references of %zu cases derived again, for the coordinator",
                 ids.count);
    id_list_free(&ids);
    return rc;
}

int rederive_pseudonyms(struct node *n)
{
    int64_t rule = 0;
    if (store_meta_get(n->db, "pseudonym_rule", &rule) < 0)
        return -1;
    if (rule >= PSEUDONYM_RULE)
        return 0;
    if (store_begin(n->db) < 0)
        return -1;
    int parties = 0, relationships = 0;
    int rc = remake(n, "m_case_parties", &parties);
    rc = rc < 0 ? rc : remake(n, "m_relationships", &relationships);
    rc = rc < 0 || parties == 0 ? rc : tell_cases(n);
    rc = rc < 0 || relationships == 0 ? rc : mediator_profiles_requeue(n);
    rc = rc < 0 ? rc : store_meta_set(n->db, "pseudonym_rule", PSEUDONYM_RULE);
    if (rc < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("names: could not derive the stored pseudonyms again; nothing changed");
        return -1;
    }
    if (parties + relationships > 0)
        log_info("names: %d party and %d relationship pseudonyms derived again (rule %d)", parties,
                 relationships, PSEUDONYM_RULE);
    return 0;
}
