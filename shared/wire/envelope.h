/* envelope: signed application messages between nodes and the coordinator.
 *
 * The sender serialises an Envelope, signs those exact bytes with its
 * Ed25519 key, and sends Signed{envelope, signature} in one frame. The
 * receiver verifies against the key it already trusts for that sender
 * (roster or pinned coordinator key) before it decodes anything else. */
#ifndef MPOOL_ENVELOPE_H
#define MPOOL_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#include "mpool.pb-c.h"

#define SCHEMA_VERSION 1

struct envelope_head {
    const char *sender;
    const char *recipient;
    uint64_t epoch;
    uint64_t seq;
    Mpool__V1__MsgType type;
};

/* A protobuf message serialised into a malloc'd buffer of *len bytes, or
 * NULL when out of memory. */
uint8_t *message_pack(const ProtobufCMessage *msg, size_t *len);

/* Signs serialised Envelope bytes exactly as given and wraps them in a
 * Signed frame: a malloc'd buffer of *outlen bytes, or NULL. */
uint8_t *envelope_sign(const uint8_t *envelope, size_t len, const uint8_t sign_sk[64],
                       size_t *outlen);

/* Packs body (a protobuf message) into a signed frame. Returns a malloc'd
 * buffer of *outlen bytes, or NULL when out of memory. */
uint8_t *envelope_pack(const struct envelope_head *head, const ProtobufCMessage *body,
                       const uint8_t sign_sk[64], size_t *outlen);

/* Checks the signature with sign_pk, then decodes the envelope and checks
 * its schema version, sender and type. Returns NULL with a one-line reason
 * in err. Free with mpool__v1__envelope__free_unpacked(env, NULL). */
Mpool__V1__Envelope *envelope_unpack(const uint8_t *frame, size_t len, const uint8_t sign_pk[32],
                                     const char *expected_sender, char *err, size_t errlen);

/* What both ends check once an envelope is verified: that it is addressed
 * to this node (recipient = self), that a control message (Ack, Fetch,
 * FetchReply) has seq 0 and every other type a seq. NULL when it fits. */
const char *envelope_route_problem(const Mpool__V1__Envelope *env, const char *self);

/* The same checks for a frame carried inside the body of an envelope that
 * envelope_unpack has already verified with the same sender's key (a
 * journal entry inside a FetchReply): that signature covers these bytes,
 * so this one is not checked again. Never use it on a frame on its own. */
Mpool__V1__Envelope *envelope_unpack_enclosed(const uint8_t *frame, size_t len,
                                              const char *expected_sender, char *err,
                                              size_t errlen);

#endif
