/* member: a municipality node's link to the coordinator (DEALER + SUB).
 *
 * Outgoing: every message goes into the durable outbox (m_outbox) in the
 * same transaction as the change that caused it, gets the next sequence
 * number of this node's epoch, and is resent until the coordinator
 * acknowledges it. Incoming: the node pulls its journal with Fetch and
 * applies each entry once, in order, storing the position with it. */
#ifndef MPOOL_MEMBER_H
#define MPOOL_MEMBER_H

#include "mpool.pb-c.h"
#include "node.h"

/* Queues body for the coordinator inside the caller's transaction. */
int member_enqueue(struct node *n, Mpool__V1__MsgType type, const ProtobufCMessage *body);
/* Sends what the outbox holds that was not sent yet (after a commit and
 * an Ack). */
void member_flush(struct node *n);
/* The retry timer: when no Ack came for a retry period, sends the whole
 * outbox again from its oldest message. */
void member_resend(struct node *n);
/* Before stopping: forgets what the coordinator has acknowledged. */
void member_shutdown(struct node *n);
/* Asks the coordinator for journal entries after the last one applied. */
void member_fetch(struct node *n);
/* A frame on the DEALER: an Ack or a FetchReply. */
void member_handle(struct node *n);
/* A new link to the coordinator (a handshake on the DEALER): resend from
 * the oldest unacknowledged message and fetch. */
void member_link_up(struct node *n);
/* A doorbell on the SUB: fetch now. */
void member_doorbell(struct node *n);

/* Moves this node's offer of case_id to user from state `from` to `to`,
 * or every offer in `from` when case_id is NULL, inside the caller's
 * transaction (member_apply.c). An offer in another state stays. */
int member_offer_move(struct node *n, const char *case_id, const char *user, const char *from,
                      const char *to);

/* Applies one journal entry inside the caller's transaction (member_apply.c). */
int member_apply(struct node *n, const Mpool__V1__Envelope *env);

#endif
