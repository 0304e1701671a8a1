/* tally: one UPSERT per count. */
#include "coord/tally.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "store/store.h"

const struct tally_measure tally_measures[] = {
    {"posted", TALLY_NUMBER, false},        {"escalated", TALLY_NUMBER, false},
    {"assigned", TALLY_NUMBER, true},       {"expired", TALLY_NUMBER, true},
    {"closed", TALLY_CODED, false},         {"withdrawn", TALLY_CODED, false},
    {"vetoed", TALLY_CODED, false},         {"refused_consent", TALLY_CODED, false},
    {"reassigned", TALLY_CODED, false},     {"first_choice", TALLY_CODED, false},
    {"declined", TALLY_CODED, true},        {"stepped_back", TALLY_CODED, true},
    {"days_to_accept", TALLY_CODED, false}, {"days_to_close", TALLY_CODED, false},
    {"deadline", TALLY_APART, false},       {"excluded", TALLY_APART, false},
    {"mediated", TALLY_APART, true},
};
const size_t tally_measure_count = sizeof tally_measures / sizeof *tally_measures;

const struct tally_measure *tally_measure_of(const char *name)
{
    for (size_t i = 0; i < tally_measure_count; i++)
        if (strcmp(tally_measures[i].name, name) == 0)
            return &tally_measures[i];
    return NULL;
}

int tally_n(struct node *n, const char *requester, const char *giver, const char *measure,
            const char *code, unsigned count)
{
    if (!tally_measure_of(measure))
        fatal("tally: measure '%s' is not in the table", measure);
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
