/* seat_list: a case's seats as this node last heard them from the coordinator
 * (m_cases.seat_list, written by member/apply.c), for the journey's checks
 * and for showing who holds the case. */
#ifndef MPOOL_API_SEAT_LIST_H
#define MPOOL_API_SEAT_LIST_H

#include <sqlite3.h>

#include "base/ids.h"
#include "journey/journey.h"

struct case_seats {
    char ids[2][2 * ID_MAX];
    struct journey_seat held[2];
    size_t n;
};

/* The seats in seat_list's JSON text; what does not read as one is none. */
void case_seats_parse(const char *json, struct case_seats *s);
/* The seats of case_id; 0, or -1 on a storage failure. */
int case_seats_load(sqlite3 *db, const char *case_id, struct case_seats *s);

#endif
