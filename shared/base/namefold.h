/* namefold: a person's or unit's name as people read it, in one canonical
 * form, so that every spelling of one name makes one pseudonym.
 *
 * The rule, in order (libunistring, Unicode 14.0 in libunistring 1.0):
 *   1. each apostrophe variant (' ’ ‘ ‛ ʼ ʻ ` ´ ′ ＇) becomes ', each dash
 *      (general category Pd, and − U+2212) and each white space (Z*, tab,
 *      line breaks, no-break space) a space; Turkish ı and İ become i,
 *      and a small letter with a stroke its letter (ł l, ø o, đ d, ħ h);
 *      combining marks (M*), format characters (Cf: soft hyphen, zero
 *      width joiners) and other control characters are removed;
 *   2. compatibility caseless matching (Unicode D146): NFD, full case
 *      folding with locale-independent data, NFKD, folding again, NFKD;
 *   3. step 1 again on the result, which removes the accents that the
 *      decomposition split off (ë is e + ◌̈) and the dashes it produced;
 *   4. runs of spaces become one space, and the ends are trimmed;
 *   5. NFC, so that the bytes are canonical.
 * So "Zoë van den Heuvel-Çelik" and "ZOE VAN DEN HEUVEL CELIK" are one
 * name, and so are "Ömer Yılmaz" and "OMER YILMAZ". "Łukasz" is "Lukasz" and
 * "Søren" "Soren"; ß folds to ss and ĳ to ij, while æ and œ stay letters
 * of their own. Nothing reorders words or expands initials.
 *
 * Every node of a pool must compute the very same bytes: a change to this
 * rule (or to the Unicode version of the library) is a pool-wide upgrade
 * (docs/privacy.md). */
#ifndef MPOOL_NAMEFOLD_H
#define MPOOL_NAMEFOLD_H

#include <stddef.h>

/* The folded form of the NUL-terminated UTF-8 name in, in *out (malloc'd,
 * NUL-terminated, *len bytes without the NUL; may be empty). Returns -1,
 * with *out NULL, when in is not UTF-8 or memory runs out. Every copy of
 * the name made on the way is wiped before it is freed. */
int namefold(const char *in, char **out, size_t *len);

/* Wipes and frees a result of namefold; NULL is fine. */
void namefold_free(char *s, size_t len);

/* The Unicode version of the library's tables, as "14.0", for the docs'
 * test and `mpoold check`. */
const char *namefold_unicode_version(void);

#endif
