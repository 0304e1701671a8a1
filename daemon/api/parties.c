/* parties: reading, referencing and keeping a case's parties. */
#include "api/parties.h"

#include <string.h>

#include "store/store.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

/* A party as typed by a person, turned into the reference the pool sees. */
static int party_ref(struct node *n, const char *kind, const char *value, struct party *p,
                     struct reply *rp)
{
    char *ref = p->ref;
    size_t len = sizeof p->ref;
    p->legacy[0] = '\0';
    if (strcmp(kind, "municipality") == 0) {
        if (!roster_find(&n->roster, value))
            return fail(rp, ST(BAD_REQUEST),
                        "no municipality '%s' in the pool roster; use its roster id", value);
        snprintf(ref, len, "m:%s", value);
        return 0;
    }
    if (strcmp(kind, "person") != 0 && strcmp(kind, "unit") != 0)
        return fail(rp, ST(BAD_REQUEST), "party kind '%s' is not municipality, person or unit",
                    kind);
    if (pseudonym_make(n->pool_secret, kind, value, ref) < 0)
        return fail(rp, ST(BAD_REQUEST),
                    "the %s party's name is empty or not UTF-8 text; type the name", kind);
    /* For the nodes not yet upgraded: no name they matched stops matching. */
    if (pseudonym_make_legacy(n->pool_secret, kind, value, p->legacy) < 0)
        p->legacy[0] = '\0';
    return 0;
}

int parties_read(struct request *rq, struct reply *rp, struct party *out, size_t *count)
{
    json_t *arr = json_object_get(rq->args, "parties");
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > MAX_PARTIES)
        return fail(rp, ST(BAD_REQUEST), "a case needs 1 to %d parties", MAX_PARTIES);
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p)
    {
        const char *kind = json_string_value(json_object_get(p, "kind"));
        const char *value = json_string_value(json_object_get(p, "value"));
        if (!kind || !value || strlen(value) > 200)
            return fail(rp, ST(BAD_REQUEST),
                        "party %zu needs a kind and a value of at most 200 "
                        "bytes",
                        i + 1);
        out[i].kind = kind;
        out[i].label = value;
        if (party_ref(rq->n, kind, value, &out[i], rp) < 0)
            return -1;
    }
    *count = json_array_size(arr);
    return 0;
}

size_t parties_legacy(struct party *p, size_t count, char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        if (p[i].legacy[0] && strcmp(p[i].legacy, p[i].ref) != 0)
            out[n++] = p[i].legacy;
    return n;
}

int parties_store(sqlite3 *db, const char *case_id, const struct party *p, size_t count)
{
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO m_case_parties(case_id, kind, label, ref,"
                                         " legacy_ref) VALUES(?1, ?2, ?3, ?4, NULLIF(?5, ''))");
    int rc = st ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, p[i].kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, p[i].label, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, p[i].ref, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, p[i].legacy, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    return rc;
}
