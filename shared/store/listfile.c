/* listfile: copy, change, check, sync, rename. */
#include "store/listfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/roster.h"

/* The section a line opens, into name; false for any other line. */
static bool section_line(const char *line, char *name, size_t len)
{
    line += strspn(line, " \t");
    if (*line != '[')
        return false;
    size_t n = strcspn(line + 1, "]\r\n");
    snprintf(name, len, "%.*s", (int)n, line + 1);
    return true;
}

/* Copies in to out without the section drop; *found says whether it was there. */
static int copy_without(FILE *in, FILE *out, const char *drop, bool *found)
{
    char line[1024], name[128];
    bool skipping = false;
    *found = false;
    while (fgets(line, sizeof line, in)) {
        if (section_line(line, name, sizeof name))
            skipping = drop && strcmp(name, drop) == 0;
        *found |= skipping;
        if (!skipping && fputs(line, out) < 0)
            return -1;
    }
    return ferror(in) ? -1 : 0;
}

static int sync_folder_of(const char *path)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return rc;
}

/* Writes the changed copy to tmp; 0, or -1 with err set. */
static int write_copy(const char *path, const char *tmp, const char *drop, const char *text,
                      char *err, size_t errlen)
{
    struct stat st;
    bool exists = stat(path, &st) == 0;
    mode_t mode = exists ? (st.st_mode & 0644) : 0644;
    FILE *in = fopen(path, "re");
    if (!in && (errno != ENOENT || drop)) {
        snprintf(err, errlen, "%s: cannot read it (%s)", path, strerror(errno));
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    /* The copy keeps the owner and group: users.ini may be readable by the
     * node's group only, and the node must still read it afterwards. */
    if (fd >= 0 && exists && fchown(fd, st.st_uid, st.st_gid) != 0) {
        snprintf(err, errlen, "%s: cannot give the copy the owner and group of %s (%s)", tmp, path,
                 strerror(errno));
        close(fd);
        if (in)
            fclose(in);
        return -1;
    }
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool found = false;
    int rc = out && (!in || copy_without(in, out, drop, &found) == 0) &&
                     (!text || fputs(text, out) >= 0) && fflush(out) == 0 && fsync(fileno(out)) == 0
                 ? 0
                 : -1;
    if (rc < 0)
        snprintf(err, errlen, "%s: cannot write it (%s); check the disk", tmp, strerror(errno));
    else if (drop && !found) {
        snprintf(err, errlen, "%s has no section [%s]; nothing changed", path, drop);
        rc = -1;
    }
    if (out)
        fclose(out);
    else if (fd >= 0)
        close(fd);
    if (in)
        fclose(in);
    return rc;
}

int listfile_change(const char *path, const char *drop, const char *text, listfile_check check,
                    char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.new", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    int rc = write_copy(path, tmp, drop, text, err, errlen);
    if (rc == 0 && check && check(tmp, err, errlen) < 0)
        rc = -1;
    if (rc == 0 && (rename(tmp, path) != 0 || sync_folder_of(path) != 0)) {
        snprintf(err, errlen, "%s: cannot replace it (%s)", path, strerror(errno));
        rc = -1;
    }
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int listfile_roster_ok(const char *path, char *err, size_t errlen)
{
    struct roster r = {0};
    if (roster_load(path, &r, err, errlen) < 0)
        return -1;
    roster_free(&r);
    return 0;
}

int listfile_users_ok(const char *path, char *err, size_t errlen)
{
    struct users u = {0};
    if (users_load(path, &u, err, errlen) < 0)
        return -1;
    users_free(&u);
    return 0;
}
