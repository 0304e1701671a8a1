/* out: what mpool prints. With --json, the node's result as one compact
 * line; otherwise plain, aligned text for people. Every string that came
 * from the node goes through out_sanitize before it reaches a terminal. */
#ifndef MPOOL_CLIENT_OUT_H
#define MPOOL_CLIENT_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>

/* The value as one compact line of JSON, keys in the node's order. */
void out_json(const json_t *v);

/* An error, as one line on stderr: "mpool: MESSAGE", or under --json
 * {"error":{"status","message"}}, status naming the exit code (cli.h):
 * error, usage, refused, not_found, unreachable. Returns exit_code. */
int out_error(int exit_code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with the message given as a va_list, and a text after it that
 * only the plain form shows (a pointer to --help). */
int out_verror(int exit_code, const char *hint, const char *fmt, va_list ap);
/* From --json on, errors come as JSON. */
void out_set_json_errors(bool on);

/* One line to stdout, with control characters replaced. */
void out_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Replaces control characters (C0, DEL and C1) with '?', in place. */
void out_sanitize(char *s);

/* Members of an object, or "" / 0 / false when missing or of another type. */
const char *out_str(const json_t *obj, const char *key);
json_int_t out_int(const json_t *obj, const char *key);
bool out_bool(const json_t *obj, const char *key);
/* s, or dash when s is empty. */
const char *out_or(const char *s, const char *dash);

/* Unix ms as "YYYY-MM-DD HH:MM" UTC, or "-" for 0. buf holds 20. */
void out_time(json_int_t ms, char *buf, size_t len);
/* Minutes as hours with one decimal: "6.5"; with sign, "+6.5" or "-6.5". */
void out_hours(json_int_t minutes, bool sign, char *buf, size_t len);
/* A JSON number (integer or real) as text, or "-". */
void out_number(const json_t *v, char *buf, size_t len);
/* A JSON array of strings joined by ", ", or "-" when empty. */
void out_join(const json_t *array, char *buf, size_t len);

/* A table of text, printed with aligned columns. */
struct table;

/* ncols column headers follow. */
struct table *table_new(size_t ncols, ...);
/* ncols cells (const char *) follow; they are copied. */
void table_row(struct table *t, ...);
/* Prints the header and rows, each line after indent. */
void table_print(const struct table *t, const char *indent);
size_t table_rows(const struct table *t);
void table_free(struct table *t);

/* Adds the row for item, the i-th element of an array. */
typedef void (*table_row_fn)(struct table *t, size_t i, const json_t *item);

/* One row per element of the array items. */
void table_add_each(struct table *t, const json_t *items, table_row_fn row);
/* Prints the title line (unless NULL) and the table, each table line after
 * indent; or, when the table has no rows, only the line empty (unless
 * NULL). Then frees the table. */
void table_finish(struct table *t, const char *title, const char *indent, const char *empty);
/* Below a paged list ("total", "next", as the node answers it): which
 * entries were shown of how many, and how to see the next page. */
void out_page(const json_t *result, size_t shown, const char *command);

#endif
