/* candidates: build match_mediator and match_case from SQLite rows. */
#include "coord/candidates.h"

#include <jansson.h>
#include <string.h>

#include "base/deadline.h"
#include "base/log.h"
#include "store/store.h"

static const char *keep(struct candidates *c, const char *s)
{
    if (c->nstrings == c->capstrings) {
        size_t cap = c->capstrings ? c->capstrings * 2 : 16;
        char **grown = realloc(c->strings, cap * sizeof *grown);
        if (!grown)
            return NULL;
        c->strings = grown;
        c->capstrings = cap;
    }
    char *copy = strdup(s ? s : "");
    if (copy)
        c->strings[c->nstrings++] = copy;
    return copy;
}

/* Pointer arrays live in one growing block, so they are referenced by
 * offset while loading and fixed up at the end. */
static long reserve_slots(struct candidates *c, size_t n)
{
    if (c->nslots + n > c->capslots) {
        /* Small at first: a batch round keeps one of these per waiting case. */
        size_t cap = c->capslots ? c->capslots * 2 : 16;
        while (cap < c->nslots + n)
            cap *= 2;
        const char **grown = realloc(c->slots, cap * sizeof *grown);
        if (!grown)
            return -1;
        c->slots = grown;
        c->capslots = cap;
    }
    long at = (long)c->nslots;
    c->nslots += n;
    return at;
}

/* Strings of a JSON array column; the offset is kept in .v until fix-up. */
static int json_strings(struct candidates *c, const char *text, struct match_strings *out)
{
    json_t *arr = json_loads(text ? text : "[]", 0, NULL);
    size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    long at = reserve_slots(c, n);
    if (at < 0) {
        json_decref(arr);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        c->slots[at + (long)i] = keep(c, json_string_value(json_array_get(arr, i)));
    json_decref(arr);
    out->v = (const char *const *)(intptr_t)at;
    out->n = n;
    return 0;
}

/* The strings in the first column of sql for ?1 = arg (and ?2 = num, for
 * a statement that has it). */
static int query_strings(struct candidates *c, sqlite3 *db, const char *sql, const char *arg,
                         int64_t num, struct match_strings *out)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int64(st, 2, num);
    long first = (long)c->nslots;
    size_t n = 0;
    int rc;
    /* A list cut short would let a vetoed or declined mediator through. */
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long at = reserve_slots(c, 1);
        if (at < 0)
            break;
        c->slots[at] = keep(c, (const char *)sqlite3_column_text(st, 0));
        n++;
    }
    store_release(st);
    out->v = (const char *const *)(intptr_t)first;
    out->n = n;
    return rc == SQLITE_DONE ? 0 : -1;
}

static void fix_up(struct candidates *c, struct match_strings *s)
{
    s->v = s->n ? c->slots + (intptr_t)s->v : NULL;
}

/* Whether now falls in one of the periods; none: empty_means. */
static bool in_period(const char *periods, int64_t now, bool empty_means)
{
    json_t *arr = json_loads(periods ? periods : "[]", 0, NULL);
    bool in = !json_is_array(arr) || json_array_size(arr) == 0 ? empty_means : false;
    size_t i;
    json_t *w;
    json_array_foreach(arr, i, w)
    {
        json_int_t from = json_integer_value(json_object_get(w, "from_ms"));
        json_int_t to = json_integer_value(json_object_get(w, "to_ms"));
        if (now >= from && now < to)
            in = true;
    }
    json_decref(arr);
    return in;
}

/* In one of the mediator's windows (none: always), and not away. */
static bool available_now(const char *windows, const char *away, int64_t now)
{
    return in_period(windows, now, true) && !in_period(away, now, false);
}

/* The hours a municipality gave minus the hours it received, from the
 * ledger (the view c_ledger), computed once per read. */
static const char mediators_sql[] =
    "WITH given(node, minutes) AS MATERIALIZED (SELECT giver, SUM(minutes) FROM c_ledger"
    "     GROUP BY 1),"
    "  received(node, minutes) AS MATERIALIZED (SELECT requester, SUM(minutes) FROM c_ledger"
    "     GROUP BY 1)"
    " SELECT m.mediator_id, m.node, m.lat, m.lon, m.capacity, m.languages, m.specialties,"
    "  m.mfn_expiry_ms, m.windows,"
    "  (SELECT COUNT(*) FROM c_seats s WHERE s.mediator_id = m.mediator_id"
    "     AND s.state IN " CANDIDATE_LOAD_STATES "),"
    "  (SELECT COUNT(*) FROM c_seats s WHERE s.mediator_id = m.mediator_id"
    "     AND s.state IN (7, 8) AND s.updated_ms > ?1 - 31536000000),"
    "  (COALESCE((SELECT minutes FROM given WHERE given.node = m.node), 0) -"
    "   COALESCE((SELECT minutes FROM received WHERE received.node = m.node), 0)) / 60,"
    "  m.away"
    " FROM c_mediators m WHERE m.active = 1 ORDER BY m.mediator_id";

/* Municipalities served lately: the pool prefers a fresh pair of eyes. */
static const char recent_sql[] =
    "SELECT DISTINCT c.requester FROM c_seats s JOIN c_cases c ON c.case_id = s.case_id"
    " WHERE s.mediator_id = ?1 AND s.state IN (5, 6, 7, 8) AND s.updated_ms > ?2"
    " ORDER BY c.requester";

static int load_row(struct node *n, sqlite3_stmt *st, int64_t now, struct candidates *c,
                    struct match_mediator *m)
{
    memset(m, 0, sizeof *m);
    m->id = keep(c, (const char *)sqlite3_column_text(st, 0));
    m->municipality = keep(c, (const char *)sqlite3_column_text(st, 1));
    m->lat = sqlite3_column_double(st, 2);
    m->lon = sqlite3_column_double(st, 3);
    m->capacity = sqlite3_column_int(st, 4);
    m->certified = sqlite3_column_int64(st, 7) > now;
    m->available =
        !n->cfg.check_availability || available_now((const char *)sqlite3_column_text(st, 8),
                                                    (const char *)sqlite3_column_text(st, 12), now);
    m->open_cases = sqlite3_column_int(st, 9);
    m->cases_last_365d = sqlite3_column_int(st, 10);
    m->balance_hours = sqlite3_column_int64(st, 11);
    if (!m->id || !m->municipality ||
        json_strings(c, (const char *)sqlite3_column_text(st, 5), &m->languages) < 0 ||
        json_strings(c, (const char *)sqlite3_column_text(st, 6), &m->specialties) < 0)
        return -1;
    int64_t since = now - n->cfg.recent_days * 86400000LL;
    if (query_strings(c, n->db, recent_sql, m->id, since, &m->recent_requesters) < 0)
        return -1;
    return query_strings(c, n->db, "SELECT ref FROM c_relationships WHERE mediator_id = ?1", m->id,
                         0, &m->relationships);
}

int candidates_load(struct node *n, int64_t now, struct candidates *c)
{
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = store_prepare(n->db, mediators_sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, now);
    size_t cap = 0;
    int rc = 0;
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->count == cap) {
            cap = cap ? cap * 2 : 64;
            struct match_mediator *grown = realloc(c->list, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            c->list = grown;
        }
        rc = load_row(n, st, now, c, &c->list[c->count]);
        if (rc == 0)
            c->count++;
    }
    store_release(st);
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1; /* a pool read only in part must not be matched */
    for (size_t i = 0; i < c->count; i++) {
        fix_up(c, &c->list[i].languages);
        fix_up(c, &c->list[i].specialties);
        fix_up(c, &c->list[i].relationships);
        fix_up(c, &c->list[i].recent_requesters);
    }
    if (rc < 0)
        candidates_free(c);
    return rc;
}

void candidates_free(struct candidates *c)
{
    for (size_t i = 0; i < c->nstrings; i++)
        free(c->strings[i]);
    free(c->strings);
    free(c->slots);
    free(c->list);
    memset(c, 0, sizeof *c);
}

const struct match_mediator *candidates_find(const struct candidates *c, const char *id)
{
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->list[i].id, id) == 0)
            return &c->list[i];
    return NULL;
}

static const char case_sql[] = "SELECT requester, domain, language, lat, lon, seats, "
                               "requires_certified, decide_by FROM c_cases WHERE case_id = ?1";

/* Mediators who served another case with one of this case's people or
 * units (municipalities are covered by R1). */
/* Involved: the mediator took the case (accepted, awaiting consent, in
 * mediation, closed), or took it and the requester then withdrew it (a
 * seat kept as withdrawn). */
static const char involved_sql[] =
    "SELECT DISTINCT s.mediator_id FROM c_seats s JOIN c_case_parties p ON p.case_id = s.case_id"
    " WHERE s.case_id != ?1 AND s.state IN (5, 6, 7, 8, 9)"
    "   AND p.ref LIKE 'p:%' AND p.ref IN (SELECT ref FROM c_case_parties WHERE case_id = ?1)";

/* The municipalities of the mediators who hold a seat: the other seat
 * goes to another municipality (R10). */
static const char seated_sql[] =
    "SELECT DISTINCT substr(mediator_id, 1, instr(mediator_id, ':') - 1) FROM c_seats"
    " WHERE case_id = ?1 AND state IN " CANDIDATE_LOAD_STATES;

int candidates_case(struct node *n, const char *case_id, struct candidates *pool,
                    struct match_case *mc)
{
    memset(mc, 0, sizeof *mc);
    sqlite3_stmt *st = store_prepare(n->db, case_sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_release(st);
        return -1;
    }
    mc->id = keep(pool, case_id);
    mc->requester = keep(pool, (const char *)sqlite3_column_text(st, 0));
    mc->domain = keep(pool, (const char *)sqlite3_column_text(st, 1));
    mc->language = keep(pool, (const char *)sqlite3_column_text(st, 2));
    mc->lat = sqlite3_column_double(st, 3);
    mc->lon = sqlite3_column_double(st, 4);
    mc->seats = sqlite3_column_int(st, 5);
    mc->requires_certified = sqlite3_column_int(st, 6) != 0;
    mc->max_distance_km = (double)n->cfg.max_distance_km;
    mc->has_deadline = sqlite3_column_type(st, 7) != SQLITE_NULL;
    if (mc->has_deadline)
        mc->days_left = sqlite3_column_int(st, 7) - deadline_today(now_ms());
    store_release(st);
    /* Marks are read into the pool too, then the offsets are fixed up. */
    int rc = query_strings(pool, n->db, "SELECT ref FROM c_case_parties WHERE case_id = ?1",
                           case_id, 0, &mc->parties);
    rc |= query_strings(pool, n->db,
                        "SELECT mediator_id FROM c_case_marks WHERE case_id = ?1 AND "
                        "mark = 'vetoed'",
                        case_id, 0, &mc->vetoed);
    rc |= query_strings(pool, n->db,
                        "SELECT mediator_id FROM c_case_marks WHERE case_id = ?1 AND "
                        "mark = 'declined'",
                        case_id, 0, &mc->declined);
    rc |= query_strings(pool, n->db,
                        "SELECT mediator_id FROM c_case_marks WHERE case_id = ?1 AND "
                        "mark = 'replaced'",
                        case_id, 0, &mc->replaced);
    rc |= query_strings(pool, n->db,
                        "SELECT mediator_id FROM c_case_marks WHERE case_id = ?1 AND "
                        "mark = 'expired'",
                        case_id, 0, &mc->expired);
    rc |= query_strings(pool, n->db,
                        "SELECT mediator_id FROM c_case_marks WHERE case_id = ?1 AND "
                        "mark = 'waived'",
                        case_id, 0, &mc->waived);
    rc |= query_strings(pool, n->db, involved_sql, case_id, 0, &mc->involved);
    rc |= query_strings(pool, n->db, seated_sql, case_id, 0, &mc->excluded_municipalities);
    fix_up(pool, &mc->excluded_municipalities);
    /* A seat already held is no seat to fill. */
    mc->seats -= (int)mc->excluded_municipalities.n;
    if (mc->seats < 1)
        mc->seats = 1;
    fix_up(pool, &mc->parties);
    fix_up(pool, &mc->vetoed);
    fix_up(pool, &mc->declined);
    fix_up(pool, &mc->replaced);
    fix_up(pool, &mc->expired);
    fix_up(pool, &mc->waived);
    fix_up(pool, &mc->involved);
    return rc ? -1 : 0;
}
