/* rerank: the cases that list a mediator, each shortlisted again. */
#include "coord/rerank.h"

#include <stdio.h>

#include "coord/cases.h"
#include "store/store.h"

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
    for (size_t i = 0; rc == 0 && i < ids.count; i++) {
        struct ccase c;
        rc = case_load(n, ids.ids[i], &c) == 1 ? reshortlist(n, &c, "coordinator", reason) : -1;
    }
    id_list_free(&ids);
    return rc;
}
