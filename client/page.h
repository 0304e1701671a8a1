/* page: --limit N and --after N of the commands that list, and the line
 * that points to the next page (out_page). */
#ifndef MPOOL_CLIENT_PAGE_H
#define MPOOL_CLIENT_PAGE_H

#include <jansson.h>
#include <stdbool.h>

#include "args.h"

/* Flag keys above every command's own. */
#define PAGE_F_LIMIT 90
#define PAGE_F_AFTER 91
/* The two flags for a table, `what` naming the entries ("offers"). */
#define PAGE_FLAGS(what)                                                                           \
    {PAGE_F_LIMIT, "limit", "N", "at most N " what " (default 200, at most 1000)"},                \
    {                                                                                              \
        PAGE_F_AFTER, "after", "N", "the " what " after the first N (the next page)"               \
    }

struct page_opts {
    long limit, after; /* 0: the node's default */
};

/* For a flag callback: true when key is a page flag, with *ok saying
 * whether its value was good. */
bool page_flag(struct args *a, struct page_opts *p, int key, bool *ok);
/* Adds "limit" and "after" to args when they were given. */
void page_args(json_t *args, const struct page_opts *p);

#endif
