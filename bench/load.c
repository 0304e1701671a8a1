/* load: drives member nodes the way mpool does (client/conn.c), to measure
 * a running pool. bench/load.sh builds the pool and prints the table; this
 * program only makes requests, times them and prints key=value lines.
 *
 *   load posts [--threads N] [--seconds S] [--count N] [--drain DB]...
 *              [--drain-wait S] CONF...
 *       N connections per CONF post cases at once until S seconds or N posts
 *       in all; then waits (at most --drain-wait s) until the outbox of
 *       every DB is empty: the coordinator has stored every post.
 *   load latency [--cases N] CONF
 *       one post at a time, each polled with case.show until shortlisted.
 *   load resync --since-ns T --head N --db DB CONF
 *       from T (CLOCK_REALTIME ns, taken just before the node was started):
 *       when the node answers, and when its coord_seq reaches N.
 *   load choose --mediator M CONF CASE...
 *       for each case in turn: case.choose M, polled with case.show until
 *       the node shows it offered. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"
#include "mpool.pb-c.h"

#define MAX_CONFS      8
#define MAX_THREADS    64
#define CALL_TIMEOUT   10000 /* ms: a reply slower than this is a failure */
#define POLL_NS        150000
#define CASE_WAIT_NS   (10 * 1000000000LL)
#define RESYNC_WAIT_NS (120 * 1000000000LL)
#define STATUS_OK      MPOOL__V1__REPLY_STATUS__REPLY_STATUS_OK

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t wall_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void sleep_ns(long ns)
{
    struct timespec ts = {.tv_sec = ns / 1000000000L, .tv_nsec = ns % 1000000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int usage(void)
{
    fprintf(stderr, "usage: load posts [--threads N] [--seconds S] [--count N] [--drain DB]... "
                    "[--drain-wait S] CONF...\n"
                    "       load latency [--cases N] CONF\n"
                    "       load resync --since-ns T --head N --db DB CONF\n"
                    "       load choose --mediator M CONF CASE...\n");
    return 2;
}

static bool parse_long(const char *flag, const char *text, long min, long max, long *out)
{
    char *end;

    errno = 0;
    long v = text ? strtol(text, &end, 10) : 0;
    if (!text || errno != 0 || *end != '\0' || end == text || v < min || v > max) {
        fprintf(stderr, "load: %s needs a whole number from %ld to %ld\n", flag, min, max);
        return false;
    }
    *out = v;
    return true;
}

/* ---- one client connection, as mpool opens it ---- */

struct client {
    struct client_config cfg;
    struct conn *conn;
    char node[ID_MAX]; /* the node's id, from whoami */
    char post_args[256];
};

static int client_call(struct client *c, const char *op, const char *args, struct reply *r)
{
    char err[512];

    int rc = conn_call(c->conn, op, args, NULL, 0, CALL_TIMEOUT, r, err, sizeof err);
    if (rc == CONN_TIMEOUT) {
        fprintf(stderr, "load: %s: no reply from %s within %d ms\n", op, c->cfg.node, CALL_TIMEOUT);
        return -1;
    }
    if (rc != CONN_OK) {
        fprintf(stderr, "load: %s: %s\n", op, err);
        return -1;
    }
    if (r->status != STATUS_OK) {
        fprintf(stderr, "load: %s refused by %s: %s\n", op, c->cfg.node, r->error);
        reply_free(r);
        return -1;
    }
    return 0;
}

static int client_open(struct client *c, const char *path)
{
    struct user_keys keys;
    char err[512];

    memset(c, 0, sizeof *c);
    if (client_config_load(path, &c->cfg, err, sizeof err) != 0) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    if (user_keys_load(c->cfg.key_file, &keys, err, sizeof err) != 0) {
        user_keys_wipe(&keys);
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    c->conn = conn_open(c->cfg.node, c->cfg.node_key, &keys, err, sizeof err);
    user_keys_wipe(&keys);
    if (!c->conn) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    return 0;
}

static void client_close(struct client *c)
{
    conn_close(c->conn);
    c->conn = NULL;
}

/* Learns the node's id, so that each post names the requester's own
 * municipality as its party, as a conflict inside it would: that keeps
 * the requester's mediator out and the two others eligible. */
static int client_prepare_post(struct client *c)
{
    struct reply r;

    if (client_call(c, "whoami", "{}", &r) != 0)
        return -1;
    const char *node = json_string_value(json_object_get(r.result, "node"));
    int rc = node && strlen(node) < sizeof c->node ? 0 : -1;
    if (rc == 0) {
        snprintf(c->node, sizeof c->node, "%s", node);
        snprintf(c->post_args, sizeof c->post_args,
                 "{\"domain\":\"labour\",\"language\":\"nl\",\"urgency\":\"normal\","
                 "\"parties\":[{\"kind\":\"municipality\",\"value\":\"%s\"}],"
                 "\"requires_certified\":false,\"seats\":1,\"no_narrative\":true}",
                 c->node);
    } else {
        fprintf(stderr, "load: whoami of %s named no node\n", c->cfg.node);
    }
    reply_free(&r);
    return rc;
}

/* Posts one case; its id goes to case_id when that is not NULL. */
static int client_post(struct client *c, char *case_id, size_t len)
{
    struct reply r;

    if (client_call(c, "case.post", c->post_args, &r) != 0)
        return -1;
    const char *id = json_string_value(json_object_get(r.result, "case_id"));
    int rc = id ? 0 : -1;
    if (id && case_id)
        snprintf(case_id, len, "%s", id);
    reply_free(&r);
    return rc;
}

/* ---- statistics ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of n sorted values, nearest rank. */
static double quantile(const double *v, size_t n, double q)
{
    size_t i = (size_t)(q * (double)n);
    return n == 0 ? 0 : v[i < n ? i : n - 1];
}

/* ---- posts: sustained throughput ---- */

struct post_run {
    atomic_long budget; /* posts left to start; LONG_MAX with no --count */
    atomic_long accepted;
    atomic_long failed;
    int64_t deadline;
};

struct poster {
    struct client client;
    struct post_run *run;
    pthread_t thread;
};

static void *poster_main(void *arg)
{
    struct poster *p = arg;
    struct post_run *run = p->run;

    while (mono_ns() < run->deadline && atomic_fetch_sub(&run->budget, 1) > 0) {
        if (client_post(&p->client, NULL, 0) == 0)
            atomic_fetch_add(&run->accepted, 1);
        else if (atomic_fetch_add(&run->failed, 1) >= 10)
            break; /* the node is not coping; the figure says so */
    }
    return NULL;
}

static int outbox_count(sqlite3 *db, long *count)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM m_outbox", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    *count = rc == 0 ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc;
}

static sqlite3 *db_open_readonly(const char *path)
{
    sqlite3 *db = NULL;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "load: cannot open %s: %s\n", path, db ? sqlite3_errmsg(db) : "no memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 1000);
    return db;
}

/* Waits until every outbox is empty: the coordinator has stored all. */
static int drain_outboxes(char *const *paths, int n, long wait_s)
{
    sqlite3 *dbs[MAX_CONFS] = {0};
    int rc = 0;

    for (int i = 0; i < n && rc == 0; i++)
        if (!(dbs[i] = db_open_readonly(paths[i])))
            rc = -1;
    int64_t give_up = mono_ns() + wait_s * 1000000000LL;
    for (int i = 0; i < n && rc == 0;) {
        long left;
        if (outbox_count(dbs[i], &left) != 0) {
            fprintf(stderr, "load: cannot read the outbox of %s: %s\n", paths[i],
                    sqlite3_errmsg(dbs[i]));
            rc = -1;
        } else if (left == 0) {
            i++;
        } else if (mono_ns() > give_up) {
            fprintf(stderr, "load: %s still has %ld unacknowledged messages after %ld s\n",
                    paths[i], left, wait_s);
            rc = -1;
        } else {
            sleep_ns(1000000);
        }
    }
    for (int i = 0; i < n; i++)
        sqlite3_close(dbs[i]);
    return rc;
}

struct posts_opts {
    long threads, seconds, count, drain_wait;
    char *drain[MAX_CONFS];
    int ndrain;
    char **confs;
    int nconfs;
};

static int posts_parse(int argc, char **argv, struct posts_opts *o)
{
    int i;

    *o = (struct posts_opts){.threads = 4, .seconds = 5, .drain_wait = 60};
    for (i = 0; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool ok = false;
        if (strcmp(argv[i], "--threads") == 0)
            ok = parse_long("--threads", v, 1, MAX_THREADS, &o->threads);
        else if (strcmp(argv[i], "--seconds") == 0)
            ok = parse_long("--seconds", v, 1, 600, &o->seconds);
        else if (strcmp(argv[i], "--count") == 0)
            ok = parse_long("--count", v, 1, 10000000, &o->count);
        else if (strcmp(argv[i], "--drain-wait") == 0)
            ok = parse_long("--drain-wait", v, 1, 3600, &o->drain_wait);
        else if (strcmp(argv[i], "--drain") == 0 && v && o->ndrain < MAX_CONFS)
            ok = (o->drain[o->ndrain++] = argv[i + 1]) != NULL;
        if (!ok)
            return usage();
    }
    o->confs = argv + i;
    o->nconfs = argc - i;
    if (o->nconfs < 1 || o->nconfs > MAX_CONFS || o->nconfs * o->threads > MAX_THREADS)
        return usage();
    return 0;
}

/* stored is 0 when the outboxes did not drain in time. */
static void posts_report(const struct post_run *run, int64_t start, int64_t posted, int64_t stored)
{
    long accepted = atomic_load(&run->accepted);
    double post_s = (double)(posted - start) / 1e9;
    double store_s = (double)(stored - start) / 1e9;

    printf("accepted=%ld failed=%ld post_s=%.3f accepted_per_s=%.0f", accepted,
           atomic_load(&run->failed), post_s, (double)accepted / post_s);
    if (stored > 0)
        printf(" store_s=%.3f stored_per_s=%.0f", store_s, (double)accepted / store_s);
    printf("\n");
}

/* Starts every poster; returns how many threads run. */
static int posts_start(struct poster *ps, int n)
{
    for (int i = 0; i < n; i++) {
        if (pthread_create(&ps[i].thread, NULL, poster_main, &ps[i]) != 0) {
            fprintf(stderr, "load: cannot start a posting thread\n");
            atomic_store(&ps[i].run->budget, 0);
            return i;
        }
    }
    return n;
}

/* Connections are opened here, one thread at a time: CZMQ sets up its
 * context at the first socket and that is not safe to race. *n counts
 * the posters to close, also after a failure. */
static int posters_open(struct poster *ps, const struct posts_opts *o, struct post_run *run, int *n)
{
    for (int i = 0; i < o->nconfs; i++) {
        for (long t = 0; t < o->threads; t++) {
            struct poster *p = &ps[(*n)++];
            p->run = run;
            if (client_open(&p->client, o->confs[i]) != 0 || client_prepare_post(&p->client) != 0)
                return -1;
        }
    }
    return 0;
}

static int cmd_posts(int argc, char **argv)
{
    struct posts_opts o;
    static struct poster ps[MAX_THREADS];
    struct post_run run;
    int n = 0, rc = posts_parse(argc, argv, &o);

    if (rc != 0)
        return rc;
    atomic_init(&run.budget, o.count > 0 ? o.count : LONG_MAX);
    atomic_init(&run.accepted, 0);
    atomic_init(&run.failed, 0);
    if (posters_open(ps, &o, &run, &n) != 0)
        rc = 1;
    int64_t start = mono_ns(), posted = start, stored = 0;
    if (rc == 0) {
        run.deadline = start + (int64_t)o.seconds * 1000000000LL;
        int started = posts_start(ps, n);
        for (int i = 0; i < started; i++)
            pthread_join(ps[i].thread, NULL);
        posted = mono_ns();
        rc = started == n ? 0 : 1;
    }
    for (int i = 0; i < n; i++)
        client_close(&ps[i].client);
    if (rc != 0)
        return 1;
    /* Outboxes that do not drain in time still leave the posting figure. */
    if (drain_outboxes(o.drain, o.ndrain, o.drain_wait) == 0)
        stored = mono_ns();
    posts_report(&run, start, posted, stored);
    return 0;
}

/* ---- latency: post to shortlist ---- */

/* The case's state at the node, or -1 when show fails. */
static int case_state(struct client *c, const char *args, char *state, size_t len)
{
    struct reply r;

    if (client_call(c, "case.show", args, &r) != 0)
        return -1;
    const char *s = json_string_value(json_object_get(r.result, "state"));
    snprintf(state, len, "%s", s ? s : "");
    reply_free(&r);
    return 0;
}

/* Polls until the case leaves "posted"; 0 when it is shortlisted. */
static int wait_shortlisted(struct client *c, const char *case_id)
{
    char args[160], state[32];
    int64_t give_up = mono_ns() + CASE_WAIT_NS;

    snprintf(args, sizeof args, "{\"case_id\":\"%s\"}", case_id);
    for (;;) {
        if (case_state(c, args, state, sizeof state) != 0)
            return -1;
        if (strcmp(state, "shortlisted") == 0)
            return 0;
        if (strcmp(state, "posted") != 0) {
            fprintf(stderr, "load: case %s became %s, not shortlisted\n", case_id, state);
            return -1;
        }
        if (mono_ns() > give_up) {
            fprintf(stderr, "load: case %s was not shortlisted within 10 s\n", case_id);
            return -1;
        }
        sleep_ns(POLL_NS);
    }
}

static int latency_measure(struct client *c, long cases, double *total_ms, double *post_ms)
{
    char case_id[96];

    for (long i = 0; i < cases; i++) {
        int64_t t0 = mono_ns();
        if (client_post(c, case_id, sizeof case_id) != 0)
            return -1;
        int64_t t1 = mono_ns();
        if (wait_shortlisted(c, case_id) != 0)
            return -1;
        total_ms[i] = (double)(mono_ns() - t0) / 1e6;
        post_ms[i] = (double)(t1 - t0) / 1e6;
    }
    return 0;
}

static int cmd_latency(int argc, char **argv)
{
    long cases = 500;
    struct client c;

    if (argc == 3 && strcmp(argv[0], "--cases") == 0) {
        if (!parse_long("--cases", argv[1], 1, 100000, &cases))
            return 2;
        argv += 2;
        argc -= 2;
    }
    if (argc != 1)
        return usage();
    double *total = calloc((size_t)cases, sizeof *total);
    double *post = calloc((size_t)cases, sizeof *post);
    int rc = total && post ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "load: out of memory\n");
    if (rc == 0 && (rc = client_open(&c, argv[0])) == 0) {
        rc = client_prepare_post(&c);
        if (rc == 0)
            rc = latency_measure(&c, cases, total, post);
        client_close(&c);
    }
    if (rc == 0) {
        qsort(total, (size_t)cases, sizeof *total, cmp_double);
        qsort(post, (size_t)cases, sizeof *post, cmp_double);
        printf("cases=%ld p50_ms=%.3f p99_ms=%.3f max_ms=%.3f post_p50_ms=%.3f "
               "post_p99_ms=%.3f\n",
               cases, quantile(total, (size_t)cases, 0.5), quantile(total, (size_t)cases, 0.99),
               total[cases - 1], quantile(post, (size_t)cases, 0.5),
               quantile(post, (size_t)cases, 0.99));
    }
    free(total);
    free(post);
    return rc == 0 ? 0 : 1;
}

/* ---- choose: a choice until the node shows the offer ---- */

/* Polls until the case is offered; -1 when it went anywhere else. */
static int wait_offered(struct client *c, const char *case_id)
{
    char args[160], state[32];
    int64_t give_up = mono_ns() + CASE_WAIT_NS * 6;

    snprintf(args, sizeof args, "{\"case_id\":\"%s\"}", case_id);
    for (;;) {
        if (case_state(c, args, state, sizeof state) != 0)
            return -1;
        if (strcmp(state, "offered") == 0)
            return 0;
        if (strcmp(state, "chosen") != 0 && strcmp(state, "shortlisted") != 0) {
            fprintf(stderr, "load: case %s became %s, not offered\n", case_id, state);
            return -1;
        }
        if (mono_ns() > give_up) {
            fprintf(stderr, "load: case %s was not offered within 60 s\n", case_id);
            return -1;
        }
        sleep_ns(POLL_NS);
    }
}

static int cmd_choose(int argc, char **argv)
{
    struct client c;
    double ms[64];
    size_t n = 0;

    if (argc < 4 || strcmp(argv[0], "--mediator") != 0 || argc - 3 > 64)
        return usage();
    const char *mediator = argv[1];
    if (client_open(&c, argv[2]) != 0)
        return 1;
    int rc = 0;
    for (int i = 3; rc == 0 && i < argc; i++) {
        char args[256];
        struct reply r;
        snprintf(args, sizeof args, "{\"case_id\":\"%s\",\"mediator_id\":\"%s\"}", argv[i],
                 mediator);
        int64_t t0 = mono_ns();
        rc = client_call(&c, "case.choose", args, &r);
        if (rc == 0)
            reply_free(&r);
        if (rc == 0 && (rc = wait_offered(&c, argv[i])) == 0)
            ms[n++] = (double)(mono_ns() - t0) / 1e6;
    }
    client_close(&c);
    if (rc != 0)
        return 1;
    qsort(ms, n, sizeof *ms, cmp_double);
    printf("choices=%zu p50_ms=%.3f max_ms=%.3f\n", n, quantile(ms, n, 0.5), ms[n - 1]);
    return 0;
}

/* ---- resync: a node back after an outage ---- */

/* The port of a tcp://HOST:PORT endpoint, or 0. */
static int endpoint_port(const char *endpoint)
{
    const char *colon = strrchr(endpoint, ':');
    long port;
    char *end;

    if (!colon)
        return 0;
    port = strtol(colon + 1, &end, 10);
    return *end == '\0' && port > 0 && port < 65536 ? (int)port : 0;
}

static bool port_listening(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return false;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool up = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return up;
}

/* Waits for the node's clients port, then for its first answer. ZeroMQ
 * retries a refused connection only every 100 ms, so connecting before
 * the port is open would round the start-up time up to that. */
static int wait_node_answers(const char *conf, int64_t give_up)
{
    struct client_config cfg;
    struct client c;
    struct reply r;
    char err[512];

    if (client_config_load(conf, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "load: %s\n", err);
        return -1;
    }
    int port = endpoint_port(cfg.node);
    if (port == 0) {
        fprintf(stderr, "load: %s: node = %s is not tcp://HOST:PORT\n", conf, cfg.node);
        return -1;
    }
    while (!port_listening(port)) {
        if (wall_ns() > give_up) {
            fprintf(stderr, "load: nothing listens on port %d\n", port);
            return -1;
        }
        sleep_ns(500000);
    }
    if (client_open(&c, conf) != 0)
        return -1;
    int rc = client_call(&c, "whoami", "{}", &r);
    if (rc == 0)
        reply_free(&r);
    client_close(&c);
    return rc;
}

static int coord_seq(sqlite3 *db, long *seq)
{
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'coord_seq'", -1, &st, NULL) !=
        SQLITE_OK)
        return -1;
    int step = sqlite3_step(st);
    *seq = step == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return step == SQLITE_ROW || step == SQLITE_DONE ? 0 : -1;
}

static int wait_coord_seq(const char *path, long head, int64_t give_up)
{
    sqlite3 *db = db_open_readonly(path);
    long seq = 0;
    int rc = db ? 0 : -1;

    while (rc == 0 && seq < head) {
        if (coord_seq(db, &seq) != 0) {
            fprintf(stderr, "load: cannot read coord_seq in %s: %s\n", path, sqlite3_errmsg(db));
            rc = -1;
        } else if (seq < head && wall_ns() > give_up) {
            fprintf(stderr, "load: %s reached journal entry %ld of %ld\n", path, seq, head);
            rc = -1;
        } else if (seq < head) {
            sleep_ns(1000000);
        }
    }
    sqlite3_close(db);
    return rc;
}

static int cmd_resync(int argc, char **argv)
{
    long head = -1;
    int64_t since = 0;
    const char *db = NULL;
    int i;

    for (i = 0; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--since-ns") == 0) {
            since = strtoll(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--head") == 0) {
            if (!parse_long("--head", argv[i + 1], 0, LONG_MAX, &head))
                return 2;
        } else if (strcmp(argv[i], "--db") == 0) {
            db = argv[i + 1];
        } else {
            return usage();
        }
    }
    if (i != argc - 1 || since <= 0 || head < 0 || !db)
        return usage();
    int64_t give_up = since + RESYNC_WAIT_NS;
    if (wait_node_answers(argv[i], give_up) != 0)
        return 1;
    int64_t up = wall_ns();
    if (wait_coord_seq(db, head, give_up) != 0)
        return 1;
    int64_t synced = wall_ns();
    printf("entries=%ld startup_s=%.3f resync_s=%.3f\n", head, (double)(up - since) / 1e9,
           (double)(synced - since) / 1e9);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "posts") == 0)
        return cmd_posts(argc - 2, argv + 2);
    if (strcmp(argv[1], "latency") == 0)
        return cmd_latency(argc - 2, argv + 2);
    if (strcmp(argv[1], "resync") == 0)
        return cmd_resync(argc - 2, argv + 2);
    if (strcmp(argv[1], "choose") == 0)
        return cmd_choose(argc - 2, argv + 2);
    return usage();
}
