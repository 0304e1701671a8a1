/* ids: names of nodes, people and cases, and the clock. */
#ifndef MPOOL_IDS_H
#define MPOOL_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ID_MAX 64 /* longest id, with its NUL */

/* A node or user id: 1 to 63 of [a-z0-9._-], starting with a letter or digit. */
bool id_valid(const char *id);
/* "<node>:<user>", the pool-wide name of a mediator. */
bool mediator_id_valid(const char *id);
/* A new case id "<node>-<8 hex>"; out holds ID_MAX + 12. */
void case_id_new(const char *node, char *out, size_t outlen);
bool case_id_valid(const char *id);

int64_t now_ms(void);
/* "YYYY-MM-DD" (UTC midnight) to Unix ms; -1 when it is not a real date. */
int64_t date_parse_ms(const char *text);
/* Unix ms to "YYYY-MM-DD HH:MM" UTC; out holds 20. */
void time_format(int64_t ms, char *out, size_t outlen);

#endif
