/* members: the coordinator's view of who is in the pool.
 *
 * A municipality dropped from roster.ini leaves the pool: its node's
 * messages are refused from then on (coord.c), and its mediators are
 * retired here, so that no shortlist, choice or override names them
 * again. */
#ifndef MPOOL_MEMBERS_H
#define MPOOL_MEMBERS_H

#include "node/node.h"

/* Retires, in a transaction of its own, every active mediator whose
 * municipality is not in the roster, and brings back those it retired
 * whose municipality is listed again. Returns how many it retired, or -1. */
int coord_retire_departed(struct node *n);

#endif
