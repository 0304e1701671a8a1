/* vocabulary: the pool's words for what a case is about (domains, which
 * are also mediators' specialties) and the languages of mediation.
 *
 * The coordinator holds them ([pool] domains and languages) and sends them
 * to every member with each FetchReply; a member checks a post and a
 * mediator's profile against the list it last received, the coordinator
 * checks each post against its own. Both call vocabulary_check, which
 * suggests the nearest word for a typo. An empty list checks nothing (a
 * member that has not heard from the coordinator yet). */
#ifndef MPOOL_VOCABULARY_H
#define MPOOL_VOCABULARY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/text.h"

#define VOCABULARY_MAX 32 /* words of each kind */

struct vocabulary {
    char domains[VOCABULARY_MAX][DOMAIN_MAX + 1];
    size_t n_domains;
    char languages[VOCABULARY_MAX][LANGUAGE_MAX + 1];
    size_t n_languages;
};

/* labour, citizen, objection, complaint; nl, en. */
void vocabulary_default(struct vocabulary *v);
/* Adds a word to the domains (kind 'd') or languages ('l'): false when
 * it is not a lower-case word of the right length, or the list is full. */
bool vocabulary_add(struct vocabulary *v, char kind, const char *word);
/* True when word is in the list of its kind (or that list is empty);
 * else why says so, with the nearest word when one is close:
 * "labor: unknown domain; did you mean labour? (the pool's: labour, ...)". */
bool vocabulary_check(const struct vocabulary *v, char kind, const char *word, char *why,
                      size_t len);
/* A lower-case word as the pool's lists hold them: a-z, '-' and '_'. */
bool vocabulary_word_ok(const char *word, size_t max);

#endif
