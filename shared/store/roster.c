/* roster: roster.ini (the pool's nodes) and users.ini (a node's people).
 *
 * Both files are read with the INI reader of config.c into a fresh list,
 * checked whole, and only then handed to the caller, so that a reload with
 * a broken file leaves the list in force untouched.
 *
 * While a file is read, a field still at its initial value (empty name,
 * NaN coordinate, zero key or role) is one the file has not set: that is how
 * a key given twice and a key missing are both found without extra state. */
#include "store/roster.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/config.h"

#define KEY_HINT "copy it from the node's `mpoold keygen` output"
#define ID_HINT  "use 1 to 63 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit"

static const char *const role_names[] = {"hr",    "mediator", "coordinator",
                                         "admin", "auditor",  "privacy"};
#define ROLE_COUNT (sizeof role_names / sizeof role_names[0])
#define ROLE_ALL   ((1u << ROLE_COUNT) - 1)
_Static_assert(ROLE_HR == 1 && ROLE_MEDIATOR == 2 && ROLE_COORDINATOR == 4 && ROLE_ADMIN == 8 &&
                   ROLE_AUDITOR == 16 && ROLE_PRIVACY == 32,
               "role_names is in the order of the role bits");

/* Makes room for one more item of size bytes in *items. */
static int grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

/* Checks a [section] name as the id of a new entry. */
static int check_new_id(struct conf_file *f, const char *section, const char *key, bool taken)
{
    if (section[0] == '\0')
        return conf_file_error(f, "'%s' comes before any [id] section; start with one", key);
    if (!id_valid(section))
        return conf_file_error(f, "[%s] is not a valid id; " ID_HINT, section);
    if (taken)
        return conf_file_error(f, "[%s] appears a second time; merge the two sections", section);
    return 1;
}

static int set_key(struct conf_file *f, const char *section, const char *name, const char *value,
                   uint8_t key[KEY_LEN], const char *hint)
{
    uint8_t parsed[KEY_LEN];

    if (!sodium_is_zero(key, KEY_LEN))
        return conf_file_error(f, "[%s] %s is set a second time; keep one", section, name);
    if (key_from_z85(value, parsed, KEY_LEN) != 0)
        return conf_file_error(f, "[%s] %s is not a %d-character Z85 key; %s", section, name,
                               Z85_KEY_LEN, hint);
    if (sodium_is_zero(parsed, KEY_LEN))
        return conf_file_error(f, "[%s] %s is all zeros, not a real key; %s", section, name, hint);
    memcpy(key, parsed, KEY_LEN);
    return 1;
}

/* Decimal degrees, strictly: no blanks, no units, nothing after the number. */
static bool parse_degrees(const char *text, double limit, double *out)
{
    if (text[0] == '\0' || !strchr("+-.0123456789", text[0]))
        return false;
    errno = 0;
    char *end;
    double d = strtod(text, &end);
    if (errno != 0 || *end != '\0' || !isfinite(d) || d < -limit || d > limit)
        return false;
    *out = d;
    return true;
}

static int set_degrees(struct conf_file *f, const char *section, const char *name,
                       const char *value, double limit, double *dst)
{
    if (!isnan(*dst))
        return conf_file_error(f, "[%s] %s is set a second time; keep one", section, name);
    if (!parse_degrees(value, limit, dst))
        return conf_file_error(f,
                               "[%s] %s = '%s' is not a number of degrees from %g to %g; "
                               "write it like 52.0894",
                               section, name, value, -limit, limit);
    return 1;
}

static int set_name(struct conf_file *f, const char *section, const char *value, char *dst,
                    size_t size)
{
    size_t len = strlen(value);

    if (dst[0] != '\0')
        return conf_file_error(f, "[%s] name is set a second time; keep one", section);
    if (len == 0 || len >= size)
        return conf_file_error(f, "[%s] name must have 1 to %zu characters; shorten it", section,
                               size - 1);
    memcpy(dst, value, len + 1);
    return 1;
}

struct roster_loader {
    struct roster list;
    size_t cap;
};

/* The node a key belongs to: the last one, or a new one when its section
 * starts here. NULL after an error. */
static struct roster_node *roster_section(struct conf_file *f, struct roster_loader *ld,
                                          const char *section, const char *key)
{
    struct roster *r = &ld->list;

    if (r->count > 0 && strcmp(r->nodes[r->count - 1].id, section) == 0)
        return &r->nodes[r->count - 1];
    if (!check_new_id(f, section, key, roster_find(r, section) != NULL))
        return NULL;
    if (grow((void **)&r->nodes, &ld->cap, r->count, sizeof *r->nodes) != 0) {
        conf_file_error(f, "out of memory");
        return NULL;
    }
    struct roster_node *n = &r->nodes[r->count++];
    memset(n, 0, sizeof *n);
    snprintf(n->id, sizeof n->id, "%s", section);
    n->lat = n->lon = NAN;
    return n;
}

static int roster_handler(struct conf_file *f, void *user, const char *section, const char *name,
                          const char *value)
{
    struct roster_node *n = roster_section(f, user, section, name);

    if (!n)
        return 0;
    if (strcmp(name, "name") == 0)
        return set_name(f, section, value, n->name, sizeof n->name);
    if (strcmp(name, "lat") == 0)
        return set_degrees(f, section, name, value, 90, &n->lat);
    if (strcmp(name, "lon") == 0)
        return set_degrees(f, section, name, value, 180, &n->lon);
    if (strcmp(name, "curve_key") == 0)
        return set_key(f, section, name, value, n->curve_pk, KEY_HINT);
    if (strcmp(name, "sign_key") == 0)
        return set_key(f, section, name, value, n->sign_pk, KEY_HINT);
    return conf_file_error(f,
                           "[%s] unknown key '%s'; the keys are name, lat, lon, curve_key "
                           "and sign_key",
                           section, name);
}

/* The first key a node's section lacks, and how to fill it in. */
static const char *roster_node_missing(const struct roster_node *n, const char **hint)
{
    *hint = "add its coordinates in decimal degrees, such as lat = 52.0894 and lon = 5.2333";
    if (n->name[0] == '\0') {
        *hint = "add the municipality's name, such as name = Zeist";
        return "name";
    }
    if (isnan(n->lat))
        return "lat";
    if (isnan(n->lon))
        return "lon";
    *hint = KEY_HINT;
    if (sodium_is_zero(n->curve_pk, KEY_LEN))
        return "curve_key";
    if (sodium_is_zero(n->sign_pk, KEY_LEN))
        return "sign_key";
    return NULL;
}

static int roster_check(const char *path, const struct roster *r, char *err, size_t errlen)
{
    if (r->count == 0) {
        snprintf(err, errlen, "%s: no nodes listed; add one [id] section per municipality", path);
        return -1;
    }
    for (size_t i = 0; i < r->count; i++) {
        const struct roster_node *n = &r->nodes[i];
        const char *hint;
        const char *missing = roster_node_missing(n, &hint);
        if (missing) {
            snprintf(err, errlen, "%s: [%s] %s is missing; %s", path, n->id, missing, hint);
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            const struct roster_node *o = &r->nodes[j];
            const char *same = memcmp(n->curve_pk, o->curve_pk, KEY_LEN) == 0 ? "curve_key"
                               : memcmp(n->sign_pk, o->sign_pk, KEY_LEN) == 0 ? "sign_key"
                                                                              : NULL;
            if (same) {
                snprintf(err, errlen,
                         "%s: [%s] and [%s] have the same %s; each node needs its "
                         "own keys from `mpoold keygen`",
                         path, o->id, n->id, same);
                return -1;
            }
        }
    }
    return 0;
}

int roster_load(const char *path, struct roster *out, char *err, size_t errlen)
{
    struct roster_loader ld = {0};

    if (conf_file_parse(path, roster_handler, &ld, err, errlen) != 0 ||
        roster_check(path, &ld.list, err, errlen) != 0) {
        roster_free(&ld.list);
        return -1;
    }
    *out = ld.list;
    return 0;
}

void roster_free(struct roster *r)
{
    free(r->nodes);
    r->nodes = NULL;
    r->count = 0;
}

const struct roster_node *roster_find(const struct roster *r, const char *id)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->nodes[i].id, id) == 0)
            return &r->nodes[i];
    return NULL;
}

const struct roster_node *roster_find_curve(const struct roster *r, const uint8_t pk[KEY_LEN])
{
    for (size_t i = 0; i < r->count; i++)
        if (memcmp(r->nodes[i].curve_pk, pk, KEY_LEN) == 0)
            return &r->nodes[i];
    return NULL;
}

struct users_loader {
    struct users list;
    size_t cap;
};

static struct user *users_section(struct conf_file *f, struct users_loader *ld, const char *section,
                                  const char *key)
{
    struct users *u = &ld->list;

    if (u->count > 0 && strcmp(u->list[u->count - 1].id, section) == 0)
        return &u->list[u->count - 1];
    if (!check_new_id(f, section, key, users_find(u, section) != NULL))
        return NULL;
    if (grow((void **)&u->list, &ld->cap, u->count, sizeof *u->list) != 0) {
        conf_file_error(f, "out of memory");
        return NULL;
    }
    struct user *p = &u->list[u->count++];
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", section);
    return p;
}

static int users_handler(struct conf_file *f, void *user, const char *section, const char *name,
                         const char *value)
{
    struct user *p = users_section(f, user, section, name);

    if (!p)
        return 0;
    if (strcmp(name, "key") == 0)
        return set_key(f, section, name, value, p->pk,
                       "copy the person's public key as the admin issued it");
    if (strcmp(name, "email") == 0) {
        if (p->email[0])
            return conf_file_error(f, "[%s] email is set a second time; keep one", section);
        if (!email_valid(value))
            return conf_file_error(f,
                                   "[%s] email = '%s' is not an address mpoold can write; give "
                                   "one plain address such as name@example.nl",
                                   section, value);
        snprintf(p->email, sizeof p->email, "%s", value);
        return 1;
    }
    if (strcmp(name, "role") != 0)
        return conf_file_error(f, "[%s] unknown key '%s'; the keys are role, key and email",
                               section, name);
    if (p->roles != 0)
        return conf_file_error(f, "[%s] role is set a second time; keep one", section);
    p->roles = role_parse(value);
    if (p->roles == 0)
        return conf_file_error(f,
                               "[%s] role = '%s' is not valid; use hr, mediator, coordinator "
                               "or admin, comma-separated for several",
                               section, value);
    return 1;
}

static int users_check(const char *path, const struct users *u, char *err, size_t errlen)
{
    for (size_t i = 0; i < u->count; i++) {
        const struct user *p = &u->list[i];
        if (p->roles == 0 || sodium_is_zero(p->pk, KEY_LEN)) {
            snprintf(err, errlen, "%s: [%s] %s is missing; add %s", path, p->id,
                     p->roles == 0 ? "role" : "key",
                     p->roles == 0 ? "role = hr, mediator, coordinator or admin"
                                   : "key = the person's Z85 public key");
            return -1;
        }
        for (size_t j = 0; j < i; j++) {
            if (memcmp(p->pk, u->list[j].pk, KEY_LEN) == 0) {
                snprintf(err, errlen,
                         "%s: [%s] and [%s] have the same key; give each person "
                         "their own key",
                         path, u->list[j].id, p->id);
                return -1;
            }
        }
    }
    return 0;
}

int users_private(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open it (%s); check the path", path, strerror(errno));
        return -1;
    }
    if ((st.st_mode & 007) != 0) {
        snprintf(err, errlen,
                 "%s holds people's e-mail addresses and others may read it (mode %04o); run "
                 "chmod o-rwx %s, and let the node read it through its group (chgrp mpoold %s; "
                 "see docs/operations.md)",
                 path, (unsigned)(st.st_mode & 07777), path, path);
        return -1;
    }
    return 0;
}

int users_load(const char *path, struct users *out, char *err, size_t errlen)
{
    struct users_loader ld = {0};

    if (conf_file_parse(path, users_handler, &ld, err, errlen) != 0 ||
        users_check(path, &ld.list, err, errlen) != 0) {
        users_free(&ld.list);
        return -1;
    }
    *out = ld.list;
    return 0;
}

void users_free(struct users *u)
{
    free(u->list);
    u->list = NULL;
    u->count = 0;
}

const struct user *users_find(const struct users *u, const char *id)
{
    for (size_t i = 0; i < u->count; i++)
        if (strcmp(u->list[i].id, id) == 0)
            return &u->list[i];
    return NULL;
}

const struct user *users_find_key(const struct users *u, const uint8_t pk[KEY_LEN])
{
    for (size_t i = 0; i < u->count; i++)
        if (memcmp(u->list[i].pk, pk, KEY_LEN) == 0)
            return &u->list[i];
    return NULL;
}

/* Refuses what users_load would refuse once the section is in the file. */
static int users_check_new(const char *path, const struct users *u, const struct user *user,
                           char *err, size_t errlen)
{
    const struct user *clash;

    if (!id_valid(user->id) || strlen(user->id) > CONF_SECTION_MAX) {
        snprintf(err, errlen, "%s: '%s' is not a valid user id; %s, at most %d characters", path,
                 user->id, ID_HINT, CONF_SECTION_MAX);
        return -1;
    }
    if (user->roles == 0 || (user->roles & ~ROLE_ALL) != 0) {
        snprintf(err, errlen,
                 "%s: [%s] needs one or more of the roles hr, mediator, coordinator "
                 "and admin",
                 path, user->id);
        return -1;
    }
    if (sodium_is_zero(user->pk, KEY_LEN)) {
        snprintf(err, errlen, "%s: [%s] has an all-zero key; generate a real key pair", path,
                 user->id);
        return -1;
    }
    if (users_find(u, user->id)) {
        snprintf(err, errlen,
                 "%s: [%s] is already listed; for another person pick another id, to give them a "
                 "new key take them off first (mpoold user-remove %s)",
                 path, user->id, user->id);
        return -1;
    }
    clash = users_find_key(u, user->pk);
    if (clash) {
        snprintf(err, errlen, "%s: this key already belongs to [%s]; give [%s] a key of their own",
                 path, clash->id, user->id);
        return -1;
    }
    return 0;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int append_text(const char *path, const char *text, char *err, size_t errlen)
{
    /* users.ini holds people's e-mail addresses: the node's group may read
     * it (docs/operations.md), others may not. */
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open it for writing (%s)", path, strerror(errno));
        return -1;
    }
    if (write_all(fd, text, strlen(text)) != 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: cannot write it (%s); check the disk, then the file's end", path,
                 strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) != 0) {
        snprintf(err, errlen, "%s: cannot write it (%s)", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* A new file's name is durable only once its folder is synced too. */
static int sync_folder(const char *path, char *err, size_t errlen)
{
    char copy[PATH_MAX];

    if (snprintf(copy, sizeof copy, "%s", path) >= (int)sizeof copy) {
        snprintf(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0) {
        snprintf(err, errlen, "%s: cannot sync its folder (%s)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

int users_append(const char *path, const struct user *user, char *err, size_t errlen)
{
    struct users existing = {0};
    struct stat st;
    bool is_new = stat(path, &st) != 0 && errno == ENOENT;

    if (!is_new && users_load(path, &existing, err, errlen) != 0)
        return -1;
    int rc = users_check_new(path, &existing, user, err, errlen);
    users_free(&existing);
    if (rc != 0)
        return -1;

    char roles[64], key[Z85_KEY_LEN + 1], text[512];
    role_format(user->roles, roles, sizeof roles);
    key_to_z85(user->pk, KEY_LEN, key);
    int n = snprintf(text, sizeof text, "\n[%s]\nrole = %s\nkey = %s\n", user->id, roles, key);
    if (user->email[0] && n > 0 && (size_t)n < sizeof text)
        snprintf(text + n, sizeof text - (size_t)n, "email = %s\n", user->email);
    if (append_text(path, text, err, errlen) != 0)
        return -1;
    return is_new ? sync_folder(path, err, errlen) : 0;
}

static bool role_word(const char *s, size_t len, unsigned *bit)
{
    while (len > 0 && isblank((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && isblank((unsigned char)s[len - 1]))
        len--;
    for (size_t i = 0; i < ROLE_COUNT; i++) {
        if (strlen(role_names[i]) == len && strncmp(s, role_names[i], len) == 0) {
            *bit = 1u << i;
            return true;
        }
    }
    return false;
}

unsigned role_parse(const char *text)
{
    unsigned roles = 0, bit;

    for (const char *p = text;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (!role_word(p, len, &bit))
            return 0;
        roles |= bit;
        if (!comma)
            return roles;
        p = comma + 1;
    }
}

const char *role_name(unsigned bit)
{
    for (size_t i = 0; i < ROLE_COUNT; i++)
        if (bit == 1u << i)
            return role_names[i];
    return "";
}

void role_format(unsigned roles, char *out, size_t outlen)
{
    size_t used = 0;

    if (outlen == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < ROLE_COUNT; i++) {
        if (!(roles & (1u << i)))
            continue;
        int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", role_names[i]);
        if (n < 0 || (size_t)n >= outlen - used)
            return;
        used += (size_t)n;
    }
}
