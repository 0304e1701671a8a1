/* replay: runs a fuzz target on its corpus without libFuzzer, so that any
 * compiler can check the inputs in the repository still pass.
 *
 * Usage: fuzz_NAME DIR_OR_FILE...
 * Prints one TAP line; a crash or abort() is the failure. */
#include <dirent.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Returns 0, or -1 with a message on stderr when the file cannot be read. */
static int replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;

    if (!fp || fstat(fileno(fp), &st) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (fp)
            fclose(fp);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    /* libFuzzer never passes NULL, not even for an empty input. */
    uint8_t *data = malloc(size ? size : 1);
    if (!data || fread(data, 1, size, fp) != size) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(data);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

/* Returns the number of inputs replayed, or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    long n = 0;

    if (!d) {
        fprintf(stderr, "replay: cannot open %s\n", dir);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (replay_file(path) != 0) {
            closedir(d);
            return -1;
        }
        n++;
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    const char *name = basename(argv[0]);
    long total = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;
        long n;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            n = replay_dir(argv[i]);
        else
            n = replay_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0) {
            printf("not ok - %s: cannot read %s\n", name, argv[i]);
            return 1;
        }
        total += n;
    }
    if (total == 0) {
        printf("not ok - %s: no corpus inputs found\n", name);
        return 1;
    }
    printf("ok - %s: %ld corpus inputs replayed\n", name, total);
    return 0;
}
