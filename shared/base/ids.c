/* ids: names of nodes, people and cases, and the clock. */
#include "base/ids.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/log.h"

#define CASE_SUFFIX_HEX 8

static bool id_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static bool id_first_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* The first len bytes of s form an id; s need not end there. */
static bool id_span_valid(const char *s, size_t len)
{
    if (len == 0 || len >= ID_MAX || !id_first_ok(s[0]))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!id_char_ok(s[i]))
            return false;
    return true;
}

static bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool id_valid(const char *id)
{
    return id && id_span_valid(id, strlen(id));
}

bool mediator_id_valid(const char *id)
{
    if (!id)
        return false;
    const char *colon = strchr(id, ':');
    if (!colon)
        return false;
    return id_span_valid(id, (size_t)(colon - id)) && id_valid(colon + 1);
}

void case_id_new(const char *node, char *out, size_t outlen)
{
    uint8_t rnd[CASE_SUFFIX_HEX / 2];
    char hex[CASE_SUFFIX_HEX + 1];

    if (sodium_init() < 0)
        fatal("libsodium could not be initialised");
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    int n = snprintf(out, outlen, "%s-%s", node, hex);
    if (n < 0 || (size_t)n >= outlen)
        fatal("case id buffer of %zu bytes is too small for node %s", outlen, node);
}

bool case_id_valid(const char *id)
{
    if (!id)
        return false;
    /* Node ids may contain '-', so only the last one separates the suffix. */
    const char *dash = strrchr(id, '-');
    if (!dash || strlen(dash + 1) != CASE_SUFFIX_HEX)
        return false;
    for (const char *p = dash + 1; *p; p++)
        if (!is_lower_hex(*p))
            return false;
    return id_span_valid(id, (size_t)(dash - id));
}

int64_t now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        fatal("clock_gettime(CLOCK_REALTIME) failed");
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits; -1 when any is not a digit. */
static int read_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int64_t date_parse_ms(const char *text)
{
    if (!text || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    int y = read_digits(text, 4);
    int m = read_digits(text + 5, 2);
    int d = read_digits(text + 8, 2);
    /* Before 1970 the result would be negative and look like the error value. */
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return -1;

    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return -1;
    return (int64_t)t * 1000;
}

void time_format(int64_t ms, char *out, size_t outlen)
{
    if (outlen == 0)
        return;
    /* Floor, so that a moment before 1970 is not rounded into the next minute. */
    int64_t secs = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
    time_t t = (time_t)secs;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, outlen, "%Y-%m-%d %H:%M", &tm) == 0)
        snprintf(out, outlen, "?");
}
