/* seats: who holds each seat of a case (c_seats), and where that stands.
 *
 * A case has one or two seats. A seat is held from the offer on and given
 * up by a decline, an expiry, a veto, a refused consent, a step back or a
 * reassignment; the case's state follows from its seats, so two mediators
 * answer, take the case on and leave it each on their own. */
#include <string.h>

#include "base/deadline.h"
#include "base/log.h"
#include "coord/cases.h"
#include "journey/journey.h"
#include "store/store.h"

const struct cseat *seat_find(const struct ccase *c, const char *mediator_id)
{
    for (size_t i = 0; mediator_id && *mediator_id && i < c->n_held; i++)
        if (strcmp(c->seat[i].mediator_id, mediator_id) == 0)
            return &c->seat[i];
    return NULL;
}

struct cseat *seat_of(struct ccase *c, const char *mediator_id)
{
    const struct cseat *s = seat_find(c, mediator_id);
    return s ? &c->seat[s - c->seat] : NULL;
}

struct cseat *seat_take(struct node *n, struct ccase *c, const char *mediator_id)
{
    if (c->n_held >= sizeof c->seat / sizeof *c->seat)
        fatal("case %s: a third seat taken", c->id);
    struct cseat *s = &c->seat[c->n_held++];
    memset(s, 0, sizeof *s);
    snprintf(s->mediator_id, sizeof s->mediator_id, "%s", mediator_id);
    s->state = S(OFFERED);
    s->offer_expires_ms = deadline_offer_expiry(now_ms(), n->cfg.offer_expiry_ms, c->decide_by);
    return s;
}

void seat_drop(struct ccase *c, const char *mediator_id)
{
    struct cseat *s = seat_of(c, mediator_id);
    if (!s)
        return;
    size_t i = (size_t)(s - c->seat);
    memmove(&c->seat[i], &c->seat[i + 1], (c->n_held - i - 1) * sizeof *s);
    c->n_held--;
}

size_t seats_journey(const struct ccase *c, struct journey_seat held[2])
{
    for (size_t i = 0; i < c->n_held; i++)
        held[i] = (struct journey_seat){c->seat[i].mediator_id, c->seat[i].state};
    return c->n_held;
}

int seats_state(const struct ccase *c, int waiting)
{
    struct journey_seat held[2];
    return journey_case_state(c->seats, held, seats_journey(c, held), waiting);
}

int seats_load(struct node *n, struct ccase *c)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT mediator_id, state, offer_expires_ms,"
                                            " disclosure, minutes FROM c_seats WHERE case_id = ?1"
                                            " ORDER BY rowid LIMIT 2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
    c->n_held = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct cseat *s = &c->seat[c->n_held++];
        snprintf(s->mediator_id, sizeof s->mediator_id, "%s", sqlite3_column_text(st, 0));
        s->state = sqlite3_column_int(st, 1);
        s->offer_expires_ms = sqlite3_column_int64(st, 2);
        s->disclosure = sqlite3_column_int(st, 3);
        s->minutes = (unsigned)sqlite3_column_int(st, 4);
    }
    store_release(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The rows of seats given up go; a seat's clock moves only when its
 * state does (a mediator's pace counts from it). */
int seats_save(struct node *n, const struct ccase *c)
{
    sqlite3_stmt *del = store_prepare(n->db, "DELETE FROM c_seats WHERE case_id = ?1"
                                             " AND mediator_id NOT IN (?2, ?3)");
    if (!del)
        return -1;
    sqlite3_bind_text(del, 1, c->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(del, 2, c->n_held > 0 ? c->seat[0].mediator_id : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(del, 3, c->n_held > 1 ? c->seat[1].mediator_id : "", -1, SQLITE_STATIC);
    int rc = sqlite3_step(del) == SQLITE_DONE ? 0 : -1;
    store_release(del);
    sqlite3_stmt *up = store_prepare(
        n->db, "INSERT INTO c_seats(case_id, mediator_id, state, offer_expires_ms, disclosure,"
               " minutes, updated_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
               " ON CONFLICT(case_id, mediator_id) DO UPDATE SET state = excluded.state,"
               " offer_expires_ms = excluded.offer_expires_ms, disclosure = excluded.disclosure,"
               " minutes = excluded.minutes, updated_ms = CASE WHEN c_seats.state = excluded.state"
               " THEN c_seats.updated_ms ELSE excluded.updated_ms END");
    if (!up)
        return -1;
    for (size_t i = 0; rc == 0 && i < c->n_held; i++) {
        const struct cseat *s = &c->seat[i];
        sqlite3_reset(up);
        sqlite3_bind_text(up, 1, c->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 2, s->mediator_id, -1, SQLITE_STATIC);
        sqlite3_bind_int(up, 3, s->state);
        sqlite3_bind_int64(up, 4, s->offer_expires_ms);
        sqlite3_bind_int(up, 5, s->disclosure);
        sqlite3_bind_int(up, 6, (int)s->minutes);
        sqlite3_bind_int64(up, 7, now_ms());
        rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
    }
    store_release(up);
    return rc;
}
