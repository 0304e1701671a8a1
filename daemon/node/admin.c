/* admin: make keys, show public keys, issue a person's key and role. */
#include "node/admin.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/config.h"
#include "store/listfile.h"
#include "wire/keys.h"
#include "store/roster.h"

#define EXIT_USAGE 2

static const char *out_path(int argc, char **argv, const char *usage)
{
    static const struct option longopts[] = {{"out", required_argument, NULL, 'o'},
                                             {NULL, 0, NULL, 0}};
    const char *out = NULL;
    int c;
    optind = 0; /* 0: GNU getopt starts afresh, dropping main's "+" mode */
    while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
        if (c != 'o') {
            fprintf(stderr, "usage: %s\n", usage);
            return NULL;
        }
        out = optarg;
    }
    if (!out || optind != argc)
        fprintf(stderr, "mpoold: %s needs --out FILE and nothing else; usage: %s\n", argv[0],
                usage);
    return optind == argc ? out : NULL;
}

static void print_roster_keys(const uint8_t curve[KEY_LEN], const uint8_t sign[KEY_LEN])
{
    char c[Z85_KEY_LEN + 1], s[Z85_KEY_LEN + 1];
    key_to_z85(curve, KEY_LEN, c);
    key_to_z85(sign, KEY_LEN, s);
    printf("curve_key = %s\nsign_key = %s\n", c, s);
}

int admin_keygen(int argc, char **argv)
{
    const char *out = out_path(argc, argv, "mpoold keygen --out FILE");
    if (!out)
        return EXIT_USAGE;
    struct node_keys k;
    char err[512];
    node_keys_generate(&k);
    int rc = node_keys_save(out, &k, err, sizeof err);
    if (rc == 0) {
        printf("# node keys written to %s (mode 0600); public keys for the roster:\n", out);
        print_roster_keys(k.curve_pk, k.sign_pk);
    } else {
        fprintf(stderr, "mpoold: %s\n", err);
    }
    node_keys_wipe(&k);
    return rc == 0 ? 0 : 1;
}

int admin_pool_secret(int argc, char **argv)
{
    const char *out = out_path(argc, argv, "mpoold pool-secret --out FILE");
    if (!out)
        return EXIT_USAGE;
    uint8_t secret[KEY_LEN];
    char err[512];
    pool_secret_generate(secret);
    int rc = pool_secret_save(out, secret, err, sizeof err);
    sodium_memzero(secret, sizeof secret);
    if (rc < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    printf("# pool secret written to %s (mode 0600); give it to every member node, never to "
           "the coordinator role\n",
           out);
    return 0;
}

int admin_show_keys(const char *config_path)
{
    struct config cfg;
    struct node_keys k;
    char err[512];
    if (config_load(config_path, &cfg, err, sizeof err) < 0 ||
        node_keys_load(cfg.keys_file, &k, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    printf("[%s]\n", cfg.node_id);
    print_roster_keys(k.curve_pk, k.sign_pk);
    node_keys_wipe(&k);
    return 0;
}

/* The client configuration a person needs next to their key file. */
static int write_client_conf(const char *path, const struct config *cfg, const char *user,
                             const char *key_file, const uint8_t node_pk[KEY_LEN], char *err,
                             size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot create %.300s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char z85[Z85_KEY_LEN + 1];
    key_to_z85(node_pk, KEY_LEN, z85);
    fprintf(f,
            "# mpool configuration for %s at %s\n[client]\nuser = %s\nnode = %s\n"
            "node_key = %s\nkey = %s\n",
            user, cfg->node_id, user, cfg->clients_endpoint, z85, key_file);
    if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0) {
        snprintf(err, errlen, "cannot write %.300s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

/* The folder for the person's files, made (0700, with its parents) when
 * it is not there yet: it receives a secret key. */
static int make_folder(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "--out %s: the path is too long", dir);
        return -1;
    }
    for (char *p = path + 1;; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST) {
            snprintf(err, errlen,
                     "cannot make the folder %.300s (%s); make it yourself or pick another", path,
                     strerror(errno));
            return -1;
        }
        if (end)
            return 0;
        *p = '/';
    }
}

static int issue(const struct config *cfg, const struct user *who, const char *dir)
{
    const char *id = who->id;
    char key_path[PATH_MAX], conf_path[PATH_MAX], err[512];
    struct node_keys nk;
    if (node_keys_load(cfg->keys_file, &nk, err, sizeof err) < 0 ||
        make_folder(dir, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        node_keys_wipe(&nk);
        return 1;
    }
    snprintf(key_path, sizeof key_path, "%s/%s.key", dir, id);
    snprintf(conf_path, sizeof conf_path, "%s/%s.conf", dir, id);
    /* A person's key file is theirs: it is never replaced, nor should
     * anyone be told to delete it. */
    if (access(key_path, F_OK) == 0 || access(conf_path, F_OK) == 0) {
        fprintf(stderr,
                "mpoold: %s already holds a key or configuration for %s, which stays as it is. "
                "To give %s a new key, take them off (mpoold user-remove %s) and issue it "
                "into another folder (--out)\n",
                dir, id, id, id);
        node_keys_wipe(&nk);
        return 1;
    }
    struct user_keys uk;
    user_keys_generate(&uk);
    struct user u = *who;
    memcpy(u.pk, uk.pk, KEY_LEN);
    char base[PATH_MAX];
    snprintf(base, sizeof base, "%s.key", id);
    int rc = user_keys_save(key_path, &uk, err, sizeof err);
    if (rc == 0 &&
        (rc = write_client_conf(conf_path, cfg, id, base, nk.curve_pk, err, sizeof err)) < 0)
        unlink(key_path);
    if (rc == 0 && (rc = users_append(cfg->users_file, &u, err, sizeof err)) < 0) {
        unlink(key_path);
        unlink(conf_path);
    }
    user_keys_wipe(&uk);
    node_keys_wipe(&nk);
    if (rc < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    if (strstr(cfg->clients_endpoint, "://*") || strstr(cfg->clients_endpoint, "://0.0.0.0"))
        printf("note: %s says node = %s; replace it with an address people can reach\n", conf_path,
               cfg->clients_endpoint);
    printf("issued %s: key %s (0600), client configuration %s; added to %s.\n"
           "Hand both files to the person, then reload mpoold (systemctl reload mpoold).\n",
           id, key_path, conf_path, cfg->users_file);
    return 0;
}

int admin_user_add(const char *config_path, int argc, char **argv)
{
    static const char usage[] =
        "mpoold -c CONF user-add ID --role ROLE[,ROLE] --out DIR [--email ADDRESS]";
    static const struct option longopts[] = {{"role", required_argument, NULL, 'r'},
                                             {"out", required_argument, NULL, 'o'},
                                             {"email", required_argument, NULL, 'e'},
                                             {NULL, 0, NULL, 0}};
    const char *role = NULL, *dir = NULL, *email = NULL;
    int c;
    optind = 0; /* 0: GNU getopt starts afresh, dropping main's "+" mode */
    while ((c = getopt_long(argc, argv, "r:o:e:", longopts, NULL)) != -1) {
        if (c == 'r')
            role = optarg;
        else if (c == 'o')
            dir = optarg;
        else if (c == 'e')
            email = optarg;
        else
            return fprintf(stderr, "usage: %s\n", usage), EXIT_USAGE;
    }
    if (optind != argc - 1 || !role || !dir || !*dir) {
        fprintf(stderr, "mpoold: user-add needs an id, --role and --out; usage: %s\n", usage);
        return EXIT_USAGE;
    }
    const char *id = argv[optind];
    if (!id_valid(id)) {
        fprintf(stderr,
                "mpoold: the id '%s' is not one: use a-z, 0-9, '.', '_' and '-', such as hr1\n",
                id);
        return EXIT_USAGE;
    }
    unsigned roles = role_parse(role);
    if (!roles) {
        char all[128];
        role_format(~0u, all, sizeof all);
        fprintf(stderr,
                "mpoold: --role '%s' is not a role, nor roles separated by commas; the roles are "
                "%s, in lower case\n",
                role, all);
        return EXIT_USAGE;
    }
    if (email && !email_valid(email)) {
        fprintf(stderr,
                "mpoold: --email '%s' is not a plain address; give one such as "
                "name@example.nl, without a name or brackets\n",
                email);
        return EXIT_USAGE;
    }
    struct user who = {.roles = roles};
    snprintf(who.id, sizeof who.id, "%s", id);
    snprintf(who.email, sizeof who.email, "%s", email ? email : "");
    struct config cfg;
    char err[512];
    if (config_load(config_path, &cfg, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    return issue(&cfg, &who, dir);
}

int admin_user_remove(const char *config_path, int argc, char **argv)
{
    if (argc != 2 || !id_valid(argv[1])) {
        fprintf(stderr, "usage: mpoold -c CONF user-remove ID\n");
        return EXIT_USAGE;
    }
    struct config cfg;
    char err[512];
    if (config_load(config_path, &cfg, err, sizeof err) < 0 ||
        listfile_change(cfg.users_file, argv[1], NULL, listfile_users_ok, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    printf("removed %s from %s. Reload mpoold (systemctl reload mpoold): their key stops "
           "working then, and a mediator among them is offered nothing more.\n",
           argv[1], cfg.users_file);
    return 0;
}
