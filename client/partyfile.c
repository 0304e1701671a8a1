/* partyfile: names from a file or standard input, so that they never
 * reach argv. */
#include "partyfile.h"

#include "base/ids.h"
#include "out.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Standard input can be read once only. */
static bool stdin_used;

/* Reads the whole of path into buf (PARTYFILE_MAX + 1 bytes), NUL ended;
 * false after saying what is wrong. */
static bool read_all(const struct args *a, const char *flag, const char *path, char *buf)
{
    bool from_stdin = strcmp(path, "-") == 0;
    if (from_stdin && stdin_used) {
        args_fail(a, "%s -: standard input was read already; give - once", flag);
        return false;
    }
    stdin_used |= from_stdin;
    FILE *f = from_stdin ? stdin : fopen(path, "re");
    if (!f) {
        args_fail(a, "%s: cannot read %s (%s)", flag, path, strerror(errno));
        return false;
    }
    size_t len = fread(buf, 1, PARTYFILE_MAX + 1, f);
    bool failed = ferror(f) != 0;
    if (!from_stdin)
        fclose(f);
    buf[len < PARTYFILE_MAX ? len : PARTYFILE_MAX] = '\0';
    if (failed)
        args_fail(a, "%s: cannot read %s", flag, from_stdin ? "standard input" : path);
    else if (len > PARTYFILE_MAX)
        args_fail(a, "%s: %s is larger than %d bytes; give one name a line", flag,
                  from_stdin ? "standard input" : path, PARTYFILE_MAX);
    else if (memchr(buf, '\0', len))
        args_fail(a, "%s: %s holds a NUL byte; save it as plain UTF-8 text", flag,
                  from_stdin ? "standard input" : path);
    return !failed && len <= PARTYFILE_MAX && !memchr(buf, '\0', len);
}

/* The next line of *at without its line break, NULL at the end. */
static char *next_line(char **at)
{
    char *line = *at;
    if (!line || !*line)
        return NULL;
    char *nl = strchr(line, '\n');
    *at = nl ? nl + 1 : NULL;
    if (nl)
        *nl = '\0';
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
    return line;
}

/* The names are personal data: the buffer is wiped before it is freed. */
static char *buffer_new(void)
{
    char *buf = malloc(PARTYFILE_MAX + 1);
    if (!buf)
        out_error(RC_ERROR, "out of memory");
    return buf;
}

static void buffer_free(char *buf)
{
    sodium_memzero(buf, PARTYFILE_MAX + 1);
    free(buf);
}

bool partyfile_parties(const struct args *a, const char *flag, const char *path, json_t *parties)
{
    char *buf = buffer_new();
    bool ok = buf && read_all(a, flag, path, buf);
    char *at = buf, *line;
    while (ok && (line = next_line(&at)) != NULL) {
        if (!*line)
            continue;
        json_t *party = args_party(a, flag, line);
        ok = party && json_array_append_new(parties, party) == 0;
    }
    if (buf)
        buffer_free(buf);
    return ok;
}

char *partyfile_name(const struct args *a, const char *flag, const char *path)
{
    char *buf = buffer_new(), *name = NULL;
    if (buf && read_all(a, flag, path, buf)) {
        char *at = buf, *line, *first = NULL;
        int count = 0;
        while ((line = next_line(&at)) != NULL)
            if (*line && count++ == 0)
                first = line;
        if (count != 1)
            args_fail(a, "%s: %s must hold one name on one line, not %d", flag,
                      strcmp(path, "-") == 0 ? "standard input" : path, count);
        else if (args_text(a, flag, first) && !(name = strdup(first)))
            out_error(RC_ERROR, "out of memory");
    }
    if (buf)
        buffer_free(buf);
    return name;
}

json_t *partyfile_argv_party(const struct args *a, const char *flag, const char *text)
{
    /* A bare word that is no municipality id is most likely a name: it is
     * not echoed, and the way to give it is named. */
    if (!strchr(text, ':') && !id_valid(text)) {
        args_fail(a,
                  "%s is not a municipality id; a person's or unit's name goes in a file, one "
                  "person:NAME or unit:NAME a line, given with --parties FILE (or --parties - "
                  "for standard input), never on the command line",
                  flag);
        return NULL;
    }
    if (strncmp(text, "person:", 7) == 0 || strncmp(text, "unit:", 5) == 0) {
        args_fail(a,
                  "%s: a person's or unit's name must not be on the command line, where ps and "
                  "the shell's history show it; put it in a file, one KIND:NAME a line, and give "
                  "--parties FILE, or --parties - to give it on standard input",
                  flag);
        return NULL;
    }
    return args_party(a, flag, text);
}
