/* seat_list: a case's seats as the requesting node last heard them from
 * the coordinator (m_cases.seat_list, JSON): written from each event, read
 * for the journey's checks and for showing who holds the case. Each seat
 * also keeps the note its mediator sealed with a disclosure, which only
 * this node can read. */
#ifndef MPOOL_API_SEAT_LIST_H
#define MPOOL_API_SEAT_LIST_H

#include <sqlite3.h>

#include "base/ids.h"
#include "journey/journey.h"
#include "mpool.pb-c.h"

struct case_seats {
    char ids[2][2 * ID_MAX];
    struct journey_seat held[2];
    size_t n;
};

/* One more held seat (at most two; none without an id or a state). */
void case_seats_add(struct case_seats *s, const char *mediator_id, int state);
/* The seats in seat_list's JSON text; what does not read as one is none. */
void case_seats_parse(const char *json, struct case_seats *s);
/* The seats of case_id; 0, or -1 on a storage failure. */
int case_seats_load(sqlite3 *db, const char *case_id, struct case_seats *s);

/* The event's held seats as seat_list JSON (malloc'd, NULL when out of
 * memory). A seat keeps the note it had in `before` (the list the event
 * replaces); the seat of `noted`, if any, gets `note` (NULL: none). */
char *seat_list_from_event(const Mpool__V1__CaseEvent *ev, const char *before, const char *noted,
                           const char *note, size_t note_len);
/* The state mediator_id's seat had in the list, "" when it held none. */
void seat_list_state(const char *json, const char *mediator_id, char *out, size_t len);
/* A chosen mediator's seat, as offered, until the coordinator's event
 * says how it stands: a second choice is checked with it. 0 or -1. */
int seat_list_add_chosen(sqlite3 *db, const char *case_id, const char *mediator_id);
/* SQL: the row's seat_list with every seat's note taken out, for an
 * erasure and for retention (an UPDATE of m_cases). */
#define SEAT_LIST_WITHOUT_NOTES                                                                    \
    "(SELECT json_group_array(json_remove(value, '$.note')) FROM json_each(seat_list))"
/* SQL: whether the row's seat_list still holds a note. */
#define SEAT_LIST_HAS_NOTE                                                                         \
    "EXISTS (SELECT 1 FROM json_each(seat_list) WHERE json_type(value, '$.note') IS NOT NULL)"

/* The event's seat of the mediator it is about, or NULL. */
const Mpool__V1__Seat *seat_of_event(const Mpool__V1__CaseEvent *ev);

#endif
