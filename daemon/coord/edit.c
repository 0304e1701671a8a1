/* edit: one UPDATE of the case, its parties replaced, a new shortlist. */
#include "coord/edit.h"

#include <string.h>

#include "base/deadline.h"
#include "base/vocabulary.h"
#include "store/store.h"

int case_edit(struct node *n, struct ccase *c, const char *actor, const Mpool__V1__CaseAction *a)
{
    const Mpool__V1__CasePost *p = a->edit;
    char why[512];
    /* The domain is the case's own; a language the pool does not use is
     * refused here too, the case left as it was. */
    if (strcmp(p->domain, c->domain) != 0 || strcmp(p->requester, c->requester) != 0)
        return reshortlist(n, c, actor, "edit not taken: the domain or requester differs");
    if (!vocabulary_check(&n->cfg.vocabulary, 'l', p->language, why, sizeof why)) {
        char reason[600];
        reasonf(reason, sizeof reason, "edit not taken: %s", why);
        return reshortlist(n, c, actor, reason);
    }
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE c_cases SET language = ?2, urgency = ?3,"
                                            " requires_certified = ?4, seats = ?5,"
                                            " deadline_kind = NULLIF(?6, ''),"
                                            " decide_by = ?7 WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, p->language, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, p->urgency);
    sqlite3_bind_int(st, 4, p->requires_certified);
    sqlite3_bind_int(st, 5, (int)p->seats);
    sqlite3_bind_text(st, 6, p->deadline_kind, -1, SQLITE_STATIC);
    int32_t by = deadline_parse(p->decide_by);
    if (by >= 0)
        sqlite3_bind_int(st, 7, by);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    if (rc < 0 || case_parties_store(n, p, true, NULL) < 0)
        return -1;
    snprintf(c->language, sizeof c->language, "%s", p->language);
    c->urgency = p->urgency;
    c->seats = (int)p->seats;
    c->decide_by = by;
    return reshortlist(n, c, actor, "edited by the requesting municipality");
}
