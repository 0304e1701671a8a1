/* mpoold: a mediator pool node. See docs/operations.md. */
#include <getopt.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "node/admin.h"
#include "node/setup.h"
#include "node/audit.h"
#include "base/log.h"
#include "base/nodump.h"
#include "base/namefold.h"
#include "node/node.h"

#define DEFAULT_CONFIG "/etc/mpoold/mpoold.conf"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_requested = 1;
    else
        stop_requested = 1;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: mpoold [-c CONF]                 run the node\n"
                 "       mpoold [-c CONF] check           check configuration, keys and lists\n"
                 "       mpoold [-c CONF] keys            print this node's public keys (roster)\n"
                 "       mpoold [-c CONF] audit-verify    check that no row of the audit trail\n"
                 "                                        was changed or removed\n"
                 "       mpoold [-c CONF] user-add ID --role ROLE --out DIR [--email ADDRESS]\n"
                 "                                        issue a person's key and role\n"
                 "       mpoold [-c CONF] user-remove ID  take a person off users.ini\n"
                 "       mpoold [-c CONF] roster add FILE...  add nodes' sections to the roster\n"
                 "       mpoold [-c CONF] roster check    check the roster for this node\n"
                 "       mpoold init ID --role ROLE --name NAME --lat X --lon Y [...]\n"
                 "                                        set up a node: see mpoold(8)\n"
                 "       mpoold keygen --out FILE         make a node key file (0600)\n"
                 "       mpoold pool-secret --out FILE    make the pool secret (0600)\n"
                 "  -c, --config CONF   configuration file (default " DEFAULT_CONFIG ")\n");
}

static int run(const char *config, bool check_only)
{
    /* The database holds names and narratives: nobody else may read it. */
    umask(077);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    /* The node's keys and the pool secret live in struct node: in memory
     * that is locked (never swapped), left out of any core file and wiped
     * when freed. */
    struct node *n = sodium_init() < 0 ? NULL : sodium_malloc(sizeof *n);
    if (!n) {
        log_error("cannot allocate locked memory for the node's keys");
        return 1;
    }
    char err[1024];
    if (node_open(n, config, !check_only, err, sizeof err) < 0) {
        log_error("%s", err);
        node_close(n);
        sodium_free(n);
        return 1;
    }
    int rc = 0;
    if (check_only) {
        printf("%s: configuration, keys, roster, users and database are in order\n", config);
        /* Every node must fold names alike (docs/privacy.md). */
        printf("names are compared by the rules of Unicode %s; every node of the pool must "
               "say the same\n",
               namefold_unicode_version());
    } else
        rc = node_run(n, (volatile int *)&stop_requested, (volatile int *)&reload_requested);
    node_close(n);
    sodium_free(n);
    return rc;
}

/* Exit 0 when the audit trail is intact, 1 when a row was changed or
 * removed (or the node cannot be read). */
static int audit_verify_command(const char *config)
{
    struct node n;
    char err[1024];
    int rc = 1;
    if (node_open(&n, config, false, err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
    } else {
        int64_t rows = 0, bad = 0;
        char why[256];
        if (audit_verify(n.db, &rows, &bad, why, sizeof why) == 0) {
            printf("the audit trail of %s is intact: %lld rows\n", n.cfg.node_id, (long long)rows);
            rc = 0;
        } else {
            printf("the audit trail of %s is broken: %s\n", n.cfg.node_id, why);
        }
    }
    node_close(&n);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *config = DEFAULT_CONFIG;
    int c;
    /* Before any secret is read: a core file would hold them all. */
    char err[256];
    if (nodump_process(err, sizeof err) < 0) {
        fprintf(stderr, "mpoold: %s\n", err);
        return 1;
    }
    while ((c = getopt_long(argc, argv, "+c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind == argc)
        return run(config, false);
    const char *cmd = argv[optind];
    int sub_argc = argc - optind;
    char **sub_argv = argv + optind;
    if (strcmp(cmd, "check") == 0 && sub_argc == 1)
        return run(config, true);
    if (strcmp(cmd, "audit-verify") == 0 && sub_argc == 1)
        return audit_verify_command(config);
    if (strcmp(cmd, "keys") == 0 && sub_argc == 1)
        return admin_show_keys(config);
    if (strcmp(cmd, "user-add") == 0)
        return admin_user_add(config, sub_argc, sub_argv);
    if (strcmp(cmd, "user-remove") == 0)
        return admin_user_remove(config, sub_argc, sub_argv);
    if (strcmp(cmd, "roster") == 0)
        return setup_roster(config, sub_argc, sub_argv);
    if (strcmp(cmd, "init") == 0)
        return setup_init(sub_argc, sub_argv);
    if (strcmp(cmd, "keygen") == 0)
        return admin_keygen(sub_argc, sub_argv);
    if (strcmp(cmd, "pool-secret") == 0)
        return admin_pool_secret(sub_argc, sub_argv);
    fprintf(stderr, "mpoold: unknown command '%s'; see 'mpoold --help'\n", cmd);
    return 2;
}
