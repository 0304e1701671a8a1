/* coord: the coordinator's side of the pool link (ROUTER).
 *
 * Every message must come from a peer that ZAP let in as a roster node,
 * carry that node as sender, verify against that node's signing key, and
 * be of a type a member may send. Sequenced messages are applied once, in
 * order, in the same transaction as their dedup record, then acknowledged. */
#ifndef MPOOL_COORD_H
#define MPOOL_COORD_H

#include "mpool.pb-c.h"
#include "node/node.h"

void coord_handle(struct node *n);

#endif
