/* reply: the coordinator's unsequenced messages to one member. */
#include "coord/reply.h"

#include "base/log.h"
#include "wire/envelope.h"

void coord_reply(struct node *n, zframe_t *rid, const char *dest, Mpool__V1__MsgType type,
                 const ProtobufCMessage *body)
{
    struct envelope_head h = {
        .sender = n->cfg.node_id, .recipient = dest, .epoch = n->coord_epoch, .type = type};
    size_t len = 0;
    uint8_t *frame = envelope_pack(&h, body, n->keys.sign_sk, &len);
    if (!frame)
        return;
    zmsg_t *m = zmsg_new();
    zmsg_append(m, &(zframe_t *){zframe_dup(rid)});
    zmsg_addmem(m, frame, len);
    free(frame);
    if (zmsg_send(&m, n->router) < 0) {
        log_debug("%s went away before its reply", dest);
        zmsg_destroy(&m);
    }
}
