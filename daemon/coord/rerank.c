/* rerank: the cases that list a mediator, each shortlisted again. */
#include "coord/rerank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "coord/cases.h"
#include "store/store.h"

/* One case ranked again, inside a savepoint: a case that cannot be ranked
 * now is left as it was and logged, and never fails the step that caused
 * the re-rank. A case whose list keeps its order gets no new event. The
 * case keeps its clock: a new order is no progress, and `pool stuck`
 * still counts from its last real step. Returns -1 only when the
 * savepoint itself fails. */
static int rerank_one(struct node *n, const char *case_id, const char *reason,
                      const struct candidates *cands)
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
    int changed = since >= 0 && case_load(n, case_id, &c) == 1
                      ? reshortlist_if_changed(n, &c, cands, "coordinator", reason)
                      : -1;
    int rc = changed < 0 ? -1 : 0;
    st = changed == 1 ? store_prepare(n->db, "UPDATE c_cases SET updated_ms = ?2"
                                             " WHERE case_id = ?1")
                      : NULL;
    if (st) {
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, since);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        store_release(st);
    } else if (changed == 1) {
        rc = -1;
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

/* The waiting cases that list mediator_id, but those in except. */
static int cases_listing(struct node *n, const char *mediator_id, zhashx_t *except,
                         struct id_list *ids)
{
    sqlite3_stmt *st =
        store_prepare(n->db, "SELECT DISTINCT s.case_id FROM c_shortlist s JOIN c_cases c"
                             " ON c.case_id = s.case_id WHERE s.mediator_id = ?1 AND c.state = ?2"
                             " ORDER BY s.case_id");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, mediator_id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, S(SHORTLISTED));
    int rc = store_collect_ids(st, ids);
    store_release(st);
    size_t kept = 0;
    for (size_t i = 0; rc == 0 && i < ids->count; i++) {
        if (zhashx_lookup(except, ids->ids[i]))
            continue;
        if (kept != i)
            memcpy(ids->ids[kept], ids->ids[i], sizeof ids->ids[i]);
        kept++;
    }
    if (rc == 0)
        ids->count = kept;
    return rc;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One pass over the waiting cases that list any of the mediators: the
 * pool is loaded once (a re-rank moves no load), and each case is ranked
 * once, however many of them it lists. */
static int rerank_pass(struct node *n, const char **mediators, size_t count, zhashx_t *except)
{
    struct candidates cands;
    if (count == 0)
        return 0;
    if (candidates_load(n, now_ms(), &cands) < 0)
        return -1;
    zhashx_t *done = zhashx_new();
    zhashx_set_destructor(done, NULL);
    int rc = 0;
    size_t ranked = 0;
    for (size_t m = 0; rc == 0 && m < count; m++) {
        struct id_list ids;
        if (cases_listing(n, mediators[m], except, &ids) < 0) {
            rc = -1;
            break;
        }
        char reason[200];
        snprintf(reason, sizeof reason, "re-ranked: the load or availability of %s changed",
                 mediators[m]);
        for (size_t i = 0; rc == 0 && i < ids.count; i++) {
            if (zhashx_insert(done, ids.ids[i], "") != 0)
                continue; /* ranked already in this pass */
            rc = rerank_one(n, ids.ids[i], reason, &cands);
            ranked++;
        }
        id_list_free(&ids);
    }
    if (ranked)
        log_debug("re-ranked %zu waiting cases for %zu mediators", ranked, count);
    zhashx_destroy(&done);
    candidates_free(&cands);
    return rc;
}

int rerank_listing(struct node *n, const char *mediator_id, const char *except)
{
    if (!mediator_id || !*mediator_id)
        return 0;
    if (n->rerank_deferred) {
        zhashx_update(n->rerank_due, mediator_id, "");
        if (except)
            zhashx_update(n->rerank_except, except, "");
        return 0;
    }
    zhashx_t *alone = zhashx_new();
    zhashx_set_destructor(alone, NULL);
    if (except)
        zhashx_insert(alone, except, "");
    int rc = rerank_pass(n, &mediator_id, 1, alone);
    zhashx_destroy(&alone);
    return rc;
}

void rerank_defer(struct node *n)
{
    n->rerank_deferred = true;
}

int rerank_flush(struct node *n)
{
    n->rerank_deferred = false;
    size_t count = zhashx_size(n->rerank_due);
    if (count == 0) {
        rerank_forget(n);
        return 0;
    }
    const char **mediators = calloc(count, sizeof *mediators);
    if (!mediators)
        fatal("rerank: out of memory");
    size_t i = 0;
    for (void *v = zhashx_first(n->rerank_due); v; v = zhashx_next(n->rerank_due))
        mediators[i++] = zhashx_cursor(n->rerank_due);
    qsort(mediators, count, sizeof *mediators, by_name);
    int rc = rerank_pass(n, mediators, count, n->rerank_except);
    free(mediators);
    rerank_forget(n);
    return rc;
}

void rerank_forget(struct node *n)
{
    n->rerank_deferred = false;
    zhashx_purge(n->rerank_due);
    zhashx_purge(n->rerank_except);
}
