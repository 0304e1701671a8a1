/* rerank: the cases that list a mediator, each shortlisted again. */
#include "coord/rerank.h"

#include <stdio.h>

#include "base/log.h"
#include "coord/cases.h"
#include "store/store.h"

/* One case ranked again, inside a savepoint: a case that cannot be ranked
 * now is left as it was and logged, and never fails the step that caused
 * the re-rank. The case keeps its clock: a new order is no progress, and
 * `pool stuck` still counts from its last real step. Returns -1 only when
 * the savepoint itself fails. */
static int rerank_one(struct node *n, const char *case_id, const char *reason)
{
    if (store_exec(n->db, "SAVEPOINT rerank") < 0)
        return -1;
    struct ccase c;
    int64_t since = -1;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT updated_ms FROM c_cases WHERE case_id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            since = sqlite3_column_int64(st, 0);
        store_release(st);
    }
    int rc = since >= 0 && case_load(n, case_id, &c) == 1 &&
                     reshortlist(n, &c, "coordinator", reason) == 0
                 ? 0
                 : -1;
    st = rc == 0 ? store_prepare(n->db, "UPDATE c_cases SET updated_ms = ?2 WHERE case_id = ?1")
                 : NULL;
    if (st) {
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, since);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        store_release(st);
    }
    if (rc < 0) {
        log_error("case %s: could not rank it again now; it keeps its shortlist", case_id);
        return store_exec(n->db, "ROLLBACK TO rerank") < 0 ||
                       store_exec(n->db, "RELEASE rerank") < 0
                   ? -1
                   : 0;
    }
    return store_exec(n->db, "RELEASE rerank");
}

int rerank_listing(struct node *n, const char *mediator_id, const char *except)
{
    if (!mediator_id || !*mediator_id)
        return 0;
    sqlite3_stmt *st =
        store_prepare(n->db, "SELECT DISTINCT s.case_id FROM c_shortlist s JOIN c_cases c"
                             " ON c.case_id = s.case_id WHERE s.mediator_id = ?1 AND c.state = ?2"
                             " AND s.case_id != ?3 ORDER BY s.case_id");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, S(SHORTLISTED));
    sqlite3_bind_text(st, 3, except ? except : "", -1, SQLITE_STATIC);
    struct id_list ids;
    int rc = store_collect_ids(st, &ids);
    store_release(st);
    if (rc < 0)
        return -1;
    char reason[200];
    snprintf(reason, sizeof reason, "re-ranked: the load or availability of %s changed",
             mediator_id);
    for (size_t i = 0; rc == 0 && i < ids.count; i++)
        rc = rerank_one(n, ids.ids[i], reason);
    id_list_free(&ids);
    return rc;
}
