/* pending: the steps this node answered OK and queued, until the
 * coordinator's answer to each arrives.
 *
 * Every event says how far the coordinator had applied this node's own
 * messages when it wrote it (CaseEvent.answers_epoch, answers_seq). An
 * event written before a queued step was applied must not undo that step
 * in the node's copy: for a case with a step still pending, such an event
 * adds to the history and the shortlist, and leaves the state and seats
 * as the step left them. The step's row is written in the transaction
 * that queues its message, so a crash keeps both or neither. */
#ifndef MPOOL_PENDING_H
#define MPOOL_PENDING_H

#include <jansson.h>
#include <stdbool.h>

#include "mpool.pb-c.h"
#include "node/node.h"

/* Queues the action and keeps it pending, in the caller's transaction;
 * user is the person who took the step. */
int pending_enqueue(struct node *n, Mpool__V1__CaseAction *a, const char *user);

/* What an event means for the case's pending steps. */
struct pending_answer {
    bool stale;              /* a step of the case is still pending: keep the state */
    char refused_by[ID_MAX]; /* the step the event refuses was this person's; "" */
    char refused_step[24];   /* and this step */
};
/* Drops the steps the event answers (every one up to its position, of any
 * case), inside the caller's transaction. */
int pending_settle(struct node *n, const Mpool__V1__CaseEvent *ev, struct pending_answer *out);

/* [{"step","mediator_id","at_ms"}] of case_id, oldest first. */
json_t *pending_json(sqlite3 *db, const char *case_id);

#endif
