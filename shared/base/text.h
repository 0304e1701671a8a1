/* text: UTF-8 checks for text that crosses the wire into JSON and logs. */
#ifndef MPOOL_TEXT_H
#define MPOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is well-formed UTF-8 without control characters other than
 * tab, and at most max bytes long. */
bool text_ok(const char *s, size_t max);
/* The same for a text of several lines (a narrative): len bytes, which
 * may also hold line feeds and carriage returns, and no NUL. */
bool text_lines_ok(const void *buf, size_t len, size_t max);
/* The longest of the pool's texts, in bytes: the client checks them before
 * it asks, the node when it is asked, the coordinator on the wire. */
#define DOMAIN_MAX     31
#define LANGUAGE_MAX   8
#define SPECIALTY_MAX  31
#define MFN_NUMBER_MAX 32
#define REASON_MAX     300 /* a veto, decline, withdrawal or disclosure note */
#define CAPACITY_MAX   20  /* open cases a mediator takes, as a node accepts it */
/* A mediator's public face, in characters (not bytes): the name the
 * parties choose by, and a short text that may hold line breaks. */
#define DISPLAY_NAME_MAX 80
#define ABOUT_MAX        600
/* Whether s is UTF-8 as text_ok (and text_lines_ok when lines is set)
 * wants it, of at most max_chars characters (code points). */
bool text_chars_ok(const char *s, size_t max_chars, bool lines);

/* An e-mail address as mpoold writes it into a mail's header: local@domain,
 * printable ASCII without blanks, quotes, brackets, commas or semicolons,
 * at most EMAIL_MAX bytes. Stricter than RFC 5321 allows, so that no value
 * can add a header line or a second recipient. */
#define EMAIL_MAX 190 /* "email = " and the address fit a line of users.ini */
bool email_valid(const char *s);

/* Drops an incomplete multi-byte sequence at the end of s, as left by a
 * truncating snprintf, so the rest stays valid UTF-8. */
void text_cut_utf8(char *s);

#endif
