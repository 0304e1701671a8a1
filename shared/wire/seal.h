/* seal: the narrative, end to end from the requesting node to the mediator.
 * crypto_box_seal to the mediator's own X25519 key: the coordinator relays
 * the sealed bytes but cannot open them, nor can the mediator's node. */
#ifndef MPOOL_SEAL_H
#define MPOOL_SEAL_H

#include <stddef.h>
#include <stdint.h>

#define NARRATIVE_MAX (64 * 1024)
/* The parties' names sealed to the offered mediator: a JSON list of at
 * most 16 {"kind", "label"}, each label at most 200 bytes. */
#define PARTY_NAMES_MAX (8 * 1024)

/* Returns a malloc'd buffer of *outlen bytes, or NULL. */
uint8_t *seal_to(const uint8_t pk[32], const uint8_t *msg, size_t len, size_t *outlen);
/* Returns a malloc'd, NUL-terminated plaintext of *outlen bytes, or NULL
 * when the bytes were not sealed to this key pair or were altered. */
uint8_t *seal_open(const uint8_t pk[32], const uint8_t sk[32], const uint8_t *sealed, size_t len,
                   size_t *outlen);

#endif
