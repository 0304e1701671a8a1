/* reply: signs and sends an unsequenced message (an Ack or a FetchReply)
 * to one member on the coordinator's ROUTER. */
#ifndef MPOOL_REPLY_H
#define MPOOL_REPLY_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Sends body to member dest, by routing id. A peer that is gone or whose
 * queue is full loses it: it asks again on its own timers. */
void coord_reply(struct node *n, zframe_t *rid, const char *dest, Mpool__V1__MsgType type,
                 const ProtobufCMessage *body);

#endif
