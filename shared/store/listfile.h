/* listfile: the administrator's changes to roster.ini and users.ini.
 *
 * A change is written to FILE.new, loaded there as the node will load it,
 * synced and renamed over FILE: the file is whole at every moment, and a
 * change that would not load is refused with the reason, FILE untouched. */
#ifndef MPOOL_LISTFILE_H
#define MPOOL_LISTFILE_H

#include <stddef.h>

/* Checks a candidate file: 0, or -1 with a one-line reason. */
typedef int (*listfile_check)(const char *path, char *err, size_t errlen);

/* Drops the section named drop (NULL: none; it must exist) and appends
 * text (NULL: none) to the file at path, which may not exist yet when
 * nothing is dropped. Returns 0, or -1 with a one-line reason. */
int listfile_change(const char *path, const char *drop, const char *text, listfile_check check,
                    char *err, size_t errlen);

/* The checks of the two kinds of file. */
int listfile_roster_ok(const char *path, char *err, size_t errlen);
int listfile_users_ok(const char *path, char *err, size_t errlen);

#endif
