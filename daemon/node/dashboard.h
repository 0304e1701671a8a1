/* dashboard: the coordinator's web pages over HTTPS (libmicrohttpd),
 * driven by the node's loop. See docs/guide-coordinator.md. */
#ifndef MPOOL_DASHBOARD_H
#define MPOOL_DASHBOARD_H

#include <stddef.h>

#include "node/node.h"

/* Whether [dashboard]'s certificate and key can be read (mpoold check). */
int dashboard_check(const struct config *cfg, char *err, size_t errlen);
/* Starts serving when [dashboard] asks for it; 0, or -1 with why in err. */
int dashboard_open(struct node *n, char *err, size_t errlen);
void dashboard_close(struct node *n);
/* The descriptor to wait on (an epoll set), or -1 when there is none. */
int dashboard_fd(const struct node *n);
/* Serves what is ready; never blocks. */
void dashboard_run(struct node *n);
/* wait_ms, or less when libmicrohttpd has a timeout due sooner. */
long dashboard_timeout(const struct node *n, long wait_ms);

#endif
