/* watch: a person's notices from their node as they come (notice.list),
 * for `mpool watch` and for `mpool offer wait` without a case. */
#ifndef MPOOL_CLIENT_WATCH_H
#define MPOOL_CLIENT_WATCH_H

#include "cli.h"

/* How often the node is asked. */
#define WATCH_POLL_MS 1000

/* Waits until a notice of kind (such as "offer") comes, and prints it.
 * RC_OK, RC_ERROR when timeout_s passed first, or another exit code. */
int watch_for(struct cli *cli, const char *kind, int timeout_s);

#endif
