/* ops_report: the coordinator's yearly report (pool.report). It reads the
 * tallies (coord/tally.c) and the ledger's hours, which hold no case and
 * no person, so a year whose cases retention destroyed still reports. */
#include <string.h>

#include "api/clientapi.h"
#include "coord/hours.h"
#include "coord/tally.h"
#include "match/match.h"
#include "store/store.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

static json_t *blank_row(const char *id, const char *name)
{
    json_t *row =
        json_pack("{sssssisisisisi}", "id", id, "name", name, "given_minutes", 0,
                  "received_minutes", 0, "balance_minutes", 0, "mediators", 0, "below_pace", 0);
    /* The days are counts per number of days, until their medians are taken. */
    for (size_t i = 0; i < tally_measure_count; i++)
        if (tally_measures[i].shape != TALLY_APART)
            json_object_set_new(row, tally_measures[i].name,
                                tally_measures[i].shape == TALLY_CODED ? json_object()
                                                                       : json_integer(0));
    json_object_set_new(row, "deadlines", json_object());
    return row;
}

static void add(json_t *obj, const char *key, json_int_t count)
{
    json_object_set_new(obj, key,
                        json_integer(json_integer_value(json_object_get(obj, key)) + count));
}

static void count_into(json_t *row, const char *measure, const char *code, json_int_t count)
{
    const struct tally_measure *m = tally_measure_of(measure);
    if (m && m->shape != TALLY_APART) {
        bool coded = m->shape == TALLY_CODED;
        add(coded ? json_object_get(row, measure) : row, coded ? code : measure, count);
        return;
    }
    const char *colon = strchr(code, ':');
    if (strcmp(measure, "deadline") != 0 || !colon)
        return;
    char kind[32];
    snprintf(kind, sizeof kind, "%.*s", (int)(colon - code), code);
    json_t *deadlines = json_object_get(row, "deadlines");
    if (!json_object_get(deadlines, kind))
        json_object_set_new(deadlines, kind, json_pack("{sisi}", "met", 0, "missed", 0));
    add(json_object_get(deadlines, kind), colon + 1, count);
}

/* The median of {"days": count}, or null when nothing was counted. */
static json_t *median_of(json_t *days)
{
    json_int_t total = 0, seen = 0;
    const char *key;
    json_t *v;
    json_object_foreach(days, key, v)
    {
        total += json_integer_value(v);
    }
    if (total == 0)
        return json_null();
    /* The keys are whole days; walk them in order of their value. */
    for (long d = 0; d < 100000; d++) {
        char k[24];
        snprintf(k, sizeof k, "%ld", d);
        json_int_t c = json_integer_value(json_object_get(days, k));
        if (c == 0)
            continue;
        if (seen + c > (total - 1) / 2) {
            if (total % 2 == 1 || seen + c > total / 2)
                return json_integer(d);
            /* an even count that splits between this day and the next */
            for (long e = d + 1; e < 100000; e++) {
                snprintf(k, sizeof k, "%ld", e);
                if (json_integer_value(json_object_get(days, k)) > 0)
                    return json_real((double)(d + e) / 2.0);
            }
        }
        seen += c;
    }
    return json_null();
}

static void finish_row(json_t *row)
{
    json_object_set_new(row, "balance_minutes",
                        json_integer(json_integer_value(json_object_get(row, "given_minutes")) -
                                     json_integer_value(json_object_get(row, "received_minutes"))));
    json_object_set_new(row, "median_days_to_accept",
                        median_of(json_object_get(row, "days_to_accept")));
    json_object_set_new(row, "median_days_to_close",
                        median_of(json_object_get(row, "days_to_close")));
    json_object_del(row, "days_to_accept");
    json_object_del(row, "days_to_close");
}

struct report {
    json_t *rows; /* municipality id -> row */
    json_t *pool; /* the whole pool's row */
    json_t *excluded;
    json_t *below_pace;
    const char *only; /* one municipality, or NULL */
};

static json_t *row_of(struct report *r, const char *id)
{
    return id && *id ? json_object_get(r->rows, id) : NULL;
}

static int read_tallies(sqlite3 *db, const char *year, struct report *r)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT requester, giver, measure, code, SUM(count)"
                                         " FROM c_tally WHERE substr(month, 1, 4) = ?1"
                                         " GROUP BY 1, 2, 3, 4");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, year, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *requester = (const char *)sqlite3_column_text(st, 0);
        const char *giver = (const char *)sqlite3_column_text(st, 1);
        const char *measure = (const char *)sqlite3_column_text(st, 2);
        const char *code = (const char *)sqlite3_column_text(st, 3);
        json_int_t count = sqlite3_column_int64(st, 4);
        if (strcmp(measure, "excluded") == 0) {
            if (!r->only || strcmp(r->only, requester) == 0)
                add(r->excluded, code, count);
            continue;
        }
        count_into(r->pool, measure, code, count);
        const struct tally_measure *m = tally_measure_of(measure);
        json_t *row = row_of(r, m && m->by_giver ? giver : requester);
        if (row)
            count_into(row, measure, code, count);
    }
    store_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

static void hours_row(void *ctx, const char *giver, const char *requester, int64_t minutes)
{
    struct report *r = ctx;
    json_t *g = row_of(r, giver), *q = row_of(r, requester);
    if (g)
        add(g, "given_minutes", minutes);
    if (q)
        add(q, "received_minutes", minutes);
    add(r->pool, "given_minutes", minutes);
    add(r->pool, "received_minutes", minutes);
}

/* Every active mediator against the MfN's pace, now: the mediations they
 * closed in the last three years. */
static int read_pace(sqlite3 *db, struct report *r)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT m.mediator_id, m.node, COALESCE((SELECT SUM(t.count) FROM c_tally t"
             " WHERE t.measure = 'mediated' AND t.code = m.mediator_id AND t.month >="
             " strftime('%%Y-%%m', 'now', '-%d months')), 0) FROM c_mediators m"
             " WHERE m.active = 1 ORDER BY m.mediator_id",
             MFN_PACE_MONTHS - 1);
    sqlite3_stmt *st = store_prepare(db, sql);
    if (!st)
        return -1;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *node = (const char *)sqlite3_column_text(st, 1);
        json_int_t closed = sqlite3_column_int64(st, 2);
        json_t *row = row_of(r, node);
        bool below = closed < MFN_PACE_CASES;
        add(r->pool, "mediators", 1);
        add(r->pool, "below_pace", below);
        if (row) {
            add(row, "mediators", 1);
            add(row, "below_pace", below);
        }
        /* With one municipality asked for, its mediators only. */
        if (below && (row || !r->only))
            json_array_append_new(r->below_pace,
                                  json_pack("{sssssI}", "mediator_id", id, "municipality", node,
                                            "closed_3y", closed));
    }
    store_release(st);
    return step == SQLITE_DONE ? 0 : -1;
}

void op_pool_report(struct request *rq, struct reply *rp)
{
    long year;
    if (arg_int(rq, rp, "year", 2000, 2999, &year) < 0)
        return;
    const char *only = arg_str(rq, rp, "municipality", ID_MAX - 1, false);
    if (rp->status != ST(OK))
        return;
    struct report r = {json_object(), blank_row("pool", "the whole pool"), json_object(),
                       json_array(), only};
    json_t *order = json_array();
    for (size_t i = 0; i < rq->n->roster.count; i++) {
        const struct roster_node *m = &rq->n->roster.nodes[i];
        if (!hours_ledger_line(rq->n, m->id))
            continue;
        if (only && strcmp(only, m->id) != 0)
            continue;
        json_object_set_new(r.rows, m->id, blank_row(m->id, m->name));
        json_array_append_new(order, json_string(m->id));
    }
    char y[8];
    snprintf(y, sizeof y, "%ld", year);
    if (only && json_array_size(order) == 0) {
        fail(rp, ST(NOT_FOUND), "no municipality %s in the pool", only);
    } else if (read_tallies(rq->n->db, y, &r) < 0 ||
               hours_of_year(rq->n->db, y, hours_row, &r) < 0 || read_pace(rq->n->db, &r) < 0) {
        fail(rp, ST(INTERNAL), "database error");
    } else {
        json_t *rows = json_array();
        size_t i;
        json_t *id;
        json_array_foreach(order, i, id)
        {
            json_t *row = json_object_get(r.rows, json_string_value(id));
            finish_row(row);
            json_array_append(rows, row);
        }
        finish_row(r.pool);
        rp->result = json_pack("{sisosOsOsOsO}", "year", (int)year, "municipality",
                               only ? json_string(only) : json_null(), "municipalities", rows,
                               "pool", r.pool, "excluded", r.excluded, "below_pace", r.below_pace);
        json_decref(rows);
    }
    json_decref(order);
    json_decref(r.rows);
    json_decref(r.pool);
    json_decref(r.excluded);
    json_decref(r.below_pace);
}
