/* log: levelled messages to stderr.
 *
 * Under systemd, stderr goes to the journal, which adds its own time stamps;
 * the "<N>" prefix lets journald pick up the level (sd-daemon(3) convention).
 * On a terminal the line gets a time stamp and a readable level instead. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level current_level = LL_INFO;
static char tag[64] = "";

static const char *const level_names[] = {"error", "warn", "info", "debug"};
static const int syslog_prio[] = {3, 4, 6, 7};

void log_set_level(enum log_level level)
{
    current_level = level;
}

int log_level_parse(const char *name, enum log_level *out)
{
    for (int i = 0; i <= LL_DEBUG; i++) {
        if (strcmp(name, level_names[i]) == 0) {
            *out = (enum log_level)i;
            return 0;
        }
    }
    return -1;
}

void log_set_tag(const char *t)
{
    snprintf(tag, sizeof tag, "%s", t ? t : "");
}

static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    /* Never let a message span lines: one event, one line. */
    for (char *p = line; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    if (getenv("JOURNAL_STREAM")) {
        fprintf(stderr, "<%d>%s%s%s\n", syslog_prio[level], tag, *tag ? ": " : "", line);
    } else {
        char when[32];
        time_t now = time(NULL);
        struct tm tm;
        localtime_r(&now, &tm);
        strftime(when, sizeof when, "%H:%M:%S", &tm);
        fprintf(stderr, "%s %-5s %s%s%s\n", when, level_names[level], tag, *tag ? ": " : "", line);
    }
}

void log_msg(enum log_level level, const char *fmt, ...)
{
    if (level > current_level)
        return;
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, fmt, ap);
    va_end(ap);
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(LL_ERROR, fmt, ap);
    va_end(ap);
    abort();
}
