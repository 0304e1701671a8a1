/* rerank: fresh shortlists. When a mediator's load, availability or
 * profile changes, every case waiting for the parties' choice with that
 * mediator on its shortlist is ranked again, so that nobody full or away
 * stays proposed and the order stays true; the requester gets the new
 * list as a shortlisted event. */
#ifndef MPOOL_RERANK_H
#define MPOOL_RERANK_H

#include "node/node.h"

/* Inside the caller's transaction; except (a case id, or NULL) is left
 * alone, as the caller ranks it itself. Returns 0 or -1. */
int rerank_listing(struct node *n, const char *mediator_id, const char *except);

#endif
