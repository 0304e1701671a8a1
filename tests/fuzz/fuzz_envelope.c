/* fuzz_envelope: envelope_unpack and envelope_unpack_enclosed on hostile
 * frames.
 *
 * Each input is tried three ways: as a whole frame, which mostly exercises
 * the Signed decoder and the signature check; as the signed Envelope bytes
 * of a frame we sign ourselves, so that the decoder and the checks behind
 * a valid signature see the input too; and as a journal entry enclosed in
 * a reply, whose signature is not checked again. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "wire/envelope.h"

#define SENDER "almere"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t sign_pk[crypto_sign_PUBLICKEYBYTES];
static uint8_t sign_sk[crypto_sign_SECRETKEYBYTES];

/* A fixed key pair keeps every run, and every replayed input, reproducible. */
static void keys_ready(void)
{
    static int ready;
    uint8_t seed[crypto_sign_SEEDBYTES];

    if (ready)
        return;
    if (sodium_init() < 0)
        abort();
    memset(seed, 0x5a, sizeof seed);
    crypto_sign_seed_keypair(sign_pk, sign_sk, seed);
    ready = 1;
}

/* What the unpackers let through, the daemon trusts. */
static void check_trusted(Mpool__V1__Envelope *env)
{
    if (!env)
        return;
    if (env->schema_version != SCHEMA_VERSION || strcmp(env->sender, SENDER) != 0)
        abort();
    mpool__v1__envelope__free_unpacked(env, NULL);
}

static void unpack_frame(const uint8_t *frame, size_t len)
{
    char err[256];
    check_trusted(envelope_unpack(frame, len, sign_pk, SENDER, err, sizeof err));
}

static void unpack_enclosed(const uint8_t *frame, size_t len)
{
    char err[256];
    check_trusted(envelope_unpack_enclosed(frame, len, SENDER, err, sizeof err));
}

static void unpack_signed_by_us(const uint8_t *data, size_t size)
{
    size_t len = 0;
    uint8_t *frame = envelope_sign(data, size, sign_sk, &len);
    if (!frame)
        return;
    unpack_frame(frame, len);
    free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    keys_ready();
    unpack_frame(data, size);
    unpack_signed_by_us(data, size);
    unpack_enclosed(data, size);
    return 0;
}
