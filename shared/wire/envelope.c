/* envelope: sign what is sent, verify before anything is believed. */
#include "wire/envelope.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"

uint8_t *message_pack(const ProtobufCMessage *msg, size_t *len)
{
    *len = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf = malloc(*len ? *len : 1);
    if (buf)
        protobuf_c_message_pack(msg, buf);
    return buf;
}

uint8_t *envelope_pack(const struct envelope_head *head, const ProtobufCMessage *body,
                       const uint8_t sign_sk[64], size_t *outlen)
{
    uint8_t msg_id[16];
    randombytes_buf(msg_id, sizeof msg_id);

    Mpool__V1__Envelope env = MPOOL__V1__ENVELOPE__INIT;
    env.schema_version = SCHEMA_VERSION;
    env.sender = (char *)head->sender;
    env.recipient = (char *)(head->recipient ? head->recipient : "");
    env.epoch = head->epoch;
    env.seq = head->seq;
    env.created_ms = now_ms();
    env.msg_id.data = msg_id;
    env.msg_id.len = sizeof msg_id;
    env.type = head->type;
    size_t body_len = 0;
    uint8_t *body_buf = message_pack(body, &body_len);
    if (!body_buf)
        return NULL;
    env.body.data = body_buf;
    env.body.len = body_len;

    size_t env_len = 0;
    uint8_t *env_buf = message_pack(&env.base, &env_len);
    free(body_buf);
    if (!env_buf)
        return NULL;
    uint8_t *out = envelope_sign(env_buf, env_len, sign_sk, outlen);
    free(env_buf);
    return out;
}

uint8_t *envelope_sign(const uint8_t *envelope, size_t len, const uint8_t sign_sk[64],
                       size_t *outlen)
{
    uint8_t sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, envelope, len, sign_sk);
    Mpool__V1__Signed signed_msg = MPOOL__V1__SIGNED__INIT;
    signed_msg.envelope.data = (uint8_t *)envelope;
    signed_msg.envelope.len = len;
    signed_msg.signature.data = sig;
    signed_msg.signature.len = sizeof sig;
    return message_pack(&signed_msg.base, outlen);
}

static int type_known(Mpool__V1__MsgType type)
{
    return type > MPOOL__V1__MSG_TYPE__MSG_TYPE_UNSPECIFIED &&
           type <= MPOOL__V1__MSG_TYPE__MSG_TYPE_CASE_PARTIES;
}

/* Decodes the envelope in the signed bytes and checks what every receiver
 * checks, once the signature is settled. */
static Mpool__V1__Envelope *decode_checked(const ProtobufCBinaryData *bytes,
                                           const char *expected_sender, char *err, size_t errlen)
{
    Mpool__V1__Envelope *env = mpool__v1__envelope__unpack(NULL, bytes->len, bytes->data);
    if (!env) {
        snprintf(err, errlen, "signed bytes are not an envelope");
        return NULL;
    }
    if (env->schema_version != SCHEMA_VERSION) {
        snprintf(err, errlen, "unknown schema version %u", env->schema_version);
    } else if (strcmp(env->sender, expected_sender) != 0) {
        snprintf(err, errlen, "sender '%.64s' is not the authenticated peer '%s'", env->sender,
                 expected_sender);
    } else if (!type_known(env->type)) {
        snprintf(err, errlen, "unknown message type %d", (int)env->type);
    } else {
        return env;
    }
    mpool__v1__envelope__free_unpacked(env, NULL);
    return NULL;
}

static Mpool__V1__Envelope *unpack(const uint8_t *frame, size_t len, const uint8_t *sign_pk,
                                   const char *expected_sender, char *err, size_t errlen)
{
    Mpool__V1__Signed *s = mpool__v1__signed__unpack(NULL, len, frame);
    if (!s) {
        snprintf(err, errlen, "not a signed envelope (%zu bytes)", len);
        return NULL;
    }
    Mpool__V1__Envelope *env = NULL;
    if (sign_pk && (s->signature.len != crypto_sign_BYTES ||
                    crypto_sign_verify_detached(s->signature.data, s->envelope.data,
                                                s->envelope.len, sign_pk) != 0))
        snprintf(err, errlen, "bad signature");
    else
        env = decode_checked(&s->envelope, expected_sender, err, errlen);
    mpool__v1__signed__free_unpacked(s, NULL);
    return env;
}

Mpool__V1__Envelope *envelope_unpack(const uint8_t *frame, size_t len, const uint8_t sign_pk[32],
                                     const char *expected_sender, char *err, size_t errlen)
{
    return unpack(frame, len, sign_pk, expected_sender, err, errlen);
}

Mpool__V1__Envelope *envelope_unpack_enclosed(const uint8_t *frame, size_t len,
                                              const char *expected_sender, char *err, size_t errlen)
{
    return unpack(frame, len, NULL, expected_sender, err, errlen);
}

const char *envelope_route_problem(const Mpool__V1__Envelope *env, const char *self)
{
    if (strcmp(env->recipient, self) != 0)
        return "addressed to another node";
    bool control = env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK ||
                   env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH ||
                   env->type == MPOOL__V1__MSG_TYPE__MSG_TYPE_FETCH_REPLY;
    if (control && env->seq != 0)
        return "control message with a sequence number";
    if (!control && env->seq == 0)
        return "sequenced type without a sequence number";
    return NULL;
}
