/* tally: one UPSERT per count. */
#include "coord/tally.h"

#include <stdio.h>
#include <string.h>

#include "store/store.h"

int tally_n(struct node *n, const char *requester, const char *giver, const char *measure,
            const char *code, unsigned count)
{
    char municipality[ID_MAX] = "";
    if (giver) {
        const char *colon = strchr(giver, ':');
        int len = colon ? (int)(colon - giver) : (int)strlen(giver);
        snprintf(municipality, sizeof municipality, "%.*s", len, giver);
    }
    sqlite3_stmt *st = store_prepare(
        n->db, "INSERT INTO c_tally(month, requester, giver, measure, code, count)"
               " VALUES(strftime('%Y-%m', ?1 / 1000, 'unixepoch'), ?2, ?3, ?4, ?5, ?6)"
               " ON CONFLICT(month, requester, giver, measure, code) DO UPDATE SET"
               " count = count + excluded.count");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now_ms());
    sqlite3_bind_text(st, 2, requester, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, municipality, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, measure, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, code && *code ? code : "-", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, (int)count);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

int tally(struct node *n, const char *requester, const char *giver, const char *measure,
          const char *code)
{
    return tally_n(n, requester, giver, measure, code, 1);
}
