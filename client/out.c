/* out: printing. Columns are aligned by characters, not bytes, so that
 * municipality names such as "Súdwest-Fryslân" do not push a table askew. */
#include "out.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ids.h"
#include "base/log.h"

struct table {
    size_t ncols;
    size_t nrows; /* the header is row 0 */
    size_t cap;
    char **cells; /* nrows * ncols */
};

void out_json(const json_t *v)
{
    char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

    if (!text)
        fatal("mpool: out of memory while printing JSON");
    puts(text);
    free(text);
}

void out_sanitize(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            *p = '?';
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            /* C1 controls in UTF-8; U+009B alone starts a terminal escape. */
            p[0] = p[1] = '?';
            p++;
        }
    }
}

void out_line(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        fatal("mpool: cannot format a line of output");
    char *line = malloc((size_t)n + 1);
    if (!line)
        fatal("mpool: out of memory while printing");
    va_start(ap, fmt);
    vsnprintf(line, (size_t)n + 1, fmt, ap);
    va_end(ap);
    out_sanitize(line);
    puts(line);
    free(line);
}

const char *out_str(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s ? s : "";
}

json_int_t out_int(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);

    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_real(v))
        return (json_int_t)json_real_value(v);
    return 0;
}

bool out_bool(const json_t *obj, const char *key)
{
    return json_is_true(json_object_get(obj, key));
}

const char *out_or(const char *s, const char *dash)
{
    return s && s[0] != '\0' ? s : dash;
}

void out_time(json_int_t ms, char *buf, size_t len)
{
    if (ms <= 0) {
        snprintf(buf, len, "-");
        return;
    }
    time_format((int64_t)ms, buf, len);
}

void out_hours(json_int_t minutes, bool sign, char *buf, size_t len)
{
    snprintf(buf, len, sign ? "%+.1f" : "%.1f", (double)minutes / 60.0);
}

void out_number(const json_t *v, char *buf, size_t len)
{
    if (json_is_integer(v))
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, len, "%g", json_real_value(v));
    else
        snprintf(buf, len, "-");
}

void out_join(const json_t *array, char *buf, size_t len)
{
    size_t used = 0, i;
    const json_t *v;

    snprintf(buf, len, "-");
    json_array_foreach(array, i, v)
    {
        const char *s = json_string_value(v);
        if (!s || used >= len)
            continue;
        int n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", s);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

/* ---- tables ---- */

static void table_append(struct table *t, va_list ap)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 8;
        char **cells = realloc(t->cells, cap * t->ncols * sizeof *cells);
        if (!cells)
            fatal("mpool: out of memory while building a table");
        t->cells = cells;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = va_arg(ap, const char *);
        char *copy = strdup(s ? s : "");
        if (!copy)
            fatal("mpool: out of memory while building a table");
        out_sanitize(copy);
        t->cells[t->nrows * t->ncols + c] = copy;
    }
    t->nrows++;
}

struct table *table_new(size_t ncols, ...)
{
    struct table *t = calloc(1, sizeof *t);
    va_list ap;

    if (!t)
        fatal("mpool: out of memory while building a table");
    t->ncols = ncols;
    va_start(ap, ncols);
    table_append(t, ap);
    va_end(ap);
    return t;
}

void table_row(struct table *t, ...)
{
    va_list ap;

    va_start(ap, t);
    table_append(t, ap);
    va_end(ap);
}

size_t table_rows(const struct table *t)
{
    return t->nrows - 1;
}

/* Characters, counting each UTF-8 sequence once. */
static size_t text_width(const char *s)
{
    size_t w = 0;

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xc0) != 0x80)
            w++;
    return w;
}

void table_print(const struct table *t, const char *indent)
{
    size_t *width = calloc(t->ncols, sizeof *width);

    if (!width)
        fatal("mpool: out of memory while printing a table");
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            size_t w = text_width(t->cells[r * t->ncols + c]);
            if (w > width[c])
                width[c] = w;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(indent, stdout);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *cell = t->cells[r * t->ncols + c];
            fputs(cell, stdout);
            if (c + 1 < t->ncols)
                printf("%*s", (int)(width[c] - text_width(cell) + 2), "");
        }
        putchar('\n');
    }
    free(width);
}

void table_free(struct table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}

void table_add_each(struct table *t, const json_t *items, table_row_fn row)
{
    size_t i;
    const json_t *item;

    json_array_foreach(items, i, item)
    {
        row(t, i, item);
    }
}

void table_finish(struct table *t, const char *title, const char *indent, const char *empty)
{
    if (table_rows(t) == 0) {
        if (empty)
            out_line("%s", empty);
    } else {
        if (title)
            out_line("%s", title);
        table_print(t, indent);
    }
    table_free(t);
}

void out_page(const json_t *result, size_t shown, const char *command)
{
    const json_t *next = json_object_get(result, "next");
    if (!json_is_integer(next))
        return;
    long long upto = (long long)json_integer_value(next);
    out_line("showing %lld to %lld of %lld; the next page: %s --after %lld",
             upto - (long long)shown + 1, upto, (long long)out_int(result, "total"), command, upto);
}

static bool json_errors;

void out_set_json_errors(bool on)
{
    json_errors = on;
}

int out_verror(int exit_code, const char *hint, const char *fmt, va_list ap)
{
    static const char *const names[] = {"ok",      "error",     "usage",
                                        "refused", "not_found", "unreachable"};
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    out_sanitize(msg);
    if (!json_errors) {
        fprintf(stderr, "mpool: %s%s\n", msg, hint ? hint : "");
        return exit_code;
    }
    const char *status = exit_code >= 0 && exit_code <= 5 ? names[exit_code] : "error";
    json_t *e = json_pack("{s{ssss}}", "error", "status", status, "message", msg);
    char *text = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    fprintf(stderr, "%s\n", text ? text : "{\"error\":{\"status\":\"error\"}}");
    free(text);
    json_decref(e);
    return exit_code;
}

int out_error(int exit_code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    out_verror(exit_code, NULL, fmt, ap);
    va_end(ap);
    return exit_code;
}
