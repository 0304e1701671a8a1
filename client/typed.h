/* typed: what people type, read as they mean it. A decimal comma (6,5
 * hours), a language by its name (Nederlands), a state in words (in
 * mediation), an id pasted with a space around it: each is taken, or
 * answered with the word to use instead. */
#ifndef MPOOL_CLIENT_TYPED_H
#define MPOOL_CLIENT_TYPED_H

#include <stdbool.h>
#include <stddef.h>

/* s without the spaces and tabs around it, cut in place. */
char *typed_trim(char *s);

/* text with a decimal comma as a point ("6,5" -> "6.5") into out; text
 * as it is when it has a point too, or more than one comma. */
void typed_decimal(const char *text, char *out, size_t len);

/* The code of a language named in words, in Dutch, English or itself,
 * in any case ("Nederlands", "dutch" -> "nl"); NULL when unknown. */
const char *typed_language_code(const char *text);

/* The state name in allowed that text means: the name in any case, with
 * spaces or dashes for '_', or the state's words as mpool prints them
 * ("in mediation", "waiting for the mediator's answer"). NULL if none. */
const char *typed_state(const char *text, const char *const *allowed);

#endif
