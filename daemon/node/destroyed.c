/* destroyed: one row per destruction, written with the destruction. */
#include "node/destroyed.h"

#include "base/ids.h"
#include "store/store.h"

int destroyed_add(sqlite3 *db, const char *kind, const char *case_id, const char *rule)
{
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO destroyed(at_ms, kind, case_id, rule)"
                                         " VALUES(?1, ?2, ?3, ?4)");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_ms());
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, rule, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}
