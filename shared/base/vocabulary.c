/* vocabulary: the lists, and the nearest word by edit distance. The lists
 * are a few dozen short words, so the distance is computed directly
 * (Levenshtein with transpositions, as a typo makes them). */
#include "base/vocabulary.h"

#include <stdio.h>
#include <string.h>

static const char *const default_domains[] = {"labour", "citizen", "objection", "complaint"};
static const char *const default_languages[] = {"nl", "en"};

void vocabulary_default(struct vocabulary *v)
{
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < sizeof default_domains / sizeof *default_domains; i++)
        vocabulary_add(v, 'd', default_domains[i]);
    for (size_t i = 0; i < sizeof default_languages / sizeof *default_languages; i++)
        vocabulary_add(v, 'l', default_languages[i]);
}

bool vocabulary_word_ok(const char *word, size_t max)
{
    size_t n = strlen(word);
    if (n == 0 || n > max)
        return false;
    for (const char *p = word; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_'))
            return false;
    return true;
}

bool vocabulary_add(struct vocabulary *v, char kind, const char *word)
{
    bool domain = kind == 'd';
    size_t *n = domain ? &v->n_domains : &v->n_languages;
    if (*n >= VOCABULARY_MAX || !vocabulary_word_ok(word, domain ? DOMAIN_MAX : LANGUAGE_MAX))
        return false;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(domain ? v->domains[i] : v->languages[i], word) == 0)
            return true;
    snprintf(domain ? v->domains[*n] : v->languages[*n], domain ? DOMAIN_MAX + 1 : LANGUAGE_MAX + 1,
             "%s", word);
    (*n)++;
    return true;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Edits from a to b: insertions, deletions, substitutions, swaps. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[DOMAIN_MAX + 2][DOMAIN_MAX + 2];
    if (la > DOMAIN_MAX || lb > DOMAIN_MAX)
        return (size_t)-1;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    return d[la][lb];
}

bool vocabulary_check(const struct vocabulary *v, char kind, const char *word, char *why,
                      size_t len)
{
    bool domain = kind == 'd';
    size_t n = domain ? v->n_domains : v->n_languages;
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    char list[VOCABULARY_MAX * (DOMAIN_MAX + 2)] = "";
    for (size_t i = 0; i < n; i++) {
        const char *w = domain ? v->domains[i] : v->languages[i];
        if (strcmp(w, word) == 0)
            return true;
        size_t d = distance(word, w);
        if (d < best_d) {
            best_d = d;
            best = w;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", w);
    }
    if (n == 0)
        return true;
    /* A word this near is a typo, not another word. */
    bool near = best && best_d <= (strlen(best) > 4 ? 2 : 1);
    snprintf(why, len, "%.40s: unknown %s%s%s%s (the pool's: %s)", word,
             domain ? "domain" : "language", near ? "; did you mean " : "", near ? best : "",
             near ? "?" : "", list);
    return false;
}
