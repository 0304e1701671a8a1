/* request: one client request and its reply, and the helpers every
 * operation uses to read arguments and to answer a failure. */
#ifndef MPOOL_REQUEST_H
#define MPOOL_REQUEST_H

#include <jansson.h>
#include <stdarg.h>

#include "journey/journey.h"
#include "node/node.h"

struct request {
    struct node *n;
    const struct user *user;
    json_t *args;
    const uint8_t *blob;
    size_t blob_len;
    uint64_t request_id; /* the client's; a repeat of a change is answered once (repeat.h) */
};

struct reply {
    int status; /* Mpool__V1__ReplyStatus */
    char error[512];
    json_t *result;
    uint8_t *blob; /* malloc'd */
    size_t blob_len;
};

void clientapi_handle(struct node *n);

/* For the op modules. All set status and error and return -1, so a handler
 * can write `if (!x) return;` after them. */
int fail(struct reply *rp, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A string argument of at most max bytes; NULL (and a reply) when absent
 * and required, or malformed. */
const char *arg_str(struct request *rq, struct reply *rp, const char *key, size_t max,
                    bool required);
/* An array of strings, each at most max bytes; NULL with a reply if bad. */
json_t *arg_strings(struct request *rq, struct reply *rp, const char *key, size_t max_items,
                    size_t max);
int arg_int(struct request *rq, struct reply *rp, const char *key, long min, long max, long *out);
int arg_double(struct request *rq, struct reply *rp, const char *key, double min, double max,
               double *out);
/* One page of a list: at most `limit` entries (default PAGE_DEFAULT, at
 * most PAGE_MAX, so an answer stays far below the message limit), after
 * the first `after`. */
#define PAGE_DEFAULT 200
#define PAGE_MAX     1000
struct page {
    long limit, after;
};
/* The arguments "limit" and "after" of a list op (their spec: PAGE_ARGS). */
void page_read(struct request *rq, struct page *pg);
/* Adds "total" and "next" (the `after` of the next page, or null). */
void page_finish(json_t *result, const struct page *pg, size_t shown, int64_t total);
/* Steps through every row of st (its statement's whole list, in order) and
 * appends row(st) to list for the rows of the page; then releases st and
 * sets "total" and "next" on result. The rows beyond the page are counted,
 * not built. Returns 0, or -1 when a step fails. */
int page_rows(sqlite3_stmt *st, const struct page *pg, json_t *result, json_t *list,
              json_t *(*row)(sqlite3_stmt *st));

/* Commits with the outbox message, or rolls back and fails the reply. */
int commit_or_fail(struct node *n, struct reply *rp);
/* A database step failed: rolls back and answers why (full disk, read-only
 * or locked database) in words the person can act on. Returns -1. */
int fail_store(struct node *n, struct reply *rp);

/* The journey table's verdict on a step the node is about to queue, with
 * the node's own view of the case: BAD_REQUEST when the action is
 * malformed, REFUSED "<subject>: <state in words>; <why>" when the table does not
 * allow it. Returns 0 when it does. */
int check_step(struct reply *rp, const Mpool__V1__CaseAction *a, const struct journey_view *v,
               const char *subject, const char *state);

#endif
