/* nodump: keep a process that holds secrets out of core dumps and out of
 * reach of debuggers run by the same user. */
#ifndef MPOOL_NODUMP_H
#define MPOOL_NODUMP_H

#include <stddef.h>

/* Makes the process not dumpable (PR_SET_DUMPABLE 0: no core file, no
 * ptrace by the same user, /proc/PID/mem and environ owned by root) and
 * sets its core file limit to 0. Returns 0, or -1 with err set. */
int nodump_process(char *err, size_t errlen);

#endif
