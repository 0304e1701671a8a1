/* seat_list: reading m_cases.seat_list back into the journey's terms. */
#include "api/seat_list.h"

#include <jansson.h>
#include <string.h>

#include "store/store.h"
#include "wire/names.h"

void case_seats_parse(const char *json, struct case_seats *s)
{
    memset(s, 0, sizeof *s);
    json_t *list = json_loads(json ? json : "[]", 0, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *id = json_string_value(json_object_get(e, "mediator_id"));
        int state = case_state_parse(json_string_value(json_object_get(e, "state")));
        if (s->n == 2 || !id || !state)
            continue;
        snprintf(s->ids[s->n], sizeof s->ids[0], "%s", id);
        s->held[s->n] = (struct journey_seat){s->ids[s->n], state};
        s->n++;
    }
    json_decref(list);
}

int case_seats_load(sqlite3 *db, const char *case_id, struct case_seats *s)
{
    memset(s, 0, sizeof *s);
    sqlite3_stmt *st = store_prepare(db, "SELECT seat_list FROM m_cases WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        case_seats_parse((const char *)sqlite3_column_text(st, 0), s);
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}
