/* pseudonym: party references the coordinator can compare but not read.
 *
 * A person or organisation unit becomes "p:" followed by 32 hex digits: a
 * keyed BLAKE2b hash (libsodium crypto_generichash) with the pool secret of
 * the kind and the identifier folded as people read it (base/namefold.h:
 * Unicode case, accents, dashes, apostrophes and white space), so that
 * "Zoë van den Heuvel-Çelik" and "ZOE VAN DEN HEUVEL CELIK" are the same
 * party on every node. A municipality stays "m:<id>". */
#ifndef MPOOL_PSEUDONYM_H
#define MPOOL_PSEUDONYM_H

#include <stddef.h>
#include <stdint.h>

#define PSEUDONYM_LEN 34 /* "p:" + 32 hex digits */

/* The party references one mediator profile may carry (relationships,
 * with their legacy forms): the coordinator refuses a profile with more. */
#define PROFILE_REFS_MAX 256

/* The rule pseudonym_make follows; a node records the one its stored
 * pseudonyms were made with (member/rederive.c). 1 was the legacy rule. */
#define PSEUDONYM_RULE 2

/* kind is "person" or "unit". out holds PSEUDONYM_LEN + 1. Returns -1 when
 * the identifier is empty after normalising or the kind is unknown. */
int pseudonym_make(const uint8_t secret[32], const char *kind, const char *identifier, char *out);

/* The same under the legacy rule (trim, ASCII case, white space runs),
 * which nodes not yet upgraded still use: sent alongside while a pool
 * upgrades, so that no declared relationship stops excluding. */
int pseudonym_make_legacy(const uint8_t secret[32], const char *kind, const char *identifier,
                          char *out);

/* True for "m:<id>" with a valid id or "p:<32 hex>". */
int party_ref_valid(const char *ref);

#endif
