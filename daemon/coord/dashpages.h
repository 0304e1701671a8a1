/* dashpages: the pages of the coordinator's dashboard (node/dashboard.c
 * serves them). */
#ifndef MPOOL_DASHPAGES_H
#define MPOOL_DASHPAGES_H

#include "node/node.h"

/* The page's one stylesheet, served as /style.css (the pages' policy
 * allows styles from the dashboard itself only). */
extern const char dash_stylesheet[];

/* The page at path as HTML in *html (malloc'd), year as given in the
 * query (or NULL); returns 200, 404 for no such page, or 500. */
int dash_page(struct node *n, const char *path, const char *year, char **html);
/* The page's own name (its path, as the list of pages spells it) when
 * path is one of the pages, else NULL: the audit trail names a page by it,
 * never by the path as sent, which may hold anything. */
const char *dash_page_name(const char *path);

#endif
