/* refs: party references derived again, added to a case. */
#include "coord/refs.h"

#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "coord/cases.h"
#include "journey/journey.h"
#include "store/store.h"
#include "wire/pseudonym.h"

#define S(x) MPOOL__V1__CASE_STATE__CASE_STATE_##x

static const char *refs_problem(const char *sender, const Mpool__V1__CasePost *p)
{
    if (!case_id_valid(p->case_id) || strcmp(p->requester, sender) != 0)
        return "not a case of the sender's";
    if (p->n_parties > 16)
        return "more than 16 references";
    for (size_t i = 0; i < p->n_parties; i++)
        if (!party_ref_valid(p->parties[i]) || strncmp(p->parties[i], "p:", 2) != 0)
            return "a reference is not p:<pseudonym>";
    if (!journey_legacy_parties_ok(p))
        return "a legacy reference is not p:<pseudonym>, or there are more than 16";
    return NULL;
}

static int take(struct node *n, const char *sender, const Mpool__V1__CasePost *p)
{
    struct ccase c;
    int rc = case_load(n, p->case_id, &c);
    if (rc <= 0) {
        if (rc == 0)
            log_info("case %s: references derived again, but the case is gone", p->case_id);
        return rc;
    }
    if (strcmp(c.requester, sender) != 0) {
        log_warn("rejected references from %s: %s is not its case", sender, p->case_id);
        return 0;
    }
    size_t added = 0;
    if (case_parties_store(n, p, false, &added) < 0)
        return -1;
    log_info("case %s: %zu party references added, derived again by %s", c.id, added, sender);
    if (added == 0 || c.state != S(SHORTLISTED))
        return 0;
    /* A new order is no progress: the case keeps its clock for pool stuck. */
    int64_t since = -1;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT updated_ms FROM c_cases WHERE case_id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            since = sqlite3_column_int64(st, 0);
        store_release(st);
    }
    if (since < 0 || reshortlist(n, &c, "coordinator",
                                 "ranked again: the parties' names were compared anew") < 0)
        return -1;
    st = store_prepare(n->db, "UPDATE c_cases SET updated_ms = ?2 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c.id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

int refs_take(struct node *n, const char *sender, const Mpool__V1__Envelope *env)
{
    Mpool__V1__CasePost *p = mpool__v1__case_post__unpack(NULL, env->body.len, env->body.data);
    if (!p) {
        log_warn("rejected party references from %s: malformed body", sender);
        return 0;
    }
    const char *problem = refs_problem(sender, p);
    int rc = 0;
    if (problem)
        log_warn("rejected party references from %s: %s", sender, problem);
    else
        rc = take(n, sender, p);
    mpool__v1__case_post__free_unpacked(p, NULL);
    return rc;
}
