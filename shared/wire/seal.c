/* seal: the narrative, end to end from the requesting node to the mediator. */
#include "wire/seal.h"

#include <sodium.h>
#include <stdlib.h>

uint8_t *seal_to(const uint8_t pk[32], const uint8_t *msg, size_t len, size_t *outlen)
{
    if (len > NARRATIVE_MAX || sodium_init() < 0)
        return NULL;
    uint8_t *sealed = malloc(len + crypto_box_SEALBYTES);
    if (!sealed)
        return NULL;
    if (crypto_box_seal(sealed, msg, len, pk) != 0) {
        free(sealed);
        return NULL;
    }
    *outlen = len + crypto_box_SEALBYTES;
    return sealed;
}

uint8_t *seal_open(const uint8_t pk[32], const uint8_t sk[32], const uint8_t *sealed, size_t len,
                   size_t *outlen)
{
    if (len < crypto_box_SEALBYTES || len > NARRATIVE_MAX + crypto_box_SEALBYTES ||
        sodium_init() < 0)
        return NULL;
    size_t plain_len = len - crypto_box_SEALBYTES;
    /* One byte more, so callers can treat the narrative as a C string. */
    uint8_t *plain = malloc(plain_len + 1);
    if (!plain)
        return NULL;
    if (crypto_box_seal_open(plain, sealed, len, pk, sk) != 0) {
        free(plain);
        return NULL;
    }
    plain[plain_len] = '\0';
    *outlen = plain_len;
    return plain;
}
