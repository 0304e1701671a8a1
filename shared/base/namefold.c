/* namefold: one canonical form for every spelling of a name (see the
 * header for the rule). Works on UTF-32, where one unit is one character;
 * every buffer holds a real name and is wiped before it is freed. */
#include "base/namefold.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <unistring/version.h>

#define DROP UINT32_MAX

static bool is_apostrophe(ucs4_t uc)
{
    static const ucs4_t marks[] = {
        0x0027, 0x0060, 0x00B4, 0x02B9, 0x02BB, 0x02BC, 0x02BD,
        0x2018, 0x2019, 0x201B, 0x2032, 0x2035, 0xFF07,
    };
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++)
        if (uc == marks[i])
            return true;
    return false;
}

static bool is_space(ucs4_t uc)
{
    return uc == '\t' || uc == '\n' || uc == '\v' || uc == '\f' || uc == '\r' || uc == 0x85 ||
           uc_is_general_category(uc, UC_CATEGORY_Z);
}

/* A small letter with a stroke or bar, which Unicode does not decompose
 * into a letter and a mark, as the letter people type for it on a Dutch
 * keyboard: "Łukasz" is typed "Lukasz", "Søren" "Soren". Capitals reach
 * this folded to small letters (step 3). 0 when uc is none. */
static ucs4_t unstroke(ucs4_t uc)
{
    static const ucs4_t pairs[][2] = {
        {0x0142, 'l'}, {0x00F8, 'o'}, {0x0111, 'd'}, {0x0127, 'h'}, {0x0167, 't'},
        {0x0180, 'b'}, {0x01B6, 'z'}, {0x0268, 'i'}, {0x01E5, 'g'}, {0x0140, 'l'},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (uc == pairs[i][0])
            return pairs[i][1];
    return 0;
}

/* What one character becomes: itself, another, or DROP. ´ must become an
 * apostrophe before NFKD, which would split it into a space and a mark. */
static ucs4_t fold_char(ucs4_t uc)
{
    if (uc == 0x0131 || uc == 0x0130) /* Turkish ı and İ: no case pair in the default data */
        return 'i';
    if (unstroke(uc))
        return unstroke(uc);
    if (is_apostrophe(uc))
        return '\'';
    if (is_space(uc) || uc == 0x2212 || uc_is_general_category(uc, UC_CATEGORY_Pd))
        return ' ';
    if (uc_is_general_category(uc, UC_CATEGORY_M) || uc_is_general_category(uc, UC_CATEGORY_Cf) ||
        uc_is_general_category(uc, UC_CATEGORY_Cc))
        return DROP;
    return uc;
}

/* Step 1 (and 3, with collapse: step 4) in place. */
static size_t map_chars(uint32_t *s, size_t n, bool collapse)
{
    size_t w = 0;
    bool space_pending = false;
    for (size_t r = 0; r < n; r++) {
        ucs4_t uc = fold_char(s[r]);
        if (uc == DROP)
            continue;
        if (collapse && uc == ' ') {
            space_pending = w > 0;
            continue;
        }
        if (space_pending) {
            s[w++] = ' ';
            space_pending = false;
        }
        s[w++] = uc;
    }
    /* The tail still holds characters of the name. */
    if (w < n)
        sodium_memzero(s + w, (n - w) * sizeof *s);
    return w;
}

/* A step's result takes the place of its input, which is wiped. */
static int replace(uint32_t **s, size_t *n, uint32_t *next, size_t next_n)
{
    sodium_memzero(*s, *n * sizeof **s);
    free(*s);
    *s = next;
    *n = next_n;
    return next ? 0 : -1;
}

static int normalize(uninorm_t nf, uint32_t **s, size_t *n)
{
    size_t len = 0;
    uint32_t *next = u32_normalize(nf, *s, *n, NULL, &len);
    return replace(s, n, next, len);
}

static int casefold(uint32_t **s, size_t *n)
{
    size_t len = 0;
    /* No language: the locale-independent folding, the same on every node. */
    uint32_t *next = u32_casefold(*s, *n, NULL, UNINORM_NFKD, NULL, &len);
    return replace(s, n, next, len);
}

int namefold(const char *in, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t in_len = strlen(in), n = 0;
    if (u8_check((const uint8_t *)in, in_len) != NULL)
        return -1;
    uint32_t *s = in_len ? u8_to_u32((const uint8_t *)in, in_len, NULL, &n) : NULL;
    if (in_len && !s)
        return -1;
    n = map_chars(s, n, false);
    int rc = 0;
    if (n > 0) {
        rc = normalize(UNINORM_NFD, &s, &n);
        rc = rc < 0 ? rc : casefold(&s, &n);
        rc = rc < 0 ? rc : casefold(&s, &n);
        if (rc == 0)
            n = map_chars(s, n, true);
        rc = rc < 0 || n == 0 ? rc : normalize(UNINORM_NFC, &s, &n);
    }
    size_t bytes = 0, chars = n;
    uint8_t *text = rc == 0 && chars > 0 ? u32_to_u8(s, chars, NULL, &bytes) : NULL;
    replace(&s, &n, NULL, 0);
    if (rc < 0 || (chars > 0 && !text))
        return -1;
    char *res = malloc(bytes + 1);
    if (!res) {
        namefold_free((char *)text, bytes);
        return -1;
    }
    if (bytes)
        memcpy(res, text, bytes);
    res[bytes] = '\0';
    namefold_free((char *)text, bytes);
    *out = res;
    *len = bytes;
    return 0;
}

void namefold_free(char *s, size_t len)
{
    if (!s)
        return;
    sodium_memzero(s, len);
    free(s);
}

const char *namefold_unicode_version(void)
{
    /* From each release's NEWS: the Unicode version of its tables. */
    switch (_libunistring_version >> 8) {
    case 0x0100:
        return "14.0";
    case 0x0101:
        return "15.0";
    case 0x0102:
        return "15.1";
    case 0x0103:
        return "16.0";
    default:
        return "unknown";
    }
}
