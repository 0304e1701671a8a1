/* floor: the two physical costs under every step of a post, measured on
 * this machine with no application work around them:
 *   - a CURVE round trip on loopback: DEALER to ROUTER and back, a
 *     300-byte message, the transport between mpool, nodes and coordinator;
 *   - a durable SQLite commit: one small INSERT per transaction, WAL and
 *     synchronous=FULL as the daemons open their stores, in DIR.
 * Usage: floor DIR. Prints one key=value line, microseconds. */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#define MESSAGE_BYTES 300
#define WARMUP_TRIPS  200
#define TRIPS         3000
#define COMMITS       500
#define MAX_SAMPLES   TRIPS

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

struct stats {
    double p50, p99;
};

static struct stats summarize(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i99 = (size_t)(0.99 * (double)n);
    return (struct stats){.p50 = v[n / 2], .p99 = v[i99 < n ? i99 : n - 1]};
}

/* ---- CURVE round trip ---- */

/* Echoes every message back to its sender until an empty one comes. */
static void *echo_main(void *arg)
{
    void *router = arg;

    for (;;) {
        zmq_msg_t id, body;
        zmq_msg_init(&id);
        zmq_msg_init(&body);
        if (zmq_msg_recv(&id, router, 0) < 0 || zmq_msg_recv(&body, router, 0) < 0) {
            zmq_msg_close(&id);
            zmq_msg_close(&body);
            break;
        }
        size_t len = zmq_msg_size(&body);
        int sent =
            zmq_msg_send(&id, router, ZMQ_SNDMORE) >= 0 && zmq_msg_send(&body, router, 0) >= 0;
        zmq_msg_close(&id);
        zmq_msg_close(&body);
        if (!sent || len == 0)
            break;
    }
    return NULL;
}

static int curve_server(void *sock, const unsigned char sk[crypto_box_SECRETKEYBYTES],
                        char *endpoint, size_t len)
{
    int one = 1, zero = 0;

    if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
        zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, sk, crypto_box_SECRETKEYBYTES) != 0 ||
        zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero) != 0 ||
        zmq_bind(sock, "tcp://127.0.0.1:*") != 0)
        return -1;
    return zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, endpoint, &len);
}

static int curve_client(void *sock, const unsigned char server_pk[crypto_box_PUBLICKEYBYTES],
                        const char *endpoint)
{
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    int zero = 0;

    crypto_box_keypair(pk, sk);
    int rc = zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, server_pk, crypto_box_PUBLICKEYBYTES) ||
             zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, pk, sizeof pk) ||
             zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, sk, sizeof sk) ||
             zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero) || zmq_connect(sock, endpoint);
    sodium_memzero(sk, sizeof sk);
    return rc == 0 ? 0 : -1;
}

/* n round trips; the time of each goes to out (may be NULL). */
static int round_trips(void *dealer, int n, double *out)
{
    char msg[MESSAGE_BYTES], back[MESSAGE_BYTES + 1];

    randombytes_buf(msg, sizeof msg);
    for (int i = 0; i < n; i++) {
        double t0 = now_us();
        if (zmq_send(dealer, msg, sizeof msg, 0) != (int)sizeof msg ||
            zmq_recv(dealer, back, sizeof back, 0) != (int)sizeof msg)
            return -1;
        if (out)
            out[i] = now_us() - t0;
    }
    return 0;
}

static int measure_curve(double *samples, struct stats *st)
{
    unsigned char pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES];
    char endpoint[256];
    pthread_t echo;
    int timeout = 5000, rc = -1;

    crypto_box_keypair(pk, sk);
    void *ctx = zmq_ctx_new();
    void *router = ctx ? zmq_socket(ctx, ZMQ_ROUTER) : NULL;
    void *dealer = ctx ? zmq_socket(ctx, ZMQ_DEALER) : NULL;
    if (router && dealer && curve_server(router, sk, endpoint, sizeof endpoint) == 0 &&
        curve_client(dealer, pk, endpoint) == 0 &&
        zmq_setsockopt(dealer, ZMQ_RCVTIMEO, &timeout, sizeof timeout) == 0 &&
        pthread_create(&echo, NULL, echo_main, router) == 0) {
        rc =
            round_trips(dealer, WARMUP_TRIPS, NULL) == 0 && round_trips(dealer, TRIPS, samples) == 0
                ? 0
                : -1;
        zmq_send(dealer, "", 0, 0); /* stops the echo */
        pthread_join(echo, NULL);
    }
    if (rc != 0)
        fprintf(stderr, "floor: the CURVE round trip failed (%s)\n", zmq_strerror(zmq_errno()));
    sodium_memzero(sk, sizeof sk);
    if (dealer)
        zmq_close(dealer);
    if (router)
        zmq_close(router);
    if (ctx)
        zmq_ctx_term(ctx);
    if (rc == 0)
        *st = summarize(samples, TRIPS);
    return rc;
}

/* ---- durable commit ---- */

static int commits(sqlite3 *db, double *samples)
{
    sqlite3_stmt *st;
    unsigned char row[100];

    if (sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t(body) VALUES(?1)", -1, &st, NULL) != SQLITE_OK)
        return -1;
    randombytes_buf(row, sizeof row);
    int rc = 0;
    for (int i = 0; i < COMMITS && rc == 0; i++) {
        double t0 = now_us();
        sqlite3_bind_blob(st, 1, row, sizeof row, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
        samples[i] = now_us() - t0;
    }
    sqlite3_finalize(st);
    return rc;
}

static void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char name[4096];

    for (size_t i = 0; i < sizeof suffixes / sizeof *suffixes; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        if (unlink(name) != 0 && errno != ENOENT)
            fprintf(stderr, "floor: cannot remove %s: %s\n", name, strerror(errno));
    }
}

static int measure_commit(const char *dir, double *samples, struct stats *out)
{
    char path[4096];
    sqlite3 *db = NULL;

    if (snprintf(path, sizeof path, "%s/floor.db", dir) >= (int)sizeof path) {
        fprintf(stderr, "floor: the folder path is too long\n");
        return -1;
    }
    remove_db(path);
    int rc = sqlite3_open(path, &db) == SQLITE_OK ? commits(db, samples) : -1;
    if (rc != 0)
        fprintf(stderr, "floor: durable commits in %s failed: %s\n", path,
                db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    remove_db(path);
    if (rc == 0)
        *out = summarize(samples, COMMITS);
    return rc;
}

int main(int argc, char **argv)
{
    static double samples[MAX_SAMPLES];
    struct stats curve, commit;

    if (argc != 2) {
        fprintf(stderr, "usage: floor DIR (a folder on the pool's file system)\n");
        return 2;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "floor: libsodium cannot start\n");
        return 1;
    }
    if (measure_curve(samples, &curve) != 0 || measure_commit(argv[1], samples, &commit) != 0)
        return 1;
    printf("bytes=%d curve_p50_us=%.1f curve_p99_us=%.1f commit_p50_us=%.1f "
           "commit_p99_us=%.1f\n",
           MESSAGE_BYTES, curve.p50, curve.p99, commit.p50, commit.p99);
    return 0;
}
