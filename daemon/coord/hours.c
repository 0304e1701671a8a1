/* hours: one query over both sources of the ledger. */
#include "coord/hours.h"

#include <string.h>

#include "store/store.h"

bool hours_ledger_line(const struct node *n, const char *node_id)
{
    return n->cfg.member || strcmp(node_id, n->cfg.node_id) != 0;
}

int hours_of_year(sqlite3 *db, const char *year, hours_fn fn, void *ctx)
{
    sqlite3_stmt *st = store_prepare(
        db, "SELECT giver, requester, SUM(minutes) FROM (SELECT giver, requester, minutes FROM"
            " c_hours WHERE strftime('%Y', at_ms / 1000, 'unixepoch') = ?1 UNION ALL"
            " SELECT giver, requester, minutes FROM c_stats WHERE substr(month, 1, 4) = ?1)"
            " GROUP BY 1, 2 ORDER BY 1, 2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, year, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
           sqlite3_column_int64(st, 2));
    store_release(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
