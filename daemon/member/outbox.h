/* outbox: a municipality node's messages to the coordinator (DEALER).
 *
 * Every message goes into the durable outbox (m_outbox) in the same
 * transaction as the change that caused it, gets the next sequence number
 * of this node's epoch, and is resent until the coordinator acknowledges
 * it. */
#ifndef MPOOL_OUTBOX_H
#define MPOOL_OUTBOX_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Queues body for the coordinator inside the caller's transaction. */
int member_enqueue(struct node *n, Mpool__V1__MsgType type, const ProtobufCMessage *body);
/* Sends what the outbox holds that was not sent yet (after a commit and
 * an Ack). Does nothing on a node that does not serve (no link). */
void member_flush(struct node *n);
/* The retry timer: when no Ack came for a retry period, sends the whole
 * outbox again from its oldest message. */
void member_resend(struct node *n);
/* Before stopping: forgets what the coordinator has acknowledged. */
void member_shutdown(struct node *n);
/* An Ack from the coordinator: forget what it has stored, send more. */
void member_ack(struct node *n, const Mpool__V1__Envelope *env);
/* The oldest message the outbox holds without an Ack, or the seq the next
 * one will get: where a coordinator that lost its record must start. */
uint64_t member_outbox_oldest(struct node *n);

#endif
