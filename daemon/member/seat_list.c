/* seat_list: reading m_cases.seat_list back into the journey's terms. */
#include "member/seat_list.h"

#include <jansson.h>
#include <string.h>

#include "store/store.h"
#include "wire/names.h"

void case_seats_add(struct case_seats *s, const char *mediator_id, int state)
{
    if (s->n == 2 || !mediator_id || !state)
        return;
    snprintf(s->ids[s->n], sizeof s->ids[0], "%s", mediator_id);
    s->held[s->n] = (struct journey_seat){s->ids[s->n], state};
    s->n++;
}

void case_seats_parse(const char *json, struct case_seats *s)
{
    memset(s, 0, sizeof *s);
    json_t *list = json_loads(json ? json : "[]", 0, NULL);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        case_seats_add(s, json_string_value(json_object_get(e, "mediator_id")),
                       case_state_parse(json_string_value(json_object_get(e, "state"))));
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

/* The entry of mediator_id in a parsed list, or NULL. */
static json_t *entry_of(json_t *list, const char *mediator_id)
{
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *id = json_string_value(json_object_get(e, "mediator_id"));
        if (id && strcmp(id, mediator_id) == 0)
            return e;
    }
    return NULL;
}

static json_t *seat_entry(const Mpool__V1__Seat *s, json_t *old, const char *noted,
                          const char *note, size_t note_len)
{
    json_t *seat = json_pack("{sssssIsI}", "mediator_id", s->mediator_id, "state",
                             case_state_name(s->state), "offer_expires_ms",
                             (json_int_t)s->offer_expires_ms, "minutes", (json_int_t)s->minutes);
    if (!seat)
        return NULL;
    if (s->disclosure)
        json_object_set_new(seat, "disclosure", json_string(disclosure_name(s->disclosure)));
    json_t *kept = old ? json_object_get(entry_of(old, s->mediator_id), "note") : NULL;
    if (noted && strcmp(noted, s->mediator_id) == 0)
        kept = NULL; /* a new disclosure replaces the mediator's earlier note */
    if (noted && strcmp(noted, s->mediator_id) == 0 && note)
        json_object_set_new(seat, "note", json_stringn(note, note_len));
    else if (json_is_string(kept))
        json_object_set(seat, "note", kept);
    return seat;
}

char *seat_list_from_event(const Mpool__V1__CaseEvent *ev, const char *before, const char *noted,
                           const char *note, size_t note_len)
{
    json_t *old = json_loads(before ? before : "[]", 0, NULL);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < ev->n_seats; i++)
        json_array_append_new(arr, seat_entry(ev->seats[i], old, noted, note, note_len));
    char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
    json_decref(arr);
    json_decref(old);
    return text;
}

void seat_list_state(const char *json, const char *mediator_id, char *out, size_t len)
{
    json_t *list = json_loads(json ? json : "[]", 0, NULL);
    const char *state = json_string_value(json_object_get(entry_of(list, mediator_id), "state"));
    snprintf(out, len, "%s", state ? state : "");
    json_decref(list);
}

int seat_list_add_chosen(sqlite3 *db, const char *case_id, const char *mediator_id)
{
    sqlite3_stmt *st = store_prepare(
        db, "UPDATE m_cases SET seat_list = json_insert(seat_list, '$[#]',"
            " json_object('mediator_id', ?2, 'state', 'offered')) WHERE case_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, mediator_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

const Mpool__V1__Seat *seat_of_event(const Mpool__V1__CaseEvent *ev)
{
    for (size_t i = 0; *ev->mediator_id && i < ev->n_seats; i++)
        if (strcmp(ev->seats[i]->mediator_id, ev->mediator_id) == 0)
            return ev->seats[i];
    return NULL;
}
