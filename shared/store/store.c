/* store: the node's SQLite database, opened the same way everywhere. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"

static void cache_drop(sqlite3 *db);

static int apply_pragmas(sqlite3 *db, char *err, size_t errlen)
{
    static const char *const pragmas[] = {
        "PRAGMA journal_mode=WAL",
        "PRAGMA synchronous=FULL",
        "PRAGMA foreign_keys=ON",
        "PRAGMA secure_delete=ON",
    };
    for (size_t i = 0; i < sizeof pragmas / sizeof *pragmas; i++) {
        char *msg = NULL;
        if (sqlite3_exec(db, pragmas[i], NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "%s failed: %s", pragmas[i], msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            return -1;
        }
    }
    return 0;
}

static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

static int migrate(sqlite3 *db, const char *const *migrations, size_t count, char *err,
                   size_t errlen)
{
    int version;
    if (user_version(db, &version) < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (version < 0 || (size_t)version > count) {
        snprintf(err, errlen,
                 "schema version %d is newer than this mpoold knows (%zu); "
                 "run a newer mpoold or restore a backup",
                 version, count);
        return -1;
    }
    for (size_t i = (size_t)version; i < count; i++) {
        char sql[64], *msg = NULL;
        snprintf(sql, sizeof sql, "PRAGMA user_version=%zu", i + 1);
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, migrations[i], NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migration %zu failed: %s", i + 1,
                     msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return 0;
}

/* The database holds names and narratives: only mpoold may read it, and
 * nobody else may put files (a -wal, a link) into its folder. */
static int check_private(const char *path, const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) == 0 && (st.st_mode & 022) != 0) {
        snprintf(err, errlen,
                 "the database's folder %s is writable by group or others (mode %04o); "
                 "run chmod go-w %s",
                 dir, (unsigned)(st.st_mode & 07777), dir);
        return -1;
    }
    if (lstat(path, &st) < 0) {
        /* SQLite creates its -wal and -shm files with the database's mode. */
        int fd = errno == ENOENT
                     ? open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)
                     : -1;
        if (fd >= 0)
            close(fd);
        return 0;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
        snprintf(err, errlen,
                 S_ISREG(st.st_mode)
                     ? "database %s is readable or writable by group or others (mode %04o); "
                       "it holds personal data: run chmod 600 %s"
                     : "database %s is not a regular file (mode %04o); give the path of the "
                       "database itself, not of a link (%s)",
                 path, (unsigned)(st.st_mode & 07777), path);
        return -1;
    }
    return 0;
}

/* SQLite would open a read-only file or folder and fail later with "unable
 * to open database file"; say what is wrong instead. */
static int check_writable(const char *path, char *err, size_t errlen)
{
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    if (check_private(path, dir, err, errlen) < 0)
        return -1;
    if (access(path, F_OK) == 0 && access(path, W_OK) < 0) {
        snprintf(err, errlen, "database %s is not writable (%s); mpoold must be able to write it",
                 path, strerror(errno));
        return -1;
    }
    if (access(dir, W_OK) < 0) {
        snprintf(err, errlen,
                 "the database's folder %s is not writable (%s); mpoold keeps the database's "
                 "-wal and -shm files there",
                 dir, strerror(errno));
        return -1;
    }
    return 0;
}

sqlite3 *store_open(const char *path, const char *const *migrations, size_t count, char *err,
                    size_t errlen)
{
    if (check_writable(path, err, errlen) < 0)
        return NULL;
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", path,
                 db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    char why[256] = "";
    if (apply_pragmas(db, why, sizeof why) < 0 ||
        migrate(db, migrations, count, why, sizeof why) < 0) {
        snprintf(err, errlen, "database %s: %s", path, why);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

void store_close(sqlite3 **db)
{
    if (db && *db) {
        cache_drop(*db);
        sqlite3_close(*db);
        *db = NULL;
    }
}

int store_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        log_error("database: %s: %s", sql, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int store_begin(sqlite3 *db)
{
    return store_exec(db, "BEGIN IMMEDIATE");
}

int store_commit(sqlite3 *db)
{
    return store_exec(db, "COMMIT");
}

#define DISK_FULL "the node's disk is full; ask its administrator to free space, then try again"

const char *store_failure(sqlite3 *db)
{
    int sys = sqlite3_system_errno(db);
    if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)
        return DISK_FULL;
    switch (sqlite3_errcode(db) & 0xff) { /* the primary code of an extended one */
    case SQLITE_FULL:
        return DISK_FULL;
    case SQLITE_READONLY:
        return "the node's database is read-only; ask its administrator to make it writable";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "the node's database is locked by another program; try again shortly";
    case SQLITE_IOERR:
        return "the node could not write its database (an I/O error: the disk may be full or "
               "failing); ask its administrator to check the disk";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "the node's database is damaged; ask its administrator to restore a backup";
    default:
        return "the node could not store this (see its log)";
    }
}

void store_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepared statements are kept: parsing the same SQL for every request was
 * a third of the coordinator's time. A statement in use is never handed out
 * twice; a second user of the same SQL gets one of its own. */
#define STMT_CACHE_SIZE 160

static struct cached_stmt {
    sqlite3 *db;
    const char *sql; /* sqlite3_sql() of st: owned by the statement */
    uint32_t hash;
    sqlite3_stmt *st;
    bool busy;
} stmt_cache[STMT_CACHE_SIZE];

static uint32_t sql_hash(const char *sql)
{
    uint32_t h = 2166136261u; /* FNV-1a: a lookup key, not a security boundary */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

static struct cached_stmt *cache_find(sqlite3 *db, const char *sql, uint32_t hash)
{
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++) {
        struct cached_stmt *c = &stmt_cache[i];
        if (c->st && c->db == db && c->hash == hash && strcmp(c->sql, sql) == 0)
            return c;
    }
    return NULL;
}

static struct cached_stmt *cache_slot(void)
{
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++)
        if (!stmt_cache[i].st)
            return &stmt_cache[i];
    return NULL;
}

sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql)
{
    uint32_t hash = sql_hash(sql);
    struct cached_stmt *c = cache_find(db, sql, hash);
    if (c && !c->busy) {
        c->busy = true;
        return c->st;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, c ? 0 : SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
        SQLITE_OK) {
        log_error("database: cannot prepare '%s': %s", sql, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        return NULL;
    }
    if (!c && (c = cache_slot()) != NULL)
        *c = (struct cached_stmt){
            .db = db, .sql = sqlite3_sql(st), .hash = hash, .st = st, .busy = true};
    return st;
}

void store_release(sqlite3_stmt *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++) {
        if (stmt_cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            stmt_cache[i].busy = false;
            return;
        }
    }
    sqlite3_finalize(st);
}

static void cache_drop(sqlite3 *db)
{
    for (size_t i = 0; i < STMT_CACHE_SIZE; i++) {
        if (stmt_cache[i].st && stmt_cache[i].db == db) {
            sqlite3_finalize(stmt_cache[i].st);
            memset(&stmt_cache[i], 0, sizeof stmt_cache[i]);
        }
    }
}

int store_meta_get(sqlite3 *db, const char *key, int64_t *value)
{
    sqlite3_stmt *st = store_prepare(db, "SELECT value FROM meta WHERE key = ?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64(st, 0);
    else if (rc == SQLITE_DONE)
        *value = 0;
    store_release(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int store_meta_set(sqlite3 *db, const char *key, int64_t value)
{
    sqlite3_stmt *st = store_prepare(db, "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, value);
    int rc = sqlite3_step(st);
    store_release(st);
    if (rc != SQLITE_DONE) {
        log_error("database: cannot set %s: %s", key, sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

/* Set by a destruction whose checkpoint did not finish; one node has one
 * database, so one flag is the whole state. */
static bool reclaim_pending;

/* PASSIVE never waits, so a reader costs no one a busy stall; TRUNCATE
 * then runs only when every frame is in the database, with no busy wait
 * either: it needs no reader on the WAL, and with one it says BUSY at once. */
static int reclaim_try(sqlite3 *db, int *frames, int *copied)
{
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, frames, copied);
    if (rc != SQLITE_OK)
        return rc;
    if (*copied != *frames)
        return SQLITE_BUSY;
    sqlite3_busy_timeout(db, 0);
    rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, frames, copied);
    sqlite3_busy_timeout(db, STORE_BUSY_MS);
    return rc;
}

int store_reclaim(sqlite3 *db)
{
    int frames = -1, copied = -1;
    int rc = reclaim_try(db, &frames, &copied);
    bool was = reclaim_pending;
    if (rc == SQLITE_OK) {
        reclaim_pending = false;
        if (was)
            log_info("database: the WAL is truncated; destroyed bytes are gone from it");
        return 0;
    }
    reclaim_pending = true;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) {
        log_error("database: the WAL checkpoint failed: %s; it is retried", sqlite3_errmsg(db));
        return -1;
    }
    if (!was)
        log_warn("database: a reader holds the WAL (%d of %d frames copied); the checkpoint is"
                 " retried until it ends",
                 copied, frames);
    return 1;
}

bool store_reclaim_pending(void)
{
    return reclaim_pending;
}

int store_collect_ids(sqlite3_stmt *st, struct id_list *out)
{
    size_t cap = 0;
    int step;
    memset(out, 0, sizeof *out);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            char(*grown)[80] = realloc(out->ids, cap * sizeof *grown);
            if (!grown) {
                id_list_free(out);
                return -1;
            }
            out->ids = grown;
        }
        const unsigned char *v = sqlite3_column_text(st, 0);
        snprintf(out->ids[out->count++], sizeof *out->ids, "%s", v ? (const char *)v : "");
    }
    if (step != SQLITE_DONE) {
        id_list_free(out);
        return -1;
    }
    return 0;
}

void id_list_free(struct id_list *l)
{
    free(l->ids);
    l->ids = NULL;
    l->count = 0;
}
