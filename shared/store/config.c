/* config: mpoold.conf, and the INI reader shared with roster.c.
 *
 * Every key of the file is described once in a table: its section, how its
 * value is read, where it goes in struct config and which roles need it.
 * A key the table does not know is an error, so that a typo is reported
 * instead of silently leaving a default in force. */
#include "store/config.h"

#include "match/match.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct conf_file {
    const char *path;
    FILE *fp;
    int line;
    bool failed;
    char *err;
    size_t errlen;
    conf_handler handler;
    void *user;
};

int conf_file_error(struct conf_file *f, const char *fmt, ...)
{
    if (f->failed)
        return 0;
    f->failed = true;
    int n = snprintf(f->err, f->errlen, "%s line %d: ", f->path, f->line);
    if (n >= 0 && (size_t)n < f->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(f->err + n, f->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return 0;
}

/* fgets for inih, counting lines so that handlers can name them. Stripping
 * the indentation here keeps inih from taking an indented line for the
 * continuation of the previous value. */
static char *conf_read_line(char *buf, int size, void *stream)
{
    struct conf_file *f = stream;

    if (f->failed)
        return NULL;
    if (!fgets(buf, size, f->fp)) {
        if (ferror(f->fp))
            conf_file_error(f, "cannot read the file (%s)", strerror(errno));
        return NULL;
    }
    f->line++;
    size_t len = strlen(buf);
    if (len == (size_t)size - 1 && buf[len - 1] != '\n' && !feof(f->fp)) {
        conf_file_error(f, "the line is longer than %d characters; shorten it", size - 2);
        return NULL;
    }
    size_t indent = strspn(buf, " \t");
    if (indent > 0)
        memmove(buf, buf + indent, len - indent + 1);
    if (buf[0] == '[' && strcspn(buf + 1, "]\r\n") > CONF_SECTION_MAX) {
        conf_file_error(f, "the [section] name is longer than %d characters; shorten it",
                        CONF_SECTION_MAX);
        return NULL;
    }
    return buf;
}

static int conf_call_handler(void *user, const char *section, const char *name, const char *value)
{
    struct conf_file *f = user;
    return f->handler(f, f->user, section, name, value);
}

int conf_file_parse(const char *path, conf_handler handler, void *user, char *err, size_t errlen)
{
    struct conf_file f = {
        .path = path, .err = err, .errlen = errlen, .handler = handler, .user = user};

    f.fp = fopen(path, "re");
    if (!f.fp) {
        snprintf(err, errlen, "%s: cannot open it (%s); check the path", path, strerror(errno));
        return -1;
    }
    /* These files say who may do what: whoever may write one decides. */
    struct stat st;
    if (fstat(fileno(f.fp), &st) == 0 && (st.st_mode & 022) != 0) {
        snprintf(err, errlen, "%s is writable by group or others (mode %04o); run chmod go-w %s",
                 path, (unsigned)(st.st_mode & 07777), path);
        fclose(f.fp);
        return -1;
    }
    int rc = ini_parse_stream(conf_read_line, &f, conf_call_handler, &f);
    fclose(f.fp);
    /* inih reports the first bad line, whether inih or a handler refused it. */
    if (rc > 0 && (!f.failed || rc < f.line)) {
        f.failed = false;
        f.line = rc;
        conf_file_error(&f, "not a 'key = value' line nor a [section] header; fix or remove it");
    } else if (rc < 0 && !f.failed) {
        snprintf(err, errlen, "%s: inih failed to parse it (error %d)", path, rc);
        return -1;
    }
    return f.failed ? -1 : 0;
}

enum kind {
    K_ID,
    K_ROLE,
    K_PATH,
    K_SECRET_PATH,
    K_ENDPOINT,
    K_KEY,
    K_LEVEL,
    K_COUNT,
    K_INT64,
    K_TEXT,
    K_EMAIL,
    K_SMTP_URL,
    K_TLS,
    K_WORDS,
    K_HOSTPORT
};

/* Which nodes need a key: */
#define NEED_ALL         1
#define NEED_MEMBER      2
#define NEED_COORDINATOR 4

struct key_spec {
    const char *section;
    const char *name;
    enum kind kind;
    size_t offset;
    size_t size;
    int need;
    int64_t min, max, scale; /* numbers only */
    const char *want;        /* what to set it to, for messages */
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct key_spec keys[] = {
    {"node", "id", K_ID, FIELD(node_id), NEED_ALL, 0, 0, 0, "this node's id in the roster"},
    {"node", "role", K_ROLE, 0, 0, NEED_ALL, 0, 0, 0,
     "member, coordinator, or \"member, coordinator\""},
    {"node", "database", K_PATH, FIELD(database), NEED_ALL, 0, 0, 0,
     "the path of the node's SQLite database"},
    {"node", "keys", K_SECRET_PATH, FIELD(keys_file), NEED_ALL, 0, 0, 0,
     "the node key file written by `mpoold keygen`, or credential:NAME"},
    {"node", "pool_secret", K_SECRET_PATH, FIELD(pool_secret_file), NEED_MEMBER, 0, 0, 0,
     "the pool secret file shared by the member nodes, or credential:NAME"},
    {"node", "roster", K_PATH, FIELD(roster_file), NEED_ALL, 0, 0, 0,
     "the path of the pool's roster.ini"},
    {"node", "users", K_PATH, FIELD(users_file), NEED_ALL, 0, 0, 0,
     "the path of this node's users.ini"},
    {"node", "clients", K_ENDPOINT, FIELD(clients_endpoint), NEED_ALL, 0, 0, 0,
     "the endpoint mpool connects to, such as tcp://127.0.0.1:7101"},
    {"node", "log_level", K_LEVEL, 0, 0, 0, 0, 0, 0, "error, warn, info or debug"},
    {"coordinator", "endpoint", K_ENDPOINT, FIELD(coord_endpoint), NEED_MEMBER, 0, 0, 0,
     "the coordinator's ROUTER endpoint, such as tcp://coord.example:7001"},
    {"coordinator", "events", K_ENDPOINT, FIELD(coord_events), NEED_MEMBER, 0, 0, 0,
     "the coordinator's PUB endpoint, such as tcp://coord.example:7002"},
    {"coordinator", "curve_key", K_KEY, FIELD(coord_curve_pk), NEED_MEMBER, 0, 0, 0,
     "the coordinator's CURVE public key from its `mpoold keygen` output"},
    {"coordinator", "sign_key", K_KEY, FIELD(coord_sign_pk), NEED_MEMBER, 0, 0, 0,
     "the coordinator's signing public key from its `mpoold keygen` output"},
    {"coordinator", "bind", K_ENDPOINT, FIELD(coord_bind), NEED_COORDINATOR, 0, 0, 0,
     "the endpoint the coordinator's ROUTER binds, such as tcp://*:7001"},
    {"coordinator", "events_bind", K_ENDPOINT, FIELD(coord_events_bind), NEED_COORDINATOR, 0, 0, 0,
     "the endpoint the coordinator's PUB binds, such as tcp://*:7002"},
    {"pool", "shortlist_size", K_COUNT, FIELD(shortlist_size), 0, 1, 20, 1,
     "a whole number from 1 to 20"},
    {"pool", "offer_expiry", K_INT64, FIELD(offer_expiry_ms), 0, 1, 31536000, 1000,
     "a number of seconds from 1 to 31536000"},
    {"pool", "stuck_after", K_INT64, FIELD(stuck_after_ms), 0, 1, 31536000, 1000,
     "a number of seconds from 1 to 31536000"},
    {"pool", "retry", K_INT64, FIELD(retry_ms), 0, 1, 3600000, 1,
     "a number of milliseconds from 1 to 3600000"},
    {"pool", "max_message", K_INT64, FIELD(max_message), 0, 262144, 67108864, 1,
     "a number of bytes from 262144 to 67108864"},
    {"pool", "domains", K_WORDS, 0, 'd', 0, 0, 0, 0,
     "a comma-separated list of lower-case words, such as labour, citizen"},
    {"pool", "languages", K_WORDS, 0, 'l', 0, 0, 0, 0,
     "a comma-separated list of lower-case language codes, such as nl, en"},
    {"pool", "journal_retention", K_INT64, FIELD(journal_retention_ms), 0, 1, 315360000, 1000,
     "a number of seconds from 1 to 315360000"},
    {"match", "distance_per_km", K_INT64, FIELD(weights.distance_per_km), 0, 0, 1000000, 1,
     "a whole number from 0 to 1000000"},
    {"match", "specialty_miss", K_INT64, FIELD(weights.specialty_miss), 0, 0, 1000000000, 1,
     "a whole number from 0 to 1000000000"},
    {"match", "balance_per_hour", K_INT64, FIELD(weights.balance_per_hour), 0, 0, 1000000, 1,
     "a whole number from 0 to 1000000"},
    {"match", "load_step", K_INT64, FIELD(weights.load_step), 0, 0, 1000000, 1,
     "a whole number from 0 to 1000000"},
    {"match", "recent_requester", K_INT64, FIELD(weights.recent_requester), 0, 0, 1000000000, 1,
     "a whole number from 0 to 1000000000"},
    {"match", "needs_cases_bonus", K_INT64, FIELD(weights.needs_cases_bonus), 0, 0, 1000000000, 1,
     "a whole number from 0 to 1000000000"},
    {"match", "unassigned", K_INT64, FIELD(weights.unassigned), 0, 1, 1000000000000, 1,
     "a whole number from 1 to 1000000000000"},
    {"match", "deadline_per_day", K_INT64, FIELD(weights.deadline_per_day), 0, 0, 1000000000, 1,
     "a whole number from 0 to 1000000000"},
    {"match", "deadline_horizon", K_INT64, FIELD(weights.deadline_horizon), 0, 0, 3650, 1,
     "a number of days from 0 to 3650"},
    {"match", "max_distance_km", K_INT64, FIELD(max_distance_km), 0, 0, 20000, 1,
     "a number of kilometres from 0 (no limit) to 20000"},
    {"match", "recent_days", K_INT64, FIELD(recent_days), 0, 1, 3650, 1,
     "a number of days from 1 to 3650"},
    {"match", "availability", K_INT64, FIELD(check_availability), 0, 0, 1, 1,
     "1 to honour mediators' availability windows, 0 to ignore them"},
    {"retention", "narrative", K_INT64, FIELD(retention.narrative_ms), 0, 0, 36500, 86400000,
     "a number of days from 0 to 36500 after a case ended"},
    {"retention", "labels", K_INT64, FIELD(retention.labels_ms), 0, 0, 36500, 86400000,
     "a number of days from 0 to 36500 after a case ended"},
    {"retention", "case", K_INT64, FIELD(retention.case_ms), 0, 0, 36500, 86400000,
     "a number of days from 0 to 36500 after a case ended"},
    {"retention", "audit", K_INT64, FIELD(retention.audit_ms), 0, 1, 36500, 86400000,
     "a number of days from 1 to 36500 after a row was written"},
    {"dashboard", "bind", K_HOSTPORT, FIELD(dashboard.bind), 0, 0, 0, 0,
     "an IPv4 address and port, such as 127.0.0.1:8443"},
    {"dashboard", "url", K_TEXT, FIELD(dashboard.url), 0, 0, 0, 0,
     "the address browsers use, such as https://pool.example.nl:8443"},
    {"dashboard", "cert", K_PATH, FIELD(dashboard.cert), 0, 0, 0, 0,
     "the path of the dashboard's TLS certificate (PEM)"},
    {"dashboard", "key", K_SECRET_PATH, FIELD(dashboard.key), 0, 0, 0, 0,
     "the path of the dashboard's TLS key (PEM), or credential:NAME"},
    {"dashboard", "session", K_INT64, FIELD(dashboard.session_ms), 0, 1, 86400, 1000,
     "a number of seconds from 1 to 86400"},
    {"retention", "coordinator", K_INT64, FIELD(retention.coordinator_ms), 0, 0, 36500, 86400000,
     "a number of days from 0 to 36500 after a case ended"},
    {"mail", "smtp_url", K_SMTP_URL, FIELD(mail.url), 0, 0, 0, 0,
     "the SMTP server as smtp://host:587 or smtps://host:465"},
    {"mail", "from", K_EMAIL, FIELD(mail.from), 0, 0, 0, 0,
     "the address the node's mail comes from, such as mediatorpool@example.nl"},
    {"mail", "user", K_TEXT, FIELD(mail.user), 0, 0, 0, 0, "the SMTP server's user name"},
    {"mail", "password", K_SECRET_PATH, FIELD(mail.password_file), 0, 0, 0, 0,
     "a file (mode 0600) holding the SMTP password, or credential:NAME"},
    {"mail", "starttls", K_TLS, FIELD(mail.starttls), 0, 0, 0, 0,
     "required, or off for a server on loopback"},
    {"mail", "ca_file", K_PATH, FIELD(mail.ca_file), 0, 0, 0, 0,
     "a PEM file of the certificates that may sign the SMTP server's"},
};

#define NKEYS (sizeof keys / sizeof keys[0])

struct loader {
    struct config cfg;
    char dir[PATH_MAX]; /* the configuration file's folder, absolute */
    bool seen[NKEYS];
};

static void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->log_level = LL_INFO;
    cfg->shortlist_size = 3;
    cfg->offer_expiry_ms = 172800 * 1000LL;
    cfg->stuck_after_ms = 604800 * 1000LL;
    cfg->retry_ms = 1000;
    cfg->max_message = 1048576;
    cfg->journal_retention_ms = 2592000 * 1000LL;
    match_weights_default(&cfg->weights);
    cfg->recent_days = 90;
    cfg->check_availability = 1;
    cfg->retention.narrative_ms = 0;
    cfg->retention.labels_ms = 365 * 86400000LL;
    cfg->retention.case_ms = 730 * 86400000LL;
    cfg->retention.coordinator_ms = 730 * 86400000LL;
    cfg->retention.audit_ms = 1825 * 86400000LL;
    cfg->mail.starttls = 1;
    cfg->dashboard.session_ms = 3600000;
    vocabulary_default(&cfg->vocabulary);
}

static bool word_matches(const char *s, size_t len, const char *word)
{
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return len == strlen(word) && strncmp(s, word, len) == 0;
}

static bool parse_node_role(const char *text, bool *member, bool *coordinator)
{
    *member = *coordinator = false;
    for (const char *p = text;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (word_matches(p, len, "member"))
            *member = true;
        else if (word_matches(p, len, "coordinator"))
            *coordinator = true;
        else
            return false;
        if (!comma)
            return true;
        p = comma + 1;
    }
}

/* Whole decimal numbers only: no sign, no blanks, no units, no hex. */
static bool parse_number(const char *text, int64_t min, int64_t max, int64_t *out)
{
    if (!isdigit((unsigned char)text[0]))
        return false;
    errno = 0;
    char *end;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max)
        return false;
    *out = n;
    return true;
}

static int set_path(struct conf_file *f, const struct loader *ld, const struct key_spec *k,
                    const char *value, char *dst)
{
    int n;

    if (value[0] == '\0')
        return conf_file_error(f, "[%s] %s is empty; set it to %s", k->section, k->name, k->want);
    if (value[0] == '/')
        n = snprintf(dst, k->size, "%s", value);
    else
        n = snprintf(dst, k->size, "%s/%s", ld->dir, value);
    if (n < 0 || (size_t)n >= k->size)
        return conf_file_error(f, "[%s] %s: the path is longer than %zu characters; shorten it",
                               k->section, k->name, k->size - 1);
    return 1;
}

/* "credential:NAME" is systemd's credential NAME: the file NAME in
 * $CREDENTIALS_DIRECTORY, or mpoold_NAME there, as the unit's
 * LoadCredential=mpoold:DIR names the files of DIR. Outside systemd, the
 * file NAME in the folder "credentials" beside the configuration, which
 * is that DIR in the layout `mpoold init` writes. */
static int set_secret_path(struct conf_file *f, const struct loader *ld, const struct key_spec *k,
                           const char *value, char *dst)
{
    static const char prefix[] = "credential:";

    if (strncmp(value, prefix, sizeof prefix - 1) != 0)
        return set_path(f, ld, k, value, dst);
    const char *name = value + sizeof prefix - 1;
    if (name[0] == '\0' || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return conf_file_error(f,
                               "[%s] %s = %s: not a credential name; give the name used in "
                               "LoadCredential=",
                               k->section, k->name, value);
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    int n;
    if (!dir || dir[0] == '\0') {
        n = snprintf(dst, k->size, "%s/credentials/%s", ld->dir, name);
    } else {
        n = snprintf(dst, k->size, "%s/mpoold_%s", dir, name);
        if (n >= 0 && (size_t)n < k->size && access(dst, F_OK) != 0)
            n = snprintf(dst, k->size, "%s/%s", dir, name);
    }
    if (n < 0 || (size_t)n >= k->size)
        return conf_file_error(f, "[%s] %s: the credential path is longer than %zu characters",
                               k->section, k->name, k->size - 1);
    return 1;
}

static int set_text(struct conf_file *f, const struct key_spec *k, const char *value, char *dst)
{
    size_t len = strlen(value);

    if (len == 0)
        return conf_file_error(f, "[%s] %s is empty; set it to %s", k->section, k->name, k->want);
    if (len >= k->size)
        return conf_file_error(f, "[%s] %s is longer than %zu characters; set it to %s", k->section,
                               k->name, k->size - 1, k->want);
    memcpy(dst, value, len + 1);
    return 1;
}

static int set_number(struct conf_file *f, const struct key_spec *k, const char *value, char *dst)
{
    int64_t n;

    if (!parse_number(value, k->min, k->max, &n))
        return conf_file_error(f, "[%s] %s = '%s' is out of range or not a number; set it to %s",
                               k->section, k->name, value, k->want);
    if (k->kind == K_COUNT) {
        unsigned u = (unsigned)n;
        memcpy(dst, &u, sizeof u);
    } else {
        n *= k->scale;
        memcpy(dst, &n, sizeof n);
    }
    return 1;
}

/* A list replaces the default one of its kind; k->size says which. */
static int set_words(struct conf_file *f, struct loader *ld, const struct key_spec *k,
                     const char *value)
{
    char kind = (char)k->size, copy[512];
    struct vocabulary *v = &ld->cfg.vocabulary;
    *(kind == 'd' ? &v->n_domains : &v->n_languages) = 0;
    snprintf(copy, sizeof copy, "%s", value);
    char *save = NULL;
    for (char *w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save))
        if (!vocabulary_add(v, kind, w))
            return conf_file_error(f,
                                   "[%s] %s: '%s' is not a word for it, or there are more "
                                   "than %d; set it to %s",
                                   k->section, k->name, w, VOCABULARY_MAX, k->want);
    if ((kind == 'd' ? v->n_domains : v->n_languages) == 0)
        return conf_file_error(f, "[%s] %s is empty; set it to %s", k->section, k->name, k->want);
    return 1;
}

static int set_value(struct conf_file *f, struct loader *ld, const struct key_spec *k,
                     const char *value)
{
    char *dst = (char *)&ld->cfg + k->offset;

    switch (k->kind) {
    case K_ID:
        if (!id_valid(value))
            return conf_file_error(f,
                                   "[%s] %s = '%s' is not a valid id; use 1 to 63 of a-z, 0-9, "
                                   "'.', '_' and '-', starting with a letter or digit",
                                   k->section, k->name, value);
        return set_text(f, k, value, dst);
    case K_ROLE:
        if (!parse_node_role(value, &ld->cfg.member, &ld->cfg.coordinator))
            return conf_file_error(f, "[%s] %s = '%s' is not a role; set it to %s", k->section,
                                   k->name, value, k->want);
        return 1;
    case K_PATH:
        return set_path(f, ld, k, value, dst);
    case K_SECRET_PATH:
        return set_secret_path(f, ld, k, value, dst);
    case K_ENDPOINT:
        return set_text(f, k, value, dst);
    case K_KEY:
        if (key_from_z85(value, (uint8_t *)dst, KEY_LEN) != 0)
            return conf_file_error(f, "[%s] %s is not a %d-character Z85 key; copy %s", k->section,
                                   k->name, Z85_KEY_LEN, k->want);
        return 1;
    case K_LEVEL:
        if (log_level_parse(value, &ld->cfg.log_level) != 0)
            return conf_file_error(f, "[%s] %s = '%s' is not a log level; set it to %s", k->section,
                                   k->name, value, k->want);
        return 1;
    case K_COUNT:
    case K_INT64:
        return set_number(f, k, value, dst);
    case K_TEXT:
        return set_text(f, k, value, dst);
    case K_EMAIL:
        if (!email_valid(value))
            return conf_file_error(f, "[%s] %s = '%s' is not a plain address; set it to %s",
                                   k->section, k->name, value, k->want);
        return set_text(f, k, value, dst);
    case K_SMTP_URL:
        /* No user:password@ in it: credentials go in user and password,
         * and the host is then the first thing after "//". */
        if ((strncmp(value, "smtp://", 7) != 0 && strncmp(value, "smtps://", 8) != 0) ||
            !text_ok(value, k->size - 1) || strpbrk(value, " \t@"))
            return conf_file_error(f, "[%s] %s = '%s' is not an SMTP URL; set it to %s", k->section,
                                   k->name, value, k->want);
        return set_text(f, k, value, dst);
    case K_WORDS:
        return set_words(f, ld, k, value);
    case K_HOSTPORT: {
        unsigned a, b, c, d, port;
        char rest;
        if (sscanf(value, "%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &rest) != 5 || a > 255 ||
            b > 255 || c > 255 || d > 255 || port == 0 || port > 65535 || strlen(value) >= k->size)
            return conf_file_error(f, "[%s] %s = '%s' is not an address and port; set it to %s",
                                   k->section, k->name, value, k->want);
        return set_text(f, k, value, dst);
    }
    case K_TLS: {
        int64_t on = strcmp(value, "required") == 0 ? 1 : strcmp(value, "off") == 0 ? 0 : -1;
        if (on < 0)
            return conf_file_error(f, "[%s] %s = '%s' is neither; set it to %s", k->section,
                                   k->name, value, k->want);
        memcpy(dst, &on, sizeof on);
        return 1;
    }
    }
    return conf_file_error(f, "[%s] %s: internal error, unknown kind", k->section, k->name);
}

static bool section_known(const char *section)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0)
            return true;
    return false;
}

static int config_handler(struct conf_file *f, void *user, const char *section, const char *name,
                          const char *value)
{
    struct loader *ld = user;

    if (strcmp(section, "deadlines") == 0) {
        char why[256];
        return periods_set(&ld->cfg.periods, name, value, why, sizeof why)
                   ? 1
                   : conf_file_error(f, "[deadlines] %s", why);
    }
    for (size_t i = 0; i < NKEYS; i++) {
        if (strcmp(keys[i].section, section) != 0 || strcmp(keys[i].name, name) != 0)
            continue;
        if (ld->seen[i])
            return conf_file_error(f, "[%s] %s is set a second time; keep one", section, name);
        ld->seen[i] = true;
        return set_value(f, ld, &keys[i], value);
    }
    if (section[0] == '\0')
        return conf_file_error(f,
                               "'%s' comes before any section; put it under [node], "
                               "[coordinator], [pool], [match], [retention], [mail], "
                               "[deadlines] or [dashboard]",
                               name);
    if (!section_known(section))
        return conf_file_error(
            f,
            "unknown section [%s]; the sections are [node], [coordinator], "
            "[pool], [match], [retention], [mail], [deadlines] and [dashboard], see "
            "docs/operations.md",
            section);
    return conf_file_error(f, "[%s] unknown key '%s'; see docs/operations.md for the keys", section,
                           name);
}

static bool key_needed(const struct loader *ld, const struct key_spec *k)
{
    return (k->need & NEED_ALL) || ((k->need & NEED_MEMBER) && ld->cfg.member) ||
           ((k->need & NEED_COORDINATOR) && ld->cfg.coordinator);
}

static int check_required(const char *path, const struct loader *ld, char *err, size_t errlen)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const struct key_spec *k = &keys[i];
        if (ld->seen[i] || !key_needed(ld, k))
            continue;
        const char *who = (k->need & NEED_ALL)      ? "every node"
                          : (k->need & NEED_MEMBER) ? "a member node"
                                                    : "a coordinator node";
        snprintf(err, errlen, "%s: [%s] %s is missing, and %s needs it; set it to %s", path,
                 k->section, k->name, who, k->want);
        return -1;
    }
    return 0;
}

static bool seen_key(const struct loader *ld, const char *section, const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (ld->seen[i] && strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return true;
    return false;
}

/* The host of an smtp:// URL is on loopback: plain text never leaves the
 * machine. */
static bool smtp_on_loopback(const char *url)
{
    static const char *const hosts[] = {"127.0.0.1", "localhost", "[::1]"};
    const char *host = strstr(url, "://") + 3;
    size_t len = strcspn(host, ":/");
    if (host[0] == '[')
        len = strcspn(host, "]") + 1;
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++)
        if (len == strlen(hosts[i]) && strncmp(host, hosts[i], len) == 0)
            return true;
    return false;
}

/* Whether the file set any key of section. */
static bool section_seen(const struct loader *ld, const char *section)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (ld->seen[i] && strcmp(keys[i].section, section) == 0)
            return true;
    return false;
}

/* [mail] is all or nothing: a server and a sender, a user with a password. */
static int check_mail(const char *path, const struct loader *ld, char *err, size_t errlen)
{
    const struct mail_settings *m = &ld->cfg.mail;
    const char *problem = NULL;
    if (!section_seen(ld, "mail"))
        return 0;
    if (!m->url[0] || !m->from[0])
        problem = "[mail] needs smtp_url and from; set both, or remove [mail] to send no mail";
    else if (!m->user[0] != !m->password_file[0])
        problem = "[mail] user and password go together; set both, or neither";
    else if (!m->starttls && strncmp(m->url, "smtp://", 7) == 0 && !smtp_on_loopback(m->url))
        problem = "[mail] starttls = off sends passwords and mail in the clear; it is only for "
                  "a server on loopback: set starttls = required";
    else if (seen_key(ld, "mail", "ca_file") && strncmp(m->url, "smtps://", 8) != 0 && !m->starttls)
        problem = "[mail] ca_file is set but the mail goes without TLS; remove it or set "
                  "starttls = required";
    if (!problem)
        return 0;
    snprintf(err, errlen, "%s: %s", path, problem);
    return -1;
}

/* [dashboard]: any of its keys turns it on, at a coordinator only; TLS
 * needs both cert and key, and without TLS it listens on loopback only. */
static int check_dashboard(const char *path, struct loader *ld, char *err, size_t errlen)
{
    struct dashboard_settings *d = &ld->cfg.dashboard;
    if (!section_seen(ld, "dashboard"))
        return 0;
    if (!d->bind[0])
        snprintf(d->bind, sizeof d->bind, "127.0.0.1:8443");
    const char *problem = NULL;
    if (!ld->cfg.coordinator)
        problem = "[dashboard] is the coordinator's: remove it from a member-only node";
    else if (!d->cert[0] != !d->key[0])
        problem = "[dashboard] cert and key go together; set both for HTTPS";
    else if (!d->cert[0] && strncmp(d->bind, "127.", 4) != 0)
        problem = "[dashboard] without cert and key serves plain HTTP, which is only for "
                  "loopback: set bind = 127.0.0.1:PORT, or give cert and key";
    else if (d->url[0] &&
             (strncmp(d->url, d->cert[0] ? "https://" : "http://", d->cert[0] ? 8 : 7) != 0 ||
              strpbrk(d->url + 8, "/?#@ ") != NULL))
        problem = "[dashboard] url is where browsers reach the dashboard, such as "
                  "https://pool.example.nl:8443 (https with cert and key), without a path";
    else if (!d->url[0] && strncmp(d->bind, "0.0.0.0:", 8) == 0)
        problem = "[dashboard] bind = 0.0.0.0 needs url, the address browsers use, such as "
                  "https://pool.example.nl:8443: the sign-in links are made with it";
    if (!problem)
        return 0;
    snprintf(err, errlen, "%s: %s", path, problem);
    return -1;
}

/* Relative paths in the file are taken from the file's own folder, made
 * absolute so that they survive a change of working directory. */
static int config_folder(const char *path, char dir[PATH_MAX], char *err, size_t errlen)
{
    char copy[PATH_MAX];

    if (snprintf(copy, sizeof copy, "%s", path) >= (int)sizeof copy) {
        snprintf(err, errlen, "%s: the path is too long; use a shorter one", path);
        return -1;
    }
    if (!realpath(dirname(copy), dir)) {
        snprintf(err, errlen, "%s: cannot find its folder (%s); check the path", path,
                 strerror(errno));
        return -1;
    }
    return 0;
}

int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
    struct loader *ld = calloc(1, sizeof *ld);
    int rc = -1;

    if (!ld) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    config_defaults(&ld->cfg);
    if (config_folder(path, ld->dir, err, errlen) == 0 &&
        conf_file_parse(path, config_handler, ld, err, errlen) == 0 &&
        check_required(path, ld, err, errlen) == 0 && check_mail(path, ld, err, errlen) == 0 &&
        check_dashboard(path, ld, err, errlen) == 0) {
        *cfg = ld->cfg;
        rc = 0;
    }
    free(ld);
    return rc;
}
