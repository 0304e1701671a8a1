/* text: UTF-8 checks for text that crosses the wire into JSON and logs. */
#ifndef MPOOL_TEXT_H
#define MPOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is well-formed UTF-8 without control characters other than
 * tab, and at most max bytes long. */
bool text_ok(const char *s, size_t max);
/* Drops an incomplete multi-byte sequence at the end of s, as left by a
 * truncating snprintf, so the rest stays valid UTF-8. */
void text_cut_utf8(char *s);

#endif
