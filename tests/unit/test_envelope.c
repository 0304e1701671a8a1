/* Envelopes: what is signed is what is checked, and nothing else passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "wire/envelope.h"

static uint8_t pk[32], sk[64], other_pk[32], other_sk[64];

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    crypto_sign_keypair(pk, sk);
    crypto_sign_keypair(other_pk, other_sk);
    return 0;
}

static uint8_t *sample(size_t *len, uint64_t seq)
{
    Mpool__V1__Ack ack = MPOOL__V1__ACK__INIT;
    ack.epoch = 7;
    ack.upto = 41;
    struct envelope_head h = {.sender = "zeist",
                              .recipient = "coordinator",
                              .epoch = 99,
                              .seq = seq,
                              .type = MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK};
    return envelope_pack(&h, &ack.base, sk, len);
}

static void round_trip(void **state)
{
    (void)state;
    size_t len;
    uint8_t *frame = sample(&len, 5);
    char err[256];
    Mpool__V1__Envelope *env = envelope_unpack(frame, len, pk, "zeist", err, sizeof err);
    assert_non_null(env);
    assert_string_equal(env->sender, "zeist");
    assert_string_equal(env->recipient, "coordinator");
    assert_int_equal(env->epoch, 99);
    assert_int_equal(env->seq, 5);
    assert_int_equal(env->msg_id.len, 16);
    Mpool__V1__Ack *ack = mpool__v1__ack__unpack(NULL, env->body.len, env->body.data);
    assert_non_null(ack);
    assert_int_equal(ack->upto, 41);
    mpool__v1__ack__free_unpacked(ack, NULL);
    mpool__v1__envelope__free_unpacked(env, NULL);
    free(frame);
}

static void any_changed_byte_is_refused(void **state)
{
    (void)state;
    size_t len;
    uint8_t *frame = sample(&len, 5);
    char err[256];
    for (size_t i = 0; i < len; i++) {
        frame[i] ^= 0x01;
        Mpool__V1__Envelope *env = envelope_unpack(frame, len, pk, "zeist", err, sizeof err);
        if (env)
            fail_msg("byte %zu changed and still accepted", i);
        frame[i] ^= 0x01;
    }
    free(frame);
}

static void wrong_key_or_sender_is_refused(void **state)
{
    (void)state;
    size_t len;
    uint8_t *frame = sample(&len, 5);
    char err[256];
    assert_null(envelope_unpack(frame, len, other_pk, "zeist", err, sizeof err));
    assert_string_equal(err, "bad signature");
    assert_null(envelope_unpack(frame, len, pk, "almere", err, sizeof err));
    assert_non_null(strstr(err, "not the authenticated peer"));
    assert_null(envelope_unpack(frame, len / 2, pk, "zeist", err, sizeof err));
    free(frame);
}

static void unknown_version_is_refused(void **state)
{
    (void)state;
    /* Sign a version-2 envelope by hand: a future peer, valid signature. */
    Mpool__V1__Envelope env = MPOOL__V1__ENVELOPE__INIT;
    env.schema_version = 2;
    env.sender = "zeist";
    env.type = MPOOL__V1__MSG_TYPE__MSG_TYPE_ACK;
    uint8_t buf[256], sig[64];
    size_t n = mpool__v1__envelope__pack(&env, buf);
    crypto_sign_detached(sig, NULL, buf, n, sk);
    Mpool__V1__Signed s = MPOOL__V1__SIGNED__INIT;
    s.envelope.data = buf;
    s.envelope.len = n;
    s.signature.data = sig;
    s.signature.len = 64;
    uint8_t out[512];
    size_t len = mpool__v1__signed__pack(&s, out);
    char err[256];
    assert_null(envelope_unpack(out, len, pk, "zeist", err, sizeof err));
    assert_string_equal(err, "unknown schema version 2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
        cmocka_unit_test(any_changed_byte_is_refused),
        cmocka_unit_test(wrong_key_or_sender_is_refused),
        cmocka_unit_test(unknown_version_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
