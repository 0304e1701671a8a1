/* profiles: send, requeue and sync mediator profiles. */
#include "member/profiles.h"

#include <jansson.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"
#include "member/outbox.h"
#include "store/store.h"
#include "wire/pseudonym.h"

static char **strings_of(json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    char **v = calloc(*n ? *n : 1, sizeof *v);
    for (size_t i = 0; v && i < *n; i++)
        v[i] = (char *)json_string_value(json_array_get(arr, i));
    return v;
}

struct profile_parts {
    json_t *specialties, *languages, *windows, *away;
    char **refs;
    size_t nrefs;
};

static void parts_free(struct profile_parts *p)
{
    json_decref(p->specialties);
    json_decref(p->languages);
    json_decref(p->windows);
    json_decref(p->away);
    for (size_t i = 0; i < p->nrefs; i++)
        free(p->refs[i]);
    free(p->refs);
}

static int load_refs(struct node *n, const char *user, struct profile_parts *parts)
{
    /* With the legacy forms, while a pool upgrades: a case posted by a node
     * not yet upgraded still meets the relationship (docs/privacy.md). */
    sqlite3_stmt *st = store_prepare(n->db, "SELECT ref, 0 FROM m_relationships WHERE user_id = ?1"
                                            " UNION SELECT legacy_ref, 1 FROM m_relationships"
                                            " WHERE user_id = ?1 AND legacy_ref IS NOT NULL"
                                            " AND legacy_ref NOT IN (SELECT ref FROM"
                                            " m_relationships WHERE user_id = ?1)"
                                            " ORDER BY 2, 1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_STATIC);
    size_t cap = 0;
    /* The current forms first: past the pool's limit only legacy ones stay
     * behind (api/ops_mediator.c keeps a mediator within it). */
    while (parts->nrefs < PROFILE_REFS_MAX && sqlite3_step(st) == SQLITE_ROW) {
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

/* A JSON list of {from_ms, to_ms} as the message's Windows. */
struct windows_msg {
    Mpool__V1__Window *list;
    Mpool__V1__Window **ptrs; /* NULL when out of memory */
    size_t count;
};

static struct windows_msg windows_msg_of(const json_t *arr)
{
    struct windows_msg p = {NULL, NULL, json_array_size(arr)};
    p.list = calloc(p.count ? p.count : 1, sizeof *p.list);
    p.ptrs = calloc(p.count ? p.count : 1, sizeof *p.ptrs);
    if (!p.list || !p.ptrs) {
        free(p.list);
        free(p.ptrs);
        p.list = NULL;
        p.ptrs = NULL;
        return p;
    }
    for (size_t i = 0; i < p.count; i++) {
        mpool__v1__window__init(&p.list[i]);
        const json_t *o = json_array_get(arr, i);
        p.list[i].from_ms = json_integer_value(json_object_get(o, "from_ms"));
        p.list[i].to_ms = json_integer_value(json_object_get(o, "to_ms"));
        p.ptrs[i] = &p.list[i];
    }
    return p;
}

static void windows_msg_free(struct windows_msg *p)
{
    free(p->list);
    free(p->ptrs);
}

/* The whole profile goes to the coordinator each time: the last one wins,
 * so a lost or repeated message cannot leave a half-updated profile. */
int mediator_profile_send(struct node *n, const struct user *u)
{
    sqlite3_stmt *st = store_prepare(n->db, "SELECT specialties, languages, mfn_number,"
                                            " mfn_expiry_ms, capacity, lat, lon, windows, away,"
                                            " display_name, about"
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
    parts.away = json_loads((const char *)sqlite3_column_text(st, 8), 0, NULL);
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
    /* The mediator's public face: the MfN register's kind of data. */
    char *name = strdup((const char *)sqlite3_column_text(st, 9));
    char *about = strdup((const char *)sqlite3_column_text(st, 10));
    store_release(st);
    p.display_name = name ? name : "";
    p.about = about ? about : "";
    p.box_key.data = (uint8_t *)u->pk;
    p.box_key.len = KEY_LEN;
    p.active = 1;
    p.specialties = strings_of(parts.specialties, &p.n_specialties);
    p.languages = strings_of(parts.languages, &p.n_languages);
    struct windows_msg windows = windows_msg_of(parts.windows), away = windows_msg_of(parts.away);
    p.windows = windows.ptrs;
    p.n_windows = windows.count;
    p.away = away.ptrs;
    p.n_away = away.count;
    int rc = load_refs(n, u->id, &parts);
    p.relationships = parts.refs;
    p.n_relationships = parts.nrefs;
    if (rc == 0 && p.specialties && p.languages && windows.ptrs && away.ptrs && name && about)
        rc = member_enqueue(n, MPOOL__V1__MSG_TYPE__MSG_TYPE_MEDIATOR_PROFILE, &p.base);
    else
        rc = -1;
    if (rc == 0)
        rc = note_sent(n, u->id, u->pk);
    free(p.specialties);
    free(p.languages);
    free(name);
    free(about);
    windows_msg_free(&windows);
    windows_msg_free(&away);
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
            rc = mediator_profile_send(n, u);
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
    return retired || !same_key ? mediator_profile_send(n, u) : 0;
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
