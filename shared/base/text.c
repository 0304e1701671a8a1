/* text: a small UTF-8 validator; jansson refuses invalid strings, and a
 * refused string would silently drop a whole record from an answer. */
#include "base/text.h"

#include <string.h>

/* Length of the sequence that starts with byte b, or 0 if b cannot start one. */
static size_t sequence_length(unsigned char b)
{
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef)
        return 3;
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    return 0;
}

static bool sequence_valid(const unsigned char *p, size_t len)
{
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return false;
    if (len == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f)))
        return false; /* overlong, or a UTF-16 surrogate */
    if (len == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f)))
        return false; /* overlong, or beyond U+10FFFF */
    return true;
}

/* Whether the len bytes at s are UTF-8 without control characters other
 * than tab and, when lines is set, line feed and carriage return. */
static bool span_ok(const unsigned char *p, size_t total, bool lines)
{
    const unsigned char *end = p + total;
    while (p < end) {
        size_t len = sequence_length(*p);
        bool allowed = *p == '\t' || (lines && (*p == '\n' || *p == '\r'));
        if (len == 0 || (size_t)(end - p) < len || !sequence_valid(p, len) ||
            (*p < 0x20 && !allowed) || *p == 0x7f)
            return false;
        p += len;
    }
    return true;
}

bool text_ok(const char *s, size_t max)
{
    size_t total = strlen(s);
    return total <= max && span_ok((const unsigned char *)s, total, false);
}

bool text_lines_ok(const void *buf, size_t len, size_t max)
{
    return len <= max && (len == 0 || span_ok(buf, len, true));
}

bool text_chars_ok(const char *s, size_t max_chars, bool lines)
{
    size_t total = strlen(s), chars = 0;
    if (total > 4 * max_chars || !span_ok((const unsigned char *)s, total, lines))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        chars += (*p & 0xc0) != 0x80;
    return chars <= max_chars;
}

void text_cut_utf8(char *s)
{
    size_t n = strlen(s), start = n;
    /* Walk back over continuation bytes to the start of the last sequence. */
    while (start > 0 && ((unsigned char)s[start - 1] & 0xc0) == 0x80 && n - start < 3)
        start--;
    if (start == 0)
        return;
    size_t need = sequence_length((unsigned char)s[start - 1]);
    if (need > 1 && n - (start - 1) < need)
        s[start - 1] = '\0';
}

bool email_valid(const char *s)
{
    size_t len = strlen(s);
    const char *at = strchr(s, '@');
    if (len < 3 || len > EMAIL_MAX || !at || at == s || at[1] == '\0' || strchr(at + 1, '@'))
        return false;
    for (const char *p = s; *p; p++)
        if (*p <= ' ' || *p > '~' || strchr("\"(),:;<>[\\]", *p))
            return false;
    return at[1] != '.' && s[len - 1] != '.';
}
