/* faces: one row per mediator, the last shortlist's word. */
#include "member/faces.h"

#include <string.h>

#include "base/ids.h"
#include "store/store.h"

int faces_keep(struct node *n, const Mpool__V1__CaseEvent *ev)
{
    if (ev->n_shortlist == 0)
        return 0;
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO m_pool_mediators(mediator_id, display_name, about, updated_ms)"
               " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(mediator_id) DO UPDATE SET"
               " display_name = excluded.display_name, about = excluded.about,"
               " updated_ms = excluded.updated_ms");
    int rc = st ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < ev->n_shortlist; i++) {
        const Mpool__V1__ShortlistEntry *e = ev->shortlist[i];
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, e->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, e->display_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, e->about, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    return rc;
}

void faces_add(struct node *n, json_t *list)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT display_name, about FROM m_pool_mediators"
                                            " WHERE mediator_id = ?1");
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *id = json_string_value(json_object_get(e, "mediator_id"));
        const char *name = "", *about = "";
        if (st && id) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW) {
                name = (const char *)sqlite3_column_text(st, 0);
                about = (const char *)sqlite3_column_text(st, 1);
            }
        }
        json_object_set_new(e, "display_name", json_string(name ? name : ""));
        json_object_set_new(e, "about", json_string(about ? about : ""));
    }
    store_release(st);
}
