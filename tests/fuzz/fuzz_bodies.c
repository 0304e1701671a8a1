/* fuzz_bodies: the protobuf-c decoder of every message of mpool.proto.
 *
 * The first byte picks the message, the rest is its serialised form. What
 * decodes is packed again, as a reply or a resend would be, and must fill
 * exactly the size protobuf-c announced.
 *
 * Decoding the packed bytes again is not checked: protobuf-c 1.4.1 keeps
 * an unknown field numbered 0 when its tag is written in more bytes than
 * needed, at any depth, then packs bytes it refuses to decode. The daemon
 * never re-packs what it received, so that is left to protobuf-c. */
#include <stdlib.h>

#include "mpool.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ProtobufCMessageDescriptor *const messages[] = {
    &mpool__v1__case_post__descriptor,
    &mpool__v1__case_action__descriptor,
    &mpool__v1__mediator_profile__descriptor,
    &mpool__v1__ack__descriptor,
    &mpool__v1__fetch__descriptor,
    &mpool__v1__fetch_reply__descriptor,
    &mpool__v1__case_event__descriptor,
    &mpool__v1__client_request__descriptor,
    &mpool__v1__client_reply__descriptor,
    &mpool__v1__envelope__descriptor,
    &mpool__v1__signed__descriptor,
};

static uint8_t *pack(const ProtobufCMessage *msg, size_t *len)
{
    *len = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(*len ? *len : 1);
    if (buf && protobuf_c_message_pack(msg, buf) != *len)
        abort();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const ProtobufCMessageDescriptor *desc =
        messages[data[0] % (sizeof messages / sizeof *messages)];
    ProtobufCMessage *msg = protobuf_c_message_unpack(desc, NULL, size - 1, data + 1);
    if (!msg)
        return 0;
    if (!protobuf_c_message_check(msg))
        abort();
    size_t len;
    free(pack(msg, &len));
    protobuf_c_message_free_unpacked(msg, NULL);
    return 0;
}
