/* request: reading a client's arguments and answering a failure. */
#include "api/request.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "journey/journey.h"
#include "member/outbox.h"
#include "api/repeat.h"
#include "node/audit.h"
#include "store/store.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x

int fail(struct reply *rp, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rp->error, sizeof rp->error, fmt, ap);
    va_end(ap);
    rp->status = status;
    return -1;
}

const char *arg_str(struct request *rq, struct reply *rp, const char *key, size_t max,
                    bool required)
{
    json_t *v = json_object_get(rq->args, key);
    if (!v) {
        if (required)
            fail(rp, ST(BAD_REQUEST), "missing argument '%s'", key);
        return NULL;
    }
    const char *s = json_string_value(v);
    if (!s || strlen(s) > max || (required && !*s)) {
        fail(rp, ST(BAD_REQUEST), "argument '%s' must be a text of 1 to %zu bytes", key, max);
        return NULL;
    }
    return s;
}

json_t *arg_strings(struct request *rq, struct reply *rp, const char *key, size_t max_items,
                    size_t max)
{
    json_t *v = json_object_get(rq->args, key);
    if (!json_is_array(v) || json_array_size(v) > max_items) {
        fail(rp, ST(BAD_REQUEST), "argument '%s' must be a list of at most %zu texts", key,
             max_items);
        return NULL;
    }
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
    {
        const char *s = json_string_value(item);
        if (!s || !*s || strlen(s) > max) {
            fail(rp, ST(BAD_REQUEST), "argument '%s' item %zu must be a text of 1 to %zu bytes",
                 key, i + 1, max);
            return NULL;
        }
    }
    return v;
}

int arg_int(struct request *rq, struct reply *rp, const char *key, long min, long max, long *out)
{
    json_t *v = json_object_get(rq->args, key);
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
        return fail(rp, ST(BAD_REQUEST), "argument '%s' must be a whole number from %ld to %ld",
                    key, min, max);
    *out = (long)json_integer_value(v);
    return 0;
}

int arg_double(struct request *rq, struct reply *rp, const char *key, double min, double max,
               double *out)
{
    json_t *v = json_object_get(rq->args, key);
    double d = json_number_value(v);
    if (!json_is_number(v) || !isfinite(d) || d < min || d > max)
        return fail(rp, ST(BAD_REQUEST), "argument '%s' must be a number from %g to %g", key, min,
                    max);
    *out = d;
    return 0;
}

int fail_store(struct node *n, struct reply *rp)
{
    /* The reason first: the rollback resets the error. */
    const char *why = store_failure(n->db);
    log_error("a request could not be stored: %s", sqlite3_errmsg(n->db));
    store_rollback(n->db);
    return fail(rp, ST(INTERNAL), "%s; nothing changed", why);
}

void page_read(struct request *rq, struct page *pg)
{
    /* The ranges are checked by the op's spec (PAGE_ARGS) before it runs. */
    json_t *limit = json_object_get(rq->args, "limit"), *after = json_object_get(rq->args, "after");
    pg->limit = limit ? (long)json_integer_value(limit) : PAGE_DEFAULT;
    pg->after = after ? (long)json_integer_value(after) : 0;
}

void page_finish(json_t *result, const struct page *pg, size_t shown, int64_t total)
{
    int64_t next = pg->after + (int64_t)shown;
    json_object_set_new(result, "total", json_integer(total));
    json_object_set_new(result, "next",
                        shown > 0 && next < total ? json_integer(next) : json_null());
}

int page_rows(sqlite3_stmt *st, const struct page *pg, json_t *result, json_t *list,
              json_t *(*row)(sqlite3_stmt *st))
{
    int64_t total = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (total >= pg->after && total < pg->after + pg->limit)
            json_array_append_new(list, row(st));
        total++;
    }
    store_release(st);
    page_finish(result, pg, json_array_size(list), total);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Fault injection for the reliability tests (docs/reliability.md): with
 * MPOOLD_TEST_EXIT_AFTER_COMMIT in its environment, the node ends as if
 * killed right after it committed a person's change, before it answers. */
static void exit_if_asked_after_commit(void)
{
    static int asked = -1;
    if (asked < 0)
        asked = getenv("MPOOLD_TEST_EXIT_AFTER_COMMIT") != NULL;
    if (asked) {
        log_warn("exiting between a commit and its answer, as MPOOLD_TEST_EXIT_AFTER_COMMIT asks");
        _exit(137);
    }
}

int commit_or_fail(struct node *n, struct reply *rp)
{
    /* The request's row in the audit trail, and its answer for a repeat,
     * go with its change. */
    if (repeat_record(n, rp) < 0 || audit_request_commit(n) < 0 || store_commit(n->db) < 0) {
        json_decref(rp->result);
        rp->result = NULL;
        return fail_store(n, rp);
    }
    exit_if_asked_after_commit();
    member_flush(n);
    return 0;
}

int check_step(struct reply *rp, const Mpool__V1__CaseAction *a, const struct journey_view *v,
               const char *subject, const char *state)
{
    char why[200];
    switch (journey_check_action(a, v, why, sizeof why)) {
    case JOURNEY_OK:
        return 0;
    case JOURNEY_MALFORMED:
        return fail(rp, ST(BAD_REQUEST), "%s", why);
    default:
        return fail(rp, ST(REFUSED), "%s: %s; %s", subject, state, why);
    }
}
