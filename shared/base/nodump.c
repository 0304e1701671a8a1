/* nodump: no core file of a process that holds the node's or a person's
 * secret keys, the pool secret or people's names. */
#include "base/nodump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* A limit of 0 stays across exec, where the flag below does not. Under the
 * unit the limit is 0 already (LimitCORE=0) and setrlimit is filtered out,
 * so only a limit that is not 0 yet is set. */
static int no_core_limit(char *err, size_t errlen)
{
    struct rlimit now;
    if (getrlimit(RLIMIT_CORE, &now) == 0 && now.rlim_cur == 0 && now.rlim_max == 0)
        return 0;
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) {
        snprintf(err, errlen, "cannot set the core file limit to 0 (%s); set LimitCORE=0",
                 strerror(errno));
        return -1;
    }
    return 0;
}

int nodump_process(char *err, size_t errlen)
{
    if (no_core_limit(err, errlen) < 0)
        return -1;
    /* The flag also keeps out a debugger of the same user, which the limit
     * alone would not. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        snprintf(err, errlen, "cannot make the process undumpable (%s)", strerror(errno));
        return -1;
    }
    return 0;
}
