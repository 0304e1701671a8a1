/* pseudonym: party references the coordinator can compare but not read.
 *
 * A person or organisation unit becomes "p:" followed by 32 hex digits: a
 * keyed BLAKE2b hash (libsodium crypto_generichash) with the pool secret of
 * the kind and the normalised identifier. Normalising (trim, fold ASCII
 * case, collapse inner white space) makes "J.  Jansen " and "j. jansen"
 * the same party on every node. A municipality stays "m:<id>". */
#ifndef MPOOL_PSEUDONYM_H
#define MPOOL_PSEUDONYM_H

#include <stddef.h>
#include <stdint.h>

#define PSEUDONYM_LEN 34 /* "p:" + 32 hex digits */

/* kind is "person" or "unit". out holds PSEUDONYM_LEN + 1. Returns -1 when
 * the identifier is empty after normalising or the kind is unknown. */
int pseudonym_make(const uint8_t secret[32], const char *kind, const char *identifier, char *out);

/* True for "m:<id>" with a valid id or "p:<32 hex>". */
int party_ref_valid(const char *ref);

#endif
