/* retention: what a member node destroys when its periods run out.
 *
 * After a case ended (closed or withdrawn): its narrative after [retention]
 * narrative days, the party names and the notes people typed after labels
 * days, the whole case record after case days. A mediator's sealed copy
 * of a narrative goes when the case ends (apply.c). Each destruction goes
 * on the destruction list in the same transaction. */
#ifndef MPOOL_MEMBER_RETENTION_H
#define MPOOL_MEMBER_RETENTION_H

#include "node/node.h"

/* Destroys what is due at now in one transaction. Returns how many
 * records went, or -1. */
int member_sweep(struct node *n, int64_t now);

#endif
