/* ops_mediator: a mediator's profile, availability and relationships. Relationships are hashed
 * here, on the mediator's own node. */
#include <string.h>

#include "api/clientapi.h"
#include "match/match.h"
#include "base/ids.h"
#include "base/log.h"
#include "member/outbox.h"
#include "member/profiles.h"
#include "member/words.h"
#include "wire/names.h"
#include "wire/pseudonym.h"
#include "store/store.h"
#include "base/text.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

/* The answer is made before the commit, which keeps it for a repeat. */
static int finish_profile_change(struct request *rq, struct reply *rp, json_t *result)
{
    if (mediator_profile_send(rq->n, rq->user) < 0) {
        json_decref(result);
        return fail_store(rq->n, rp);
    }
    rp->result = result;
    return commit_or_fail(rq->n, rp);
}

/* The NOT_FOUND answer for a person without a profile. */
static int no_profile(struct request *rq, struct reply *rp)
{
    return fail(rp, ST(NOT_FOUND), "%s has no mediator profile yet; run 'mpool mediator register'",
                rq->user->id);
}

static bool registered(struct node *n, const char *user)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT 1 FROM m_mediators WHERE user_id = ?1");
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    store_release(st);
    return found;
}

static json_t *mediator_id_json(struct request *rq)
{
    char id[2 * ID_MAX];
    snprintf(id, sizeof id, "%s:%s", rq->n->cfg.node_id, rq->user->id);
    return json_string(id);
}

/* Specialties are domains of the pool's vocabulary, languages its languages. */
static int profile_words_problem(struct request *rq, struct reply *rp, const json_t *specs,
                                 const json_t *langs)
{
    struct vocabulary words;
    char why[512];
    if (words_load(rq->n, &words) < 0)
        return fail_store(rq->n, rp);
    size_t i;
    const json_t *w;
    json_array_foreach(specs, i, w)
    {
        if (!vocabulary_check(&words, 'd', json_string_value(w), why, sizeof why))
            return fail(rp, ST(BAD_REQUEST), "specialty %s", why);
    }
    json_array_foreach(langs, i, w)
    {
        if (!vocabulary_check(&words, 'l', json_string_value(w), why, sizeof why))
            return fail(rp, ST(BAD_REQUEST), "%s", why);
    }
    return 0;
}

/* The mediator's public face as their node keeps it: display_name and
 * about ("" when not given). */
static void add_face(struct request *rq, json_t *result)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT display_name, about FROM m_mediators"
                                                " WHERE user_id = ?1");
    if (!st)
        return;
    sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_object_set_new(result, "display_name",
                            json_string((const char *)sqlite3_column_text(st, 0)));
        json_object_set_new(result, "about", json_string((const char *)sqlite3_column_text(st, 1)));
    }
    store_release(st);
}

/* The answer to a change of the profile or its public face: the
 * mediator's id and face as now kept, or the store's failure. */
static void answer_face_change(struct request *rq, struct reply *rp, int rc)
{
    if (rc < 0) {
        fail_store(rq->n, rp);
        return;
    }
    json_t *result = json_pack("{so}", "mediator_id", mediator_id_json(rq));
    add_face(rq, result);
    finish_profile_change(rq, rp, result);
}

void op_mediator_register(struct request *rq, struct reply *rp)
{
    const struct roster_node *self = node_self(rq->n);
    double lat = self->lat, lon = self->lon;
    long capacity;
    json_t *specs = arg_strings(rq, rp, "specialties", 16, SPECIALTY_MAX);
    json_t *langs = specs ? arg_strings(rq, rp, "languages", 8, LANGUAGE_MAX) : NULL;
    const char *mfn = langs ? arg_str(rq, rp, "mfn_number", MFN_NUMBER_MAX, true) : NULL;
    const char *expiry = mfn ? arg_str(rq, rp, "mfn_expiry", 10, true) : NULL;
    if (!expiry || arg_int(rq, rp, "capacity", 0, CAPACITY_MAX, &capacity) < 0 ||
        (json_object_get(rq->args, "lat") && arg_double(rq, rp, "lat", -90, 90, &lat) < 0) ||
        (json_object_get(rq->args, "lon") && arg_double(rq, rp, "lon", -180, 180, &lon) < 0))
        return;
    int64_t expiry_ms = date_parse_ms(expiry);
    if (expiry_ms < 0) {
        fail(rp, ST(BAD_REQUEST), "the MfN expiry date '%s' is not a date YYYY-MM-DD", expiry);
        return;
    }
    if (json_array_size(langs) == 0) {
        fail(rp, ST(BAD_REQUEST), "name at least one language");
        return;
    }
    if (profile_words_problem(rq, rp, specs, langs) < 0)
        return;
    /* The public face: what is not given stays as it was. */
    const char *name = json_string_value(json_object_get(rq->args, "display_name"));
    const char *about = json_string_value(json_object_get(rq->args, "about"));
    if (name && !text_chars_ok(name, DISPLAY_NAME_MAX, false)) {
        fail(rp, ST(BAD_REQUEST), "the display name is longer than %d characters; shorten it",
             DISPLAY_NAME_MAX);
        return;
    }
    char *specs_text = json_dumps(specs, JSON_COMPACT);
    char *langs_text = json_dumps(langs, JSON_COMPACT);
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "INSERT INTO m_mediators(user_id, specialties, languages, mfn_number,"
                   " mfn_expiry_ms, capacity, lat, lon, updated_ms, display_name, about)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, COALESCE(?10, ''),"
                   " COALESCE(?11, '')) ON CONFLICT(user_id) DO UPDATE"
                   " SET specialties = excluded.specialties, languages = excluded.languages,"
                   " mfn_number = excluded.mfn_number, mfn_expiry_ms = excluded.mfn_expiry_ms,"
                   " capacity = excluded.capacity, lat = excluded.lat, lon = excluded.lon,"
                   " updated_ms = excluded.updated_ms,"
                   " display_name = COALESCE(?10, display_name), about = COALESCE(?11, about)");
    int rc = st && specs_text && langs_text && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, specs_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, langs_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, mfn, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, expiry_ms);
        sqlite3_bind_int(st, 6, (int)capacity);
        sqlite3_bind_double(st, 7, lat);
        sqlite3_bind_double(st, 8, lon);
        sqlite3_bind_int64(st, 9, now_ms());
        if (name)
            sqlite3_bind_text(st, 10, name, -1, SQLITE_STATIC);
        if (about)
            sqlite3_bind_text(st, 11, about, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(specs_text);
    free(langs_text);
    answer_face_change(rq, rp, rc);
}

/* The public face alone: the rest of the profile stays as registered. */
void op_mediator_profile(struct request *rq, struct reply *rp)
{
    const char *name = json_string_value(json_object_get(rq->args, "display_name"));
    const char *about = json_string_value(json_object_get(rq->args, "about"));
    if (!name && !about) {
        fail(rp, ST(BAD_REQUEST), "give a display name, a text about you, or both");
        return;
    }
    if (name && !text_chars_ok(name, DISPLAY_NAME_MAX, false)) {
        fail(rp, ST(BAD_REQUEST), "the display name is longer than %d characters; shorten it",
             DISPLAY_NAME_MAX);
        return;
    }
    if (!registered(rq->n, rq->user->id)) {
        no_profile(rq, rp);
        return;
    }
    sqlite3_stmt *st = store_prepare(rq->n->db, "UPDATE m_mediators SET display_name ="
                                                " COALESCE(?2, display_name), about ="
                                                " COALESCE(?3, about), updated_ms = ?4"
                                                " WHERE user_id = ?1");
    int rc = st && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        if (name)
            sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
        if (about)
            sqlite3_bind_text(st, 3, about, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    answer_face_change(rq, rp, rc);
}

static json_t *read_windows(struct request *rq, struct reply *rp)
{
    json_t *in = json_object_get(rq->args, "windows");
    if (!json_is_array(in) || json_array_size(in) > 64) {
        fail(rp, ST(BAD_REQUEST), "argument 'windows' must be a list of at most 64 periods");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *w;
    json_array_foreach(in, i, w)
    {
        const char *from = json_string_value(json_object_get(w, "from"));
        const char *to = json_string_value(json_object_get(w, "to"));
        int64_t f = from ? date_parse_ms(from) : -1, t = to ? date_parse_ms(to) : -1;
        if (f < 0 || t < 0 || t < f) {
            json_decref(out);
            fail(rp, ST(BAD_REQUEST), "window %zu needs dates from <= to, as YYYY-MM-DD", i + 1);
            return NULL;
        }
        /* "to" is the last available day, so the window ends a day later. */
        json_array_append_new(out, json_pack("{sIsI}", "from_ms", (json_int_t)f, "to_ms",
                                             (json_int_t)(t + 86400000)));
    }
    return out;
}

void op_mediator_availability(struct request *rq, struct reply *rp)
{
    if (!registered(rq->n, rq->user->id)) {
        fail(rp, ST(NOT_FOUND), "%s has no mediator profile yet; run 'mpool mediator register'",
             rq->user->id);
        return;
    }
    json_t *windows = read_windows(rq, rp);
    if (!windows)
        return;
    char *text = json_dumps(windows, JSON_COMPACT);
    sqlite3_stmt *st = store_prepare(rq->n->db, "UPDATE m_mediators SET windows = ?2,"
                                                " updated_ms = ?3 WHERE user_id = ?1");
    int rc = st && text && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(text);
    if (rc < 0)
        fail_store(rq->n, rp);
    else
        finish_profile_change(rq, rp,
                              json_pack("{sosI}", "mediator_id", mediator_id_json(rq), "windows",
                                        (json_int_t)json_array_size(windows)));
    json_decref(windows);
}

/* Inside the change's transaction: the profile goes out, with the count of
 * relationships as the answer. */
static void relationship_count_answer(struct request *rq, struct reply *rp)
{
    int count = 0;
    sqlite3_stmt *c = store_prepare(rq->n->db, "SELECT COUNT(*) FROM m_relationships"
                                               " WHERE user_id = ?1");
    if (c) {
        sqlite3_bind_text(c, 1, rq->user->id, -1, SQLITE_STATIC);
        if (sqlite3_step(c) == SQLITE_ROW)
            count = sqlite3_column_int(c, 0);
        store_release(c);
    }
    finish_profile_change(rq, rp,
                          json_pack("{sosi}", "mediator_id", mediator_id_json(rq), "count", count));
}

/* One column of the person's profile set to a text, then the profile sent. */
static int set_profile_column(struct request *rq, struct reply *rp, const char *sql,
                              const char *text, long number)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, sql);
    int rc = st && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        if (text)
            sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(st, 2, number);
        sqlite3_bind_int64(st, 3, now_ms());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    return rc < 0 ? fail_store(rq->n, rp) : 0;
}

void op_mediator_capacity(struct request *rq, struct reply *rp)
{
    long capacity;
    if (arg_int(rq, rp, "capacity", 0, CAPACITY_MAX, &capacity) < 0)
        return;
    if (!registered(rq->n, rq->user->id)) {
        no_profile(rq, rp);
        return;
    }
    if (set_profile_column(rq, rp,
                           "UPDATE m_mediators SET capacity = ?2, updated_ms = ?3"
                           " WHERE user_id = ?1",
                           NULL, capacity) == 0)
        finish_profile_change(rq, rp,
                              json_pack("{sosI}", "mediator_id", mediator_id_json(rq), "capacity",
                                        (json_int_t)capacity));
}

static json_t *periods_for_people(const char *text, const char *to_key);

/* The person's away periods that have not ended, with one more when from
 * and until are given; none when clear is set. */
static json_t *away_periods(struct request *rq, struct reply *rp, bool clear)
{
    json_t *kept = json_array();
    int64_t now = now_ms();
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT away FROM m_mediators WHERE user_id = ?1");
    if (st) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        json_t *old = sqlite3_step(st) == SQLITE_ROW
                          ? json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL)
                          : NULL;
        size_t i;
        json_t *w;
        json_array_foreach(old, i, w)
        {
            if (!clear && json_integer_value(json_object_get(w, "to_ms")) > now)
                json_array_append(kept, w);
        }
        json_decref(old);
    }
    store_release(st);
    if (clear)
        return kept;
    const char *from = arg_str(rq, rp, "from", 10, true);
    const char *until = from ? arg_str(rq, rp, "until", 10, true) : NULL;
    int64_t f = from ? date_parse_ms(from) : -1, u = until ? date_parse_ms(until) : -1;
    if (rp->status != ST(OK)) {
    } else if (f < 0 || u < 0 || u < f) {
        fail(rp, ST(BAD_REQUEST), "away needs dates from <= until, as YYYY-MM-DD");
    } else if (u + 86400000 <= now) {
        fail(rp, ST(BAD_REQUEST), "the period up to %s is over already; give one that is not",
             until);
    } else if (json_array_size(kept) >= 64) {
        fail(rp, ST(BAD_REQUEST), "at most 64 away periods; clear some with --clear");
    } else {
        /* until is the last day away: the period ends a day later. */
        json_array_append_new(kept, json_pack("{sIsI}", "from_ms", (json_int_t)f, "to_ms",
                                              (json_int_t)(u + 86400000)));
        return kept;
    }
    json_decref(kept);
    return NULL;
}

void op_mediator_away(struct request *rq, struct reply *rp)
{
    if (!registered(rq->n, rq->user->id)) {
        no_profile(rq, rp);
        return;
    }
    json_t *away = away_periods(rq, rp, json_is_true(json_object_get(rq->args, "clear")));
    char *text = away ? json_dumps(away, JSON_COMPACT) : NULL;
    if (text && set_profile_column(rq, rp,
                                   "UPDATE m_mediators SET away = ?2, updated_ms = ?3"
                                   " WHERE user_id = ?1",
                                   text, 0) == 0)
        finish_profile_change(rq, rp,
                              json_pack("{soso}", "mediator_id", mediator_id_json(rq), "away",
                                        periods_for_people(text, "until")));
    free(text);
    json_decref(away);
}

/* A declared relationship withdrawn: the party's cases may reach the
 * mediator again. */
static void remove_relationship(struct request *rq, struct reply *rp, const char *ref,
                                const char *legacy)
{
    /* A row whose label could not be derived again keeps its legacy form. */
    sqlite3_stmt *st = store_prepare(rq->n->db, "DELETE FROM m_relationships WHERE user_id = ?1"
                                                " AND (ref IN (?2, ?3) OR legacy_ref = ?3)");
    int rc = st && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, legacy, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    if (rc < 0)
        fail_store(rq->n, rp);
    else if (sqlite3_changes(rq->n->db) == 0)
        fail(rp, ST(NOT_FOUND), "you have declared no relationship with that party");
}

/* The references the mediator's profile would carry: the pool takes at
 * most PROFILE_REFS_MAX, legacy forms included. */
static bool too_many_refs(struct request *rq)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT COUNT(*) FROM (SELECT ref FROM"
                                                " m_relationships WHERE user_id = ?1 UNION"
                                                " SELECT legacy_ref FROM m_relationships"
                                                " WHERE user_id = ?1 AND legacy_ref IS NOT NULL)");
    int count = 0;
    if (st) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            count = sqlite3_column_int(st, 0);
        store_release(st);
    }
    return count > PROFILE_REFS_MAX;
}

void op_mediator_relationship(struct request *rq, struct reply *rp)
{
    const char *kind = arg_str(rq, rp, "kind", 20, true);
    const char *value = kind ? arg_str(rq, rp, "value", 200, true) : NULL;
    if (!value)
        return;
    if (!registered(rq->n, rq->user->id)) {
        no_profile(rq, rp);
        return;
    }
    char ref[PSEUDONYM_LEN + ID_MAX], legacy[PSEUDONYM_LEN + ID_MAX];
    if (strcmp(kind, "municipality") == 0) {
        if (!roster_find(&rq->n->roster, value)) {
            fail(rp, ST(BAD_REQUEST), "no municipality '%s' in the pool roster", value);
            return;
        }
        snprintf(ref, sizeof ref, "m:%s", value);
        snprintf(legacy, sizeof legacy, "%s", ref);
    } else if (pseudonym_make(rq->n->pool_secret, kind, value, ref) < 0 ||
               pseudonym_make_legacy(rq->n->pool_secret, kind, value, legacy) < 0) {
        fail(rp, ST(BAD_REQUEST),
             "kind must be person, unit or municipality, with a name in UTF-8 text");
        return;
    }
    if (json_is_true(json_object_get(rq->args, "remove"))) {
        remove_relationship(rq, rp, ref, legacy);
        if (rp->status != ST(OK))
            return;
        relationship_count_answer(rq, rp);
        return;
    }
    sqlite3_stmt *st = store_prepare(rq->n->db, "INSERT OR REPLACE INTO m_relationships(user_id,"
                                                " kind, label, ref, legacy_ref)"
                                                " VALUES(?1, ?2, ?3, ?4, ?5)");
    int rc = st && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
        if (strncmp(legacy, "p:", 2) == 0)
            sqlite3_bind_text(st, 5, legacy, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    if (rc < 0) {
        fail_store(rq->n, rp);
        return;
    }
    if (too_many_refs(rq)) {
        store_rollback(rq->n->db);
        fail(rp, ST(REFUSED),
             "you have declared as many relationships as the pool takes; withdraw one that no "
             "longer holds (for instance mpool mediator relationship \"person:J. Jansen\" "
             "--remove), then declare this one");
        return;
    }
    relationship_count_answer(rq, rp);
}

static json_t *relationships_json(struct node *n, const char *user)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = store_prepare(n->db, "SELECT kind, label FROM m_relationships"
                                            " WHERE user_id = ?1 ORDER BY kind, label");
    if (!st)
        return arr;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{ssss}", "kind", sqlite3_column_text(st, 0), "label",
                                             sqlite3_column_text(st, 1)));
    store_release(st);
    return arr;
}

/* Stored periods [from_ms, to_ms) as the dates people give: from, and the
 * last day (to_key: "to" for windows, "until" for away periods). */
static json_t *periods_for_people(const char *text, const char *to_key)
{
    json_t *in = json_loads(text ? text : "[]", 0, NULL), *out = json_array();
    size_t i;
    json_t *w;
    json_array_foreach(in, i, w)
    {
        char from[24], to[24];
        time_format(json_integer_value(json_object_get(w, "from_ms")), from, sizeof from);
        time_format(json_integer_value(json_object_get(w, "to_ms")) - 86400000, to, sizeof to);
        from[10] = to[10] = '\0'; /* dates only */
        json_array_append_new(out, json_pack("{ssss}", "from", from, to_key, to));
    }
    json_decref(in);
    return out;
}

/* The cases the mediator has taken on, and those closed in three years:
 * from the offers their node keeps. */
static void add_workload(struct request *rq, json_t *result)
{
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "SELECT COALESCE(SUM(state IN ('awaiting_consent', 'accepted',"
                   " 'in_mediation')), 0), COALESCE(SUM(state = 'closed' AND updated_ms > ?2), 0)"
                   " FROM m_offers WHERE user_id = ?1");
    json_int_t open = 0, closed = 0;
    if (st) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, now_ms() - MFN_PACE_MS);
        if (sqlite3_step(st) == SQLITE_ROW) {
            open = sqlite3_column_int64(st, 0);
            closed = sqlite3_column_int64(st, 1);
        }
    }
    store_release(st);
    json_object_set_new(result, "open_cases", json_integer(open));
    json_object_set_new(result, "pace",
                        json_pack("{sIsisb}", "closed_3y", closed, "target", MFN_PACE_CASES,
                                  "on_pace", closed >= MFN_PACE_CASES));
}

void op_mediator_show(struct request *rq, struct reply *rp)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT specialties, languages, mfn_number,"
                                                " mfn_expiry_ms, capacity, lat, lon, windows,"
                                                " away FROM m_mediators WHERE user_id = ?1");
    if (!st) {
        fail(rp, ST(INTERNAL), "database error");
        return;
    }
    sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_release(st);
        fail(rp, ST(NOT_FOUND), "%s has no mediator profile yet; run 'mpool mediator register'",
             rq->user->id);
        return;
    }
    char expiry[24];
    int64_t expiry_ms = sqlite3_column_int64(st, 3);
    time_format(expiry_ms, expiry, sizeof expiry);
    expiry[10] = '\0';
    json_t *specs = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
    json_t *langs = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
    rp->result =
        json_pack("{sosososssssbsIsfsfsoso}", "mediator_id", mediator_id_json(rq), "specialties",
                  specs ? specs : json_array(), "languages", langs ? langs : json_array(),
                  "mfn_number", sqlite3_column_text(st, 2), "mfn_expiry", expiry, "certified",
                  expiry_ms > now_ms(), "capacity", (json_int_t)sqlite3_column_int(st, 4), "lat",
                  sqlite3_column_double(st, 5), "lon", sqlite3_column_double(st, 6), "windows",
                  periods_for_people((const char *)sqlite3_column_text(st, 7), "to"),
                  "relationships", relationships_json(rq->n, rq->user->id));
    json_object_set_new(rp->result, "away",
                        periods_for_people((const char *)sqlite3_column_text(st, 8), "until"));
    store_release(st);
    add_workload(rq, rp->result);
    add_face(rq, rp->result);
}
