/* hours: the ledger's hours of one calendar year, as the report and the
 * dashboard read them: the lines of c_hours of that year, and what
 * retention folded into c_stats for its months. */
#ifndef MPOOL_HOURS_H
#define MPOOL_HOURS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "node/node.h"

typedef void (*hours_fn)(void *ctx, const char *giver, const char *requester, int64_t minutes);

/* Calls fn once for each giver and requester with hours in year
 * ("2026"); 0 or -1. */
int hours_of_year(sqlite3 *db, const char *year, hours_fn fn, void *ctx);

/* Whether a municipality of the roster has a line in the ledger: a node
 * that only coordinates neither gives nor receives. */
bool hours_ledger_line(const struct node *n, const char *node_id);

#endif
