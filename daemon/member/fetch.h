/* fetch: a municipality node's reading of its journal (DEALER + SUB).
 *
 * The node pulls its journal at the coordinator with Fetch and applies
 * each entry once, in order, storing the position with it. */
#ifndef MPOOL_FETCH_H
#define MPOOL_FETCH_H

#include "node/node.h"

/* Asks the coordinator for journal entries after the last one applied. */
void member_fetch(struct node *n);
/* A frame on the DEALER: an Ack or a FetchReply. */
void member_handle(struct node *n);
/* A new link to the coordinator (a handshake on the DEALER): resend from
 * the oldest unacknowledged message and fetch. */
void member_link_up(struct node *n);
/* A doorbell on the SUB: fetch now. */
void member_doorbell(struct node *n);

#endif
