/* partyfile: the names of persons and units read from a file or standard
 * input, never from mpool's command line, where ps, /proc and the shell's
 * history show them to anyone on the machine. */
#ifndef MPOOL_PARTYFILE_H
#define MPOOL_PARTYFILE_H

#include <jansson.h>
#include <stdbool.h>

#include "args.h"

/* The most a file of names may hold, in bytes. */
#define PARTYFILE_MAX 16384

/* Appends to parties one party for each line of path ("-": standard
 * input), written KIND:NAME as for --party; blank lines are skipped.
 * false after saying what is wrong (flag names the flag in messages). */
bool partyfile_parties(const struct args *a, const char *flag, const char *path, json_t *parties);

/* The one name in path ("-": standard input), for a look-up by name; a
 * new string the caller frees with free(), or NULL after saying why. */
char *partyfile_name(const struct args *a, const char *flag, const char *path);

/* A party given on the command line: a municipality only (a bare ID or
 * municipality:ID). A person or unit is refused with the way to give it. */
json_t *partyfile_argv_party(const struct args *a, const char *flag, const char *text);

#endif
