/* shown: the mediators the shortlists of a case named. */
#include "member/shown.h"

#include <string.h>

#include "member/seat_list.h"
#include "store/store.h"

int shown_remember(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT OR IGNORE INTO m_shown(case_id, mediator_id,"
                                            " first_ms) VALUES(?1, ?2, ?3)");
    int rc = st ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < ev->n_shortlist; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ev->shortlist[i]->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    return rc;
}

bool shown_has(sqlite3 *db, const char *case_id, const char *mediator_id)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT 1 FROM m_shown WHERE case_id = ?1 AND"
                                         " mediator_id = ?2");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    store_release(st);
    return found;
}

int shown_forget(sqlite3 *db, const char *case_id, const char *mediator_id)
{
    sqlite3_stmt *st = store_prepare(db, "DELETE FROM m_shown WHERE case_id = ?1 AND"
                                         " mediator_id = ?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

int shown_forget_left(struct node *n, const Mpool__V1__CaseEvent *ev, const char *before)
{
    struct case_seats was;
    if (*ev->refusal || !before)
        return 0;
    case_seats_parse(before, &was);
    for (size_t i = 0; i < was.n; i++) {
        bool held = false;
        for (size_t k = 0; k < ev->n_seats; k++)
            held = held || strcmp(ev->seats[k]->mediator_id, was.held[i].mediator_id) == 0;
        if (!held && shown_forget(n->db, ev->case_id, was.held[i].mediator_id) < 0)
            return -1;
    }
    return 0;
}
