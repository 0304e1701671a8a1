/* pseudonym: party references the coordinator can compare but not read.
 *
 * The kind goes into the hash, so a person and a unit that happen to share
 * a name still get different pseudonyms. */
#include "wire/pseudonym.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "base/namefold.h"

#define PSEUDONYM_HASH_LEN 16

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The rule before names were folded as people read them: trims, folds
 * ASCII case and collapses white space runs into one space; other bytes
 * pass through. out holds strlen(in) + 1; returns the length written. */
static size_t legacy_fold(const char *in, char *out)
{
    size_t n = 0;
    bool space_pending = false;

    for (const char *p = in; *p; p++) {
        char c = *p;
        if (is_ascii_space(c)) {
            space_pending = n > 0;
            continue;
        }
        if (space_pending) {
            out[n++] = ' ';
            space_pending = false;
        }
        out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
    return n;
}

static bool kind_known(const char *kind)
{
    return kind && (strcmp(kind, "person") == 0 || strcmp(kind, "unit") == 0);
}

/* The keyed hash of kind and folded name, as "p:<hex>". */
static int hash_ref(const uint8_t secret[32], const char *kind, const char *norm, size_t len,
                    char *out)
{
    uint8_t hash[PSEUDONYM_HASH_LEN];
    crypto_generichash_state st;
    int rc = -1;
    /* The NUL after the kind keeps "unit"+"x" apart from "uni"+"tx". */
    if (crypto_generichash_init(&st, secret, 32, sizeof hash) == 0 &&
        crypto_generichash_update(&st, (const uint8_t *)kind, strlen(kind) + 1) == 0 &&
        crypto_generichash_update(&st, (const uint8_t *)norm, len) == 0 &&
        crypto_generichash_final(&st, hash, sizeof hash) == 0) {
        out[0] = 'p';
        out[1] = ':';
        sodium_bin2hex(out + 2, PSEUDONYM_LEN - 1, hash, sizeof hash);
        rc = 0;
    }
    sodium_memzero(&st, sizeof st);
    return rc;
}

int pseudonym_make(const uint8_t secret[32], const char *kind, const char *identifier, char *out)
{
    if (!kind_known(kind) || !identifier || sodium_init() < 0)
        return -1;
    char *norm = NULL;
    size_t len = 0;
    if (namefold(identifier, &norm, &len) < 0)
        return -1;
    int rc = len > 0 ? hash_ref(secret, kind, norm, len, out) : -1;
    /* The identifier is a real name: namefold wipes it before freeing. */
    namefold_free(norm, len);
    return rc;
}

int pseudonym_make_legacy(const uint8_t secret[32], const char *kind, const char *identifier,
                          char *out)
{
    if (!kind_known(kind) || !identifier || sodium_init() < 0)
        return -1;
    size_t cap = strlen(identifier) + 1;
    char *norm = malloc(cap);
    if (!norm)
        return -1;
    size_t len = legacy_fold(identifier, norm);
    int rc = len > 0 ? hash_ref(secret, kind, norm, len, out) : -1;
    /* The identifier is a real name: do not leave it in freed memory. */
    sodium_memzero(norm, cap);
    free(norm);
    return rc;
}

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int party_ref_valid(const char *ref)
{
    if (!ref)
        return 0;
    if (strncmp(ref, "m:", 2) == 0)
        return id_valid(ref + 2);
    if (strncmp(ref, "p:", 2) != 0 || strlen(ref) != PSEUDONYM_LEN)
        return 0;
    for (const char *p = ref + 2; *p; p++)
        if (!is_lower_hex(*p))
            return 0;
    return 1;
}
