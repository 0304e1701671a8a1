/* setup: mpoold init, roster add and roster check. */
#include "node/setup.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/ids.h"
#include "base/text.h"
#include "store/config.h"
#include "store/listfile.h"
#include "store/roster.h"
#include "wire/keys.h"

#define EXIT_USAGE   2
#define COORD_PORT   7001 /* its command socket; the event socket is the next port */
#define CLIENTS_PORT 7101

struct init {
    const char *id, *role, *name, *dir, *database, *clients, *bind, *coordinator, *coord_keys;
    double lat, lon;
    bool member, coordinator_role;
    struct roster_node coord; /* members: the coordinator's section */
};

static const char init_usage[] =
    "mpoold init ID --role ROLE --name NAME --lat X --lon Y [--dir DIR] [--database PATH] "
    "[--clients ENDPOINT] [--bind HOST[:PORT]] [--coordinator HOST[:PORT] --coordinator-keys "
    "FILE]";

static int init_fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "mpoold: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\nusage: %s\n", init_usage);
    return EXIT_USAGE;
}

/* HOST or HOST:PORT, the port 1 to 65534 (the event socket takes the next). */
static bool host_port_ok(const char *text)
{
    const char *colon = strrchr(text, ':');
    if (!*text || strpbrk(text, " /") || (colon && strchr(colon, ']')))
        return *text && !strpbrk(text, " /");
    if (!colon)
        return true;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    return colon > text && *end == '\0' && end != colon + 1 && port >= 1 && port <= 65534;
}

static bool read_degrees(const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return errno == 0 && end != text && *end == '\0' && isfinite(*out) && *out >= lo && *out <= hi;
}

static int init_options(int argc, char **argv, struct init *in)
{
    static const struct option longopts[] = {{"role", required_argument, NULL, 'r'},
                                             {"name", required_argument, NULL, 'n'},
                                             {"lat", required_argument, NULL, 'a'},
                                             {"lon", required_argument, NULL, 'o'},
                                             {"dir", required_argument, NULL, 'd'},
                                             {"database", required_argument, NULL, 'b'},
                                             {"clients", required_argument, NULL, 'c'},
                                             {"bind", required_argument, NULL, 'B'},
                                             {"coordinator", required_argument, NULL, 'C'},
                                             {"coordinator-keys", required_argument, NULL, 'K'},
                                             {NULL, 0, NULL, 0}};
    const char *lat = NULL, *lon = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        const char **slot = c == 'r'   ? &in->role
                            : c == 'n' ? &in->name
                            : c == 'a' ? &lat
                            : c == 'o' ? &lon
                            : c == 'd' ? &in->dir
                            : c == 'b' ? &in->database
                            : c == 'c' ? &in->clients
                            : c == 'B' ? &in->bind
                            : c == 'C' ? &in->coordinator
                            : c == 'K' ? &in->coord_keys
                                       : NULL;
        if (!slot)
            return init_fail("unknown option%s%s", "", "");
        *slot = optarg;
    }
    if (optind != argc - 1 || !id_valid(argv[optind]))
        return init_fail("init needs one node id (1 to 63 of a-z, 0-9, '.', '_', '-')%s%s", "", "");
    in->id = argv[optind];
    if (!in->role || !in->name || !lat || !lon)
        return init_fail("init needs --role, --name, --lat and --lon%s%s", "", "");
    if (!text_ok(in->name, 127) || !*in->name)
        return init_fail("--name '%s' is not a name of 1 to 127 characters%s", in->name, "");
    if (!read_degrees(lat, -90, 90, &in->lat) || !read_degrees(lon, -180, 180, &in->lon))
        return init_fail("--lat %s or --lon %s is not in decimal degrees", lat, lon);
    in->member = strstr(in->role, "member") != NULL;
    in->coordinator_role = strstr(in->role, "coordinator") != NULL;
    if (strcmp(in->role, "member") != 0 && strcmp(in->role, "coordinator") != 0 &&
        strcmp(in->role, "member, coordinator") != 0)
        return init_fail("--role '%s' is not member, coordinator or \"member, coordinator\"%s",
                         in->role, "");
    if ((in->bind && !host_port_ok(in->bind)) ||
        (in->coordinator && !host_port_ok(in->coordinator)))
        return init_fail("--bind %s or --coordinator %s is not HOST or HOST:PORT (1 to 65534)",
                         in->bind ? in->bind : "", in->coordinator ? in->coordinator : "");
    if (in->member && !in->coordinator_role && (!in->coordinator || !in->coord_keys))
        return init_fail("a member needs --coordinator HOST and --coordinator-keys FILE (the "
                         "section the coordinator's init printed)%s%s",
                         "", "");
    return 0;
}

/* The one section of the coordinator's printed lines. */
static int read_coordinator(struct init *in, char *err, size_t errlen)
{
    struct roster r = {0};
    if (roster_load(in->coord_keys, &r, err, errlen) < 0)
        return -1;
    int rc = r.count == 1 ? 0 : -1;
    if (rc == 0)
        in->coord = r.nodes[0];
    else
        snprintf(err, errlen, "%s: give the coordinator's own section only, as its init printed",
                 in->coord_keys);
    roster_free(&r);
    return rc;
}

static void section_text(const struct roster_node *n, char *out, size_t len)
{
    char c[Z85_KEY_LEN + 1], s[Z85_KEY_LEN + 1];
    key_to_z85(n->curve_pk, KEY_LEN, c);
    key_to_z85(n->sign_pk, KEY_LEN, s);
    snprintf(out, len, "[%s]\nname = %s\nlat = %.4f\nlon = %.4f\ncurve_key = %s\nsign_key = %s\n",
             n->id, n->name, n->lat, n->lon, c, s);
}

/* "tcp://HOST:PORT" and the event socket's "tcp://HOST:PORT+1". */
static void endpoints(const char *host_port, char *cmd, char *events, size_t len)
{
    char host[ENDPOINT_MAX];
    long port = COORD_PORT;
    snprintf(host, sizeof host, "%s", host_port);
    char *colon = strrchr(host, ':');
    if (colon && !strchr(colon, ']')) {
        port = strtol(colon + 1, NULL, 10);
        *colon = '\0';
    }
    snprintf(cmd, len, "tcp://%.200s:%ld", host, port);
    snprintf(events, len, "tcp://%.200s:%ld", host, port + 1);
}

static void write_config(FILE *f, const struct init *in, const struct roster_node *self)
{
    char cmd[ENDPOINT_MAX], events[ENDPOINT_MAX], c[Z85_KEY_LEN + 1], s[Z85_KEY_LEN + 1];
    fprintf(f,
            "# written by mpoold init; every key is in mpoold.conf(5)\n[node]\nid = %s\n"
            "role = %s\ndatabase = %s\nkeys = credential:node.key\n%sroster = roster.ini\n"
            "users = users.ini\nclients = %s\n\n[coordinator]\n",
            in->id, in->role, in->database,
            in->member ? "pool_secret = credential:pool.secret\n" : "", in->clients);
    if (in->coordinator_role) {
        endpoints(in->bind, cmd, events, sizeof cmd);
        fprintf(f, "bind = %s\nevents_bind = %s\n", cmd, events);
    }
    if (in->member) {
        const struct roster_node *coord = in->coordinator_role ? self : &in->coord;
        endpoints(in->coordinator_role ? "127.0.0.1" : in->coordinator, cmd, events, sizeof cmd);
        key_to_z85(coord->curve_pk, KEY_LEN, c);
        key_to_z85(coord->sign_pk, KEY_LEN, s);
        fprintf(f, "endpoint = %s\nevents = %s\ncurve_key = %s\nsign_key = %s\n", cmd, events, c,
                s);
    }
}

/* Creates path (mode) with text, never over an existing file. */
static int create_file(const char *path, mode_t mode, const struct init *in,
                       const struct roster_node *self, const char *text, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot create %.300s (%s)", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (text)
        fputs(text, f);
    else
        write_config(f, in, self);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %.300s (%s)", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int make_dir(const char *path, mode_t mode, char *err, size_t errlen)
{
    if (mkdir(path, mode) == 0 || errno == EEXIST)
        return 0;
    snprintf(err, errlen, "cannot make the folder %.300s (%s)", path, strerror(errno));
    return -1;
}

static int init_files(struct init *in, const struct roster_node *self, char *err, size_t errlen)
{
    char path[PATH_MAX], roster[2048] = "";
    section_text(self, roster, sizeof roster);
    if (in->member && !in->coordinator_role) {
        size_t used = strlen(roster);
        roster[used++] = '\n';
        section_text(&in->coord, roster + used, sizeof roster - used);
    }
    snprintf(path, sizeof path, "%s/roster.ini", in->dir);
    if (access(path, F_OK) != 0 && create_file(path, 0644, in, self, roster, err, errlen) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/users.ini", in->dir);
    /* It holds people's e-mail addresses: readable by the node's group only. */
    if (access(path, F_OK) != 0 && create_file(path, 0640, in, self, "", err, errlen) < 0)
        return -1;
    snprintf(path, sizeof path, "%s/mpoold.conf", in->dir);
    return create_file(path, 0644, in, self, NULL, err, errlen);
}

static int init_node(struct init *in, char *err, size_t errlen)
{
    char conf[PATH_MAX], creds[PATH_MAX], key[PATH_MAX + 16];
    if (strlen(in->dir) > PATH_MAX - 32) {
        snprintf(err, errlen, "--dir: the path is too long");
        return -1;
    }
    snprintf(conf, sizeof conf, "%s/mpoold.conf", in->dir);
    snprintf(creds, sizeof creds, "%s/credentials", in->dir);
    snprintf(key, sizeof key, "%s/node.key", creds);
    if (access(conf, F_OK) == 0) {
        snprintf(err, errlen,
                 "%.300s exists: this node is set up already; move it away to begin "
                 "again",
                 conf);
        return -1;
    }
    if ((in->coord_keys && read_coordinator(in, err, errlen) < 0) ||
        make_dir(in->dir, 0755, err, errlen) < 0 || make_dir(creds, 0700, err, errlen) < 0)
        return -1;
    struct node_keys k;
    node_keys_generate(&k);
    struct roster_node self = {.lat = in->lat, .lon = in->lon};
    snprintf(self.id, sizeof self.id, "%s", in->id);
    snprintf(self.name, sizeof self.name, "%s", in->name);
    memcpy(self.curve_pk, k.curve_pk, KEY_LEN);
    memcpy(self.sign_pk, k.sign_pk, KEY_LEN);
    int rc = node_keys_save(key, &k, err, errlen);
    node_keys_wipe(&k);
    if (rc < 0 || init_files(in, &self, err, errlen) < 0)
        return -1;
    char section[1024];
    section_text(&self, section, sizeof section);
    printf("# %s is set up in %s (node key in %s, mode 0600).\n"
           "# This node's section for the pool's roster; hand it to the coordinator's "
           "administrator:\n%s",
           in->id, in->dir, key, section);
    if (in->member)
        printf("# Next: put the pool secret in %s/pool.secret (mode 0600).\n", creds);
    return 0;
}

int setup_init(int argc, char **argv)
{
    struct init in = {
        .dir = "/etc/mpoold", .database = "/var/lib/mpoold/mpool.db", .bind = "0.0.0.0"};
    char clients[64], err[512];
    snprintf(clients, sizeof clients, "tcp://127.0.0.1:%d", CLIENTS_PORT);
    in.clients = clients;
    int rc = init_options(argc, argv, &in);
    if (rc != 0)
        return rc;
    if (init_node(&in, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    return 0;
}

/* ---- roster add, roster check ------------------------------------------- */

static int roster_add(const struct config *cfg, int argc, char **argv)
{
    char err[512], text[8192];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "re");
        size_t len = f ? fread(text, 1, sizeof text - 1, f) : 0;
        bool whole = f && feof(f) && !ferror(f);
        if (f)
            fclose(f);
        text[len] = '\0';
        if (f && !whole) {
            fprintf(stderr, "mpoold: %s is larger than %zu bytes; give the nodes' sections only\n",
                    argv[i], sizeof text - 1);
            return 1;
        }
        if (!f || listfile_roster_ok(argv[i], err, sizeof err) < 0 ||
            listfile_change(cfg->roster_file, NULL, text, listfile_roster_ok, err, sizeof err) <
                0) {
            fprintf(stderr, "mpoold: %s\n", f ? err : strerror(errno));
            return 1;
        }
        printf("added %s to %s\n", argv[i], cfg->roster_file);
    }
    printf("Give every node the new %s, then reload each (systemctl reload mpoold), the "
           "coordinator first.\n",
           cfg->roster_file);
    return 0;
}

/* Whether the roster holds this node with its keys and, for a member, the
 * pinned coordinator; prints the nodes. */
static int roster_check(const struct config *cfg)
{
    struct roster r = {0};
    struct node_keys k;
    char err[512];
    if (roster_load(cfg->roster_file, &r, err, sizeof err) < 0 ||
        node_keys_load(cfg->keys_file, &k, err, sizeof err) < 0) {
        roster_free(&r);
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    const struct roster_node *self = roster_find(&r, cfg->node_id);
    const struct roster_node *coord =
        cfg->member ? roster_find_curve(&r, cfg->coord_curve_pk) : NULL;
    const char *problem = NULL;
    if (!self)
        problem = "this node has no section in it; add the one mpoold init printed";
    else if (memcmp(self->curve_pk, k.curve_pk, KEY_LEN) != 0 ||
             memcmp(self->sign_pk, k.sign_pk, KEY_LEN) != 0)
        problem = "this node's section holds other keys than its key file";
    else if (cfg->member && !coord)
        problem = "the coordinator pinned in [coordinator] curve_key is not in it";
    node_keys_wipe(&k);
    for (size_t i = 0; !problem && i < r.count; i++)
        printf("%-24s %s%s%s\n", r.nodes[i].id, r.nodes[i].name,
               &r.nodes[i] == self ? " (this node)" : "",
               &r.nodes[i] == coord ? " (the coordinator)" : "");
    if (problem)
        fprintf(stderr, "mpoold: %s: %s\n", cfg->roster_file, problem);
    else
        printf("%s is in order: %zu nodes\n", cfg->roster_file, r.count);
    roster_free(&r);
    return problem ? 1 : 0;
}

int setup_roster(const char *config_path, int argc, char **argv)
{
    bool add = argc >= 3 && strcmp(argv[1], "add") == 0;
    bool check = argc == 2 && strcmp(argv[1], "check") == 0;
    if (!add && !check) {
        fprintf(stderr, "usage: mpoold -c CONF roster add FILE... | mpoold -c CONF roster check\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    char err[512];
    if (config_load(config_path, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    return add ? roster_add(&cfg, argc - 1, argv + 1) : roster_check(&cfg);
}
