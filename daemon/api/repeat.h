/* repeat: a changing request is applied once, however often it comes.
 *
 * mpool sends a request again, with the same request_id, when no answer
 * came (the node may have restarted between its commit and its reply). A
 * change writes its answer, keyed by person and request id, in its own
 * transaction; a repeat within a day or two gets that answer back and
 * changes nothing. Reads are not recorded: repeating them is harmless. */
#ifndef MPOOL_REPEAT_H
#define MPOOL_REPEAT_H

#include "api/request.h"

/* Before an operation runs: 1 when rq repeats a recorded change (rp holds
 * the first answer, or a refusal when the id came with another op), 0
 * when it is new. */
int repeat_answer(struct request *rq, struct reply *rp, const char *op);
/* Inside the change's transaction, from commit_or_fail: the answer in
 * rp->result, for the request being served (n->audit). */
int repeat_record(struct node *n, const struct reply *rp);
/* Forgets answers older than two days; its own transaction. */
void repeat_sweep(sqlite3 *db, int64_t now);

#endif
