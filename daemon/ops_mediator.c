/* ops_mediator: a mediator's profile, availability, relationships and
 * offers. Relationships are hashed here, on the mediator's own node. */
#include <string.h>

#include "clientapi.h"
#include "ids.h"
#include "log.h"
#include "member.h"
#include "names.h"
#include "pseudonym.h"
#include "store.h"
#include "text.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

static char **strings_of(json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    char **v = calloc(*n ? *n : 1, sizeof *v);
    for (size_t i = 0; v && i < *n; i++)
        v[i] = (char *)json_string_value(json_array_get(arr, i));
    return v;
}

struct profile_parts {
    json_t *specialties, *languages, *windows;
    char **refs;
    size_t nrefs;
};

static void parts_free(struct profile_parts *p)
{
    json_decref(p->specialties);
    json_decref(p->languages);
    json_decref(p->windows);
    for (size_t i = 0; i < p->nrefs; i++)
        free(p->refs[i]);
    free(p->refs);
}

static int load_refs(struct node *n, const char *user, struct profile_parts *parts)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT ref FROM m_relationships WHERE user_id = ?1"
                                            " ORDER BY ref");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (parts->nrefs == cap) {
            cap = cap ? cap * 2 : 8;
            char **grown = realloc(parts->refs, cap * sizeof *grown);
            if (!grown)
                break;
            parts->refs = grown;
        }
        parts->refs[parts->nrefs++] = strdup((const char *)sqlite3_column_text(st, 0));
    }
    store_release(st);
    return 0;
}

/* What went out last: the key, and that the mediator is active. */
static int note_sent(struct node *n, const char *user, const uint8_t *box_key)
{
    sqlite3_stmt *st = store_prepare(n->db, "UPDATE m_mediators SET box_key = ?2, retired = ?3"
                                            " WHERE user_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    if (box_key)
        sqlite3_bind_blob(st, 2, box_key, KEY_LEN, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, box_key ? 0 : 1);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

/* A mediator who left the node's list takes no more offers: an inactive
 * profile says so, and only its id counts. */
static int send_retirement(struct node *n, const char *user)
{
    char mediator_id[2 * ID_MAX];
    snprintf(mediator_id, sizeof mediator_id, "%s:%s", n->cfg.node_id, user);
    Mpool__V1__MediatorProfile p = MPOOL__V1__MEDIATOR_PROFILE__INIT;
    p.mediator_id = mediator_id;
    p.active = 0;
    if (member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE, &p.base) < 0 ||
        note_sent(n, user, NULL) < 0)
        return -1;
    log_info("mediator %s is no longer on this node's list: the pool stops offering to them",
             mediator_id);
    return 0;
}

/* The whole profile goes to the coordinator each time: the last one wins,
 * so a lost or repeated message cannot leave a half-updated profile. */
static int send_profile(struct node *n, const struct user *u)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT specialties, languages, mfn_number,"
                                            " mfn_expiry_ms, capacity, lat, lon, windows"
                                            " FROM m_mediators WHERE user_id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, u->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        store_release(st);
        return -1;
    }
    struct profile_parts parts = {0};
    parts.specialties = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
    parts.languages = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
    parts.windows = json_loads((const char *)sqlite3_column_text(st, 7), 0, NULL);
    char mediator_id[2 * ID_MAX], mfn[64];
    snprintf(mediator_id, sizeof mediator_id, "%s:%s", n->cfg.node_id, u->id);
    snprintf(mfn, sizeof mfn, "%s", sqlite3_column_text(st, 2));

    Mpool__V1__MediatorProfile p = MPOOL__V1__MEDIATOR_PROFILE__INIT;
    p.mediator_id = mediator_id;
    p.mfn_number = mfn;
    p.mfn_expiry_ms = sqlite3_column_int64(st, 3);
    p.capacity = (uint32_t)sqlite3_column_int(st, 4);
    p.lat = sqlite3_column_double(st, 5);
    p.lon = sqlite3_column_double(st, 6);
    store_release(st);
    p.box_key.data = (uint8_t *)u->pk;
    p.box_key.len = KEY_LEN;
    p.active = 1;
    p.specialties = strings_of(parts.specialties, &p.n_specialties);
    p.languages = strings_of(parts.languages, &p.n_languages);
    size_t nw = json_array_size(parts.windows);
    Mpool__V1__Window *w = calloc(nw ? nw : 1, sizeof *w);
    Mpool__V1__Window **wp = calloc(nw ? nw : 1, sizeof *wp);
    for (size_t i = 0; w && wp && i < nw; i++) {
        mpool__v1__window__init(&w[i]);
        json_t *o = json_array_get(parts.windows, i);
        w[i].from_ms = json_integer_value(json_object_get(o, "from_ms"));
        w[i].to_ms = json_integer_value(json_object_get(o, "to_ms"));
        wp[i] = &w[i];
    }
    p.windows = wp;
    p.n_windows = nw;
    int rc = load_refs(n, u->id, &parts);
    p.relationships = parts.refs;
    p.n_relationships = parts.nrefs;
    if (rc == 0 && p.specialties && p.languages && w && wp)
        rc = member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE, &p.base);
    else
        rc = -1;
    if (rc == 0)
        rc = note_sent(n, u->id, u->pk);
    free(p.specialties);
    free(p.languages);
    free(w);
    free(wp);
    parts_free(&parts);
    return rc;
}

int mediator_profiles_requeue(struct node *n)
{
    sqlite3_stmt *st =
        store_prepare(n->db, "SELECT user_id FROM m_mediators WHERE retired = 0 ORDER BY user_id");
    if (!st)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const struct user *u = users_find(&n->users, (const char *)sqlite3_column_text(st, 0));
        if (u && (u->roles & ROLE_MEDIATOR))
            rc = send_profile(n, u);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    store_release(st);
    return rc;
}

/* After users.ini changed: retire the mediators who left it or lost the
 * role, and send again the profile of those who came back or got a new
 * key (a narrative must be sealed to the key they hold now). */
static int sync_one(struct node *n, const char *user, bool retired, const void *sent_key,
                    int sent_len)
{
    const struct user *u = users_find(&n->users, user);
    bool listed = u && (u->roles & ROLE_MEDIATOR);
    if (!listed)
        return retired ? 0 : send_retirement(n, user);
    bool same_key = sent_key && sent_len == KEY_LEN && memcmp(sent_key, u->pk, KEY_LEN) == 0;
    return retired || !same_key ? send_profile(n, u) : 0;
}

int mediator_profiles_sync(struct node *n)
{
    if (store_begin(n->db) < 0)
        return -1;
    sqlite3_stmt *st = store_prepare(n->db, "SELECT user_id, retired, box_key FROM m_mediators"
                                            " ORDER BY user_id");
    if (!st) {
        store_rollback(n->db);
        return -1;
    }
    /* The rows are read first: sync_one writes to the same table. */
    size_t count = 0, cap = 0;
    struct row {
        char user[ID_MAX];
        bool retired;
        uint8_t key[KEY_LEN];
        int key_len;
    } *rows = NULL;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            struct row *grown = realloc(rows, cap * sizeof *grown);
            if (!grown) {
                rc = -1;
                break;
            }
            rows = grown;
        }
        struct row *r = &rows[count++];
        snprintf(r->user, sizeof r->user, "%s", sqlite3_column_text(st, 0));
        r->retired = sqlite3_column_int(st, 1) != 0;
        r->key_len = sqlite3_column_bytes(st, 2);
        if (r->key_len == KEY_LEN)
            memcpy(r->key, sqlite3_column_blob(st, 2), KEY_LEN);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = -1;
    store_release(st);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = sync_one(n, rows[i].user, rows[i].retired, rows[i].key, rows[i].key_len);
    free(rows);
    if (rc < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("could not tell the coordinator about changed mediators; reload again");
        return -1;
    }
    member_flush(n);
    return 0;
}

static int finish_profile_change(struct request *rq, struct reply *rp)
{
    if (send_profile(rq->n, rq->user) < 0)
        return fail_store(rq->n, rp);
    return commit_or_fail(rq->n, rp);
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
        fail(rp, ST(BAD_REQUEST), "mfn_expiry '%s' is not a date YYYY-MM-DD", expiry);
        return;
    }
    if (json_array_size(langs) == 0) {
        fail(rp, ST(BAD_REQUEST), "name at least one language");
        return;
    }
    char *specs_text = json_dumps(specs, JSON_COMPACT);
    char *langs_text = json_dumps(langs, JSON_COMPACT);
    sqlite3_stmt *st = store_prepare(
        rq->n->db, "INSERT INTO m_mediators(user_id, specialties, languages, mfn_number,"
                   " mfn_expiry_ms, capacity, lat, lon, updated_ms)"
                   " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(user_id) DO UPDATE"
                   " SET specialties = excluded.specialties, languages = excluded.languages,"
                   " mfn_number = excluded.mfn_number, mfn_expiry_ms = excluded.mfn_expiry_ms,"
                   " capacity = excluded.capacity, lat = excluded.lat, lon = excluded.lon,"
                   " updated_ms = excluded.updated_ms");
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
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    free(specs_text);
    free(langs_text);
    if (rc < 0) {
        fail_store(rq->n, rp);
        return;
    }
    if (finish_profile_change(rq, rp) == 0)
        rp->result = json_pack("{so}", "mediator_id", mediator_id_json(rq));
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
    else if (finish_profile_change(rq, rp) == 0)
        rp->result = json_pack("{sosI}", "mediator_id", mediator_id_json(rq), "windows",
                               (json_int_t)json_array_size(windows));
    json_decref(windows);
}

void op_mediator_relationship(struct request *rq, struct reply *rp)
{
    const char *kind = arg_str(rq, rp, "kind", 20, true);
    const char *value = kind ? arg_str(rq, rp, "value", 200, true) : NULL;
    if (!value)
        return;
    if (!registered(rq->n, rq->user->id)) {
        fail(rp, ST(NOT_FOUND), "%s has no mediator profile yet; run 'mpool mediator register'",
             rq->user->id);
        return;
    }
    char ref[PSEUDONYM_LEN + ID_MAX];
    if (strcmp(kind, "municipality") == 0) {
        if (!roster_find(&rq->n->roster, value)) {
            fail(rp, ST(BAD_REQUEST), "no municipality '%s' in the pool roster", value);
            return;
        }
        snprintf(ref, sizeof ref, "m:%s", value);
    } else if (pseudonym_make(rq->n->pool_secret, kind, value, ref) < 0) {
        fail(rp, ST(BAD_REQUEST), "kind must be person, unit or municipality, with a name");
        return;
    }
    sqlite3_stmt *st = store_prepare(rq->n->db, "INSERT OR REPLACE INTO m_relationships(user_id,"
                                                " kind, label, ref) VALUES(?1, ?2, ?3, ?4)");
    int rc = st && store_begin(rq->n->db) == 0 ? 0 : -1;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, rq->user->id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, value, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    if (rc < 0) {
        fail_store(rq->n, rp);
        return;
    }
    int count = 0;
    sqlite3_stmt *c = store_prepare(rq->n->db, "SELECT COUNT(*) FROM m_relationships"
                                               " WHERE user_id = ?1");
    if (c) {
        sqlite3_bind_text(c, 1, rq->user->id, -1, SQLITE_STATIC);
        if (sqlite3_step(c) == SQLITE_ROW)
            count = sqlite3_column_int(c, 0);
        store_release(c);
    }
    if (finish_profile_change(rq, rp) == 0)
        rp->result = json_pack("{sosi}", "mediator_id", mediator_id_json(rq), "count", count);
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

static json_t *windows_for_people(const char *text)
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
        json_array_append_new(out, json_pack("{ssss}", "from", from, "to", to));
    }
    json_decref(in);
    return out;
}

void op_mediator_show(struct request *rq, struct reply *rp)
{
    sqlite3_stmt *st = store_prepare(rq->n->db, "SELECT specialties, languages, mfn_number,"
                                                " mfn_expiry_ms, capacity, lat, lon, windows"
                                                " FROM m_mediators WHERE user_id = ?1");
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
                  windows_for_people((const char *)sqlite3_column_text(st, 7)), "relationships",
                  relationships_json(rq->n, rq->user->id));
    store_release(st);
}
