/* audit: the node's trail of who read or changed what (BIO 12.4).
 *
 * One row per client request that touches the node's data: time, person,
 * operation, case and result. Rows are only ever appended (triggers refuse
 * an UPDATE or DELETE) and chained: each holds a BLAKE2b hash over the
 * previous row's hash and its own content, and the meta table keeps the
 * id of the last row, so `mpoold audit-verify` finds a row that was
 * edited, removed or added out of turn. */
#ifndef MPOOL_AUDIT_H
#define MPOOL_AUDIT_H

#include <stdint.h>

#include "node/node.h"

/* Appends one row inside the caller's transaction. */
int audit_append(sqlite3 *db, int64_t at_ms, const char *user, const char *op, const char *case_id,
                 const char *result);

/* The request being served: remembered until audit_request_done. */
void audit_request_start(struct node *n, const char *user, const char *op, const char *case_id);
/* Inside the transaction of the request's change, just before it commits:
 * the row goes with the change, or neither does. */
int audit_request_commit(struct node *n);
/* Before a read's answer is built: its row, result "read", in a
 * transaction of its own. -1 when it cannot be committed (the write lock
 * is held past the busy wait): then the read must not be answered. A
 * read that fails afterwards adds a row with its result. */
int audit_request_read(struct node *n);
/* A read that found nothing, and whose person asked about themselves only
 * (a watch polling for their notices), leaves no row. */
void audit_request_skip(struct node *n);
/* After the answer: the row of a request that changed nothing (a read, a
 * refusal), in a transaction of its own. result is the reply's status. */
void audit_request_done(struct node *n, int status);

/* Retention ([retention] audit): in one transaction, removes every row
 * written before now minus the period, except the newest, beneath a new
 * anchor, and puts that on the destruction list. Returns the number of
 * rows removed, or -1. */
int64_t audit_sweep(sqlite3 *db, int64_t now, int64_t period_ms);

/* Walks the whole chain, from the last anchor when rows were removed. Returns 0 when intact, with
 * the number of rows in *rows; -1 with the first bad row's id in *bad and the reason in why. */
int audit_verify(sqlite3 *db, int64_t *rows, int64_t *bad, char *why, size_t len);

#endif
