/* The database: pragmas, numbered migrations, and refusing a newer schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "node/schema.h"
#include "store/store.h"

static char dir[64], path[96];

/* The database lives in a folder of its own: mpoold refuses one whose
 * folder others may write to, as /tmp is. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mpool-store-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/mpool.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char p[128];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
    chmod(dir, 0700);
    rmdir(dir);
    return 0;
}

static int64_t pragma(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = store_prepare(db, sql);
    assert_non_null(st);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    store_release(st);
    return v;
}

static void opens_durable_and_migrated(void **state)
{
    (void)state;
    char err[256];
    sqlite3 *db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(pragma(db, "PRAGMA user_version"), (int64_t)schema_migration_count);
    assert_int_equal(pragma(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(pragma(db, "PRAGMA synchronous"), 2); /* FULL */
    sqlite3_stmt *st = store_prepare(db, "PRAGMA journal_mode");
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    store_release(st);
    assert_int_equal(store_meta_set(db, "x", 42), 0);
    store_close(&db);
    assert_null(db);

    db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    int64_t v = 0;
    assert_int_equal(store_meta_get(db, "x", &v), 0);
    assert_int_equal(v, 42); /* kept, and migrations not run twice */
    store_close(&db);
}

static void newer_schema_is_refused(void **state)
{
    (void)state;
    char err[256];
    sqlite3 *db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(store_exec(db, "PRAGMA user_version = 99"), 0);
    store_close(&db);
    db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_null(db);
    assert_non_null(strstr(err, "newer than this mpoold knows"));
}

static void failed_migration_leaves_version(void **state)
{
    (void)state;
    static const char *const bad[] = {"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER);",
                                      "CREATE TABLE t(a); SELECT no_such_function();"};
    char err[256];
    sqlite3 *db = store_open(path, bad, 2, err, sizeof err);
    assert_null(db);
    assert_non_null(strstr(err, "migration 2 failed"));
    db = store_open(path, bad, 1, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(pragma(db, "PRAGMA user_version"), 1);
    assert_int_equal(pragma(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 't'"), 0);
    store_close(&db);
}

/* A statement in use is never handed out twice, and one handed back comes
 * back reset, without the last caller's bindings or open read. */
static void prepared_statements_are_reused_safely(void **state)
{
    (void)state;
    char err[256];
    sqlite3 *db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    const char *sql = "SELECT ?1";
    sqlite3_stmt *a = store_prepare(db, sql);
    sqlite3_stmt *b = store_prepare(db, sql);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    sqlite3_bind_int(a, 1, 7);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    store_release(a);
    store_release(b);
    sqlite3_stmt *again = store_prepare(db, sql);
    assert_ptr_equal(again, a);
    assert_int_equal(sqlite3_step(again), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(again, 0), SQLITE_NULL); /* no binding left */
    store_release(again);
    store_close(&db);
    assert_null(db);
}

/* Names and narratives: nobody but mpoold reads the database, nobody else
 * writes into its folder. */
static void others_keep_out(void **state)
{
    (void)state;
    char err[512];
    sqlite3 *db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    store_close(&db);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 077, 0); /* created 0600, whatever the umask */

    chmod(path, 0644);
    assert_null(store_open(path, schema_migrations, schema_migration_count, err, sizeof err));
    assert_non_null(strstr(err, "chmod 600"));
    chmod(path, 0600);

    chmod(dir, 0777);
    assert_null(store_open(path, schema_migrations, schema_migration_count, err, sizeof err));
    assert_non_null(strstr(err, "writable by group or others"));
    chmod(dir, 0700);
    db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    store_close(&db);
}

/* A reader on the WAL holds the checkpoint up without making the writer
 * wait; once it is gone, the next try truncates the WAL. */
static void reclaim_waits_for_no_one(void **state)
{
    (void)state;
    char err[256], wal[128];
    sqlite3 *db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    assert_non_null(db);
    assert_int_equal(store_exec(db, "CREATE TABLE t(x TEXT)"), 0);
    assert_int_equal(store_exec(db, "INSERT INTO t VALUES('one')"), 0);
    sqlite3 *reader = NULL;
    assert_int_equal(sqlite3_open(path, &reader), SQLITE_OK);
    assert_int_equal(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM t;", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(store_exec(db, "DELETE FROM t"), 0);

    time_t before = time(NULL);
    assert_int_equal(store_reclaim(db), 1);
    assert_true(time(NULL) - before < 2);
    assert_true(store_reclaim_pending());

    sqlite3_close(reader);
    assert_int_equal(store_reclaim(db), 0);
    assert_false(store_reclaim_pending());
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", path);
    assert_int_equal(stat(wal, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    store_close(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(opens_durable_and_migrated, setup, teardown),
        cmocka_unit_test_setup_teardown(newer_schema_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(prepared_statements_are_reused_safely, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_migration_leaves_version, setup, teardown),
        cmocka_unit_test_setup_teardown(others_keep_out, setup, teardown),
        cmocka_unit_test_setup_teardown(reclaim_waits_for_no_one, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
