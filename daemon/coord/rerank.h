/* rerank: fresh shortlists. When a mediator's load, availability or
 * profile changes, every case waiting for the parties' choice with that
 * mediator on its shortlist is ranked again, so that nobody full or away
 * stays proposed and the order stays true; the requester gets the new
 * list as a shortlisted event, and only when its order changed.
 *
 * While the coordinator applies a batch of member messages (one
 * transaction, coord/coord.c), the re-ranks wait for its end: one pass
 * before the commit ranks each waiting case once over the pool as the
 * whole batch left it, however many of its messages moved a mediator it
 * lists. A re-rank never takes a choice away: the parties may still
 * choose anyone they were shown (journey table, NAMES_SHOWN). */
#ifndef MPOOL_RERANK_H
#define MPOOL_RERANK_H

#include "node/node.h"

/* Inside the caller's transaction; except (a case id, or NULL) is left
 * alone, as the caller ranks it itself. Deferred to rerank_flush while a
 * batch is open. Returns 0 or -1. */
int rerank_listing(struct node *n, const char *mediator_id, const char *except);
/* A batch opens: re-ranks wait for rerank_flush. */
void rerank_defer(struct node *n);
/* Before the batch's commit: the one pass. Returns 0 or -1. */
int rerank_flush(struct node *n);
/* The batch was rolled back: nothing to re-rank. */
void rerank_forget(struct node *n);

#endif
