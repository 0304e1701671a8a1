/* shown: the mediators the shortlists of a case named. */
#include "member/shown.h"

#include <string.h>

#include "member/seat_list.h"
#include "store/store.h"

/* A mediator first named by this shortlist gets the next number of the
 * case, in the shortlist's order; a number is never given twice, even when
 * its mediator left the set, so "number 2" cannot come to mean another. */
static const char number_sql[] =
    "INSERT OR IGNORE INTO m_numbers(case_id, mediator_id, number) SELECT ?1, ?2,"
    " 1 + COALESCE((SELECT MAX(number) FROM m_numbers WHERE case_id = ?1), 0)";

int shown_remember(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    sqlite3_stmt *st = store_prepare(n->db, "INSERT OR IGNORE INTO m_shown(case_id, mediator_id,"
                                            " first_ms) VALUES(?1, ?2, ?3)");
    sqlite3_stmt *num = store_prepare(n->db, number_sql);
    int rc = st && num ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < ev->n_shortlist; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, ev->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ev->shortlist[i]->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(num);
        sqlite3_bind_text(num, 1, ev->case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(num, 2, ev->shortlist[i]->mediator_id, -1, SQLITE_STATIC);
        rc = rc == 0 && sqlite3_step(num) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    store_release(num);
    return rc;
}

json_t *shown_numbers_json(sqlite3 *db, const char *case_id, json_t *shortlist)
{
    json_t *all = json_array();
    sqlite3_stmt *st = store_prepare(db, "SELECT number, mediator_id FROM m_numbers"
                                         " WHERE case_id = ?1 ORDER BY number");
    if (!all || !st) {
        store_release(st);
        return all;
    }
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_int_t number = sqlite3_column_int64(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        json_array_append_new(all, json_pack("{sIss}", "number", number, "mediator_id", id));
        size_t i;
        json_t *e;
        json_array_foreach(shortlist, i, e)
        {
            const char *listed = json_string_value(json_object_get(e, "mediator_id"));
            if (listed && strcmp(listed, id) == 0)
                json_object_set_new(e, "number", json_integer(number));
        }
    }
    store_release(st);
    return all;
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
