/* fuzz_config: mpoold.conf, roster.ini and users.ini readers.
 *
 * The readers take a path, so each input is written to a file of this
 * process first; the same bytes go to all three readers. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/config.h"
#include "store/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int write_input(const char *path, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "we");
    if (!fp)
        return -1;
    size_t n = fwrite(data, 1, size, fp);
    if (fclose(fp) != 0 || n != size) {
        unlink(path);
        return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], err[1024];
    struct config *cfg = malloc(sizeof *cfg); /* too large for a fuzzer's stack frame */
    struct roster roster;
    struct users users;

    /* Lets "credential:NAME" values reach the credential path code; the
     * readers only build paths, they open nothing but the file itself. */
    if (setenv("CREDENTIALS_DIRECTORY", "/run/credentials/mpoold.service", 0) != 0)
        abort();
    snprintf(path, sizeof path, "/tmp/fuzz_config.%ld.ini", (long)getpid());
    if (!cfg || write_input(path, data, size) != 0) {
        free(cfg);
        return 0;
    }
    (void)config_load(path, cfg, err, sizeof err);
    if (roster_load(path, &roster, err, sizeof err) == 0)
        roster_free(&roster);
    if (users_load(path, &users, err, sizeof err) == 0)
        users_free(&users);
    unlink(path);
    free(cfg);
    return 0;
}
