/* The audit trail: appended, chained, and every edit or removal found. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node/audit.h"
#include "node/schema.h"
#include "store/store.h"

static char dir[64], path[96];
static sqlite3 *db;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/mpool-audit-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/mpool.db", dir);
    char err[256];
    db = store_open(path, schema_migrations, schema_migration_count, err, sizeof err);
    if (!db)
        return -1;
    static const char *const ops[] = {"case.post", "case.show", "case.list", "offer.narrative"};
    for (int i = 0; i < 4; i++) {
        if (store_begin(db) < 0 ||
            audit_append(db, 1700000000000 + i, "hr1", ops[i], "almere-0000000a", "ok") < 0 ||
            store_commit(db) < 0)
            return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(&db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int verify(int64_t *bad, char *why, size_t len)
{
    int64_t rows;
    return audit_verify(db, &rows, bad, why, len);
}

/* Tampering needs the triggers out of the way: they refuse it first. */
static void tamper(const char *sql)
{
    char *err = NULL;
    assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;",
                                  NULL, NULL, &err),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_OK);
}

static void an_intact_trail_verifies(void **state)
{
    (void)state;
    int64_t rows = 0, bad = 0;
    char why[256];
    assert_int_equal(audit_verify(db, &rows, &bad, why, sizeof why), 0);
    assert_int_equal(rows, 4);
}

static void an_edited_row_is_found(void **state)
{
    (void)state;
    tamper("UPDATE audit SET user_id = 'hr2' WHERE id = 2");
    int64_t bad = 0;
    char why[256];
    assert_int_equal(verify(&bad, why, sizeof why), -1);
    assert_int_equal(bad, 2);
    assert_non_null(strstr(why, "was changed"));
}

static void a_removed_row_is_found(void **state)
{
    (void)state;
    tamper("DELETE FROM audit WHERE id = 3");
    int64_t bad = 0;
    char why[256];
    assert_int_equal(verify(&bad, why, sizeof why), -1);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(why, "missing"));
}

static void a_removed_last_row_is_found(void **state)
{
    (void)state;
    tamper("DELETE FROM audit WHERE id = 4");
    int64_t bad = 0;
    char why[256];
    assert_int_equal(verify(&bad, why, sizeof why), -1);
    assert_non_null(strstr(why, "removed"));
}

static int64_t count(const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

#define DAY_MS (86400000LL)
#define NOW    (1700000000000LL + 400 * DAY_MS)

/* Rows older than the period go beneath an anchor; the rest still
 * verifies, the newest row always stays, and the destruction list says
 * how many went. */
static void old_rows_go_beneath_an_anchor(void **state)
{
    (void)state;
    assert_int_equal(store_begin(db), 0);
    assert_int_equal(audit_append(db, NOW - DAY_MS, "aud", "audit.list", "", "ok"), 0);
    assert_int_equal(store_commit(db), 0);
    assert_int_equal(audit_sweep(db, NOW, 30 * DAY_MS), 4);
    int64_t rows = 0, bad = 0;
    char why[256];
    assert_int_equal(audit_verify(db, &rows, &bad, why, sizeof why), 0);
    assert_int_equal(rows, 2); /* the kept row, and the sweep's own */
    assert_int_equal(count("SELECT COUNT(*) FROM audit WHERE op = 'retention.audit' AND"
                           " result = 'removed the rows up to 4'"),
                     1);
    assert_int_equal(count("SELECT COUNT(*) FROM destroyed WHERE kind = 'audit trail' AND"
                           " rule LIKE '%audit = 30 days%: 4 rows'"),
                     1);
    /* Long after, the newest row is still the chain's head. */
    assert_int_equal(audit_sweep(db, NOW + 3650 * DAY_MS, 30 * DAY_MS), 1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit"), 2);
    /* The chain goes on from the kept rows. */
    assert_int_equal(store_begin(db), 0);
    assert_int_equal(audit_append(db, NOW, "aud", "audit.list", "", "ok"), 0);
    assert_int_equal(store_commit(db), 0);
    assert_int_equal(audit_verify(db, &rows, &bad, why, sizeof why), 0);
    assert_int_equal(rows, 3);
}

/* Beneath the anchor rows may go; above it, and the anchor itself, not. */
static void the_anchor_guards_the_rest(void **state)
{
    (void)state;
    assert_int_equal(audit_sweep(db, NOW, 30 * DAY_MS), 3);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id = 4", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(
        sqlite3_exec(db, "INSERT INTO audit_anchor VALUES(2, zeroblob(32), 0)", NULL, NULL, NULL),
        SQLITE_OK);
    /* Nor past the anchor with a made-up hash, nor at the head. */
    assert_int_not_equal(
        sqlite3_exec(db, "INSERT INTO audit_anchor VALUES(4, zeroblob(32), 0)", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO audit_anchor SELECT id, hash, 0 FROM audit"
                                      " WHERE id = (SELECT MAX(id) FROM audit)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_anchor SET upto = 4", NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_anchor", NULL, NULL, NULL), SQLITE_OK);
    /* A row edited above the anchor is still found. */
    tamper("UPDATE audit SET op = 'case.list' WHERE id = 4");
    int64_t bad = 0;
    char why[256];
    assert_int_equal(verify(&bad, why, sizeof why), -1);
    assert_int_equal(bad, 4);
}

/* An anchor set by hand, with a true hash, lets rows be deleted; the
 * missing sweep row beside it gives that away. */
static void rows_removed_outside_a_sweep_are_found(void **state)
{
    (void)state;
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO audit_anchor SELECT id, hash, 0 FROM audit"
                                  " WHERE id = 3; DELETE FROM audit WHERE id <= 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    int64_t bad = 0;
    char why[256];
    assert_int_equal(verify(&bad, why, sizeof why), -1);
    assert_int_equal(bad, 3);
    assert_non_null(strstr(why, "not by the retention sweep"));
}

/* A damaged trail keeps every row until it verifies again. */
static void a_damaged_trail_is_not_swept(void **state)
{
    (void)state;
    tamper("UPDATE audit SET user_id = 'hr2' WHERE id = 2");
    assert_int_equal(audit_sweep(db, NOW, 30 * DAY_MS), -1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit"), 4);
    assert_int_equal(count("SELECT COUNT(*) FROM destroyed"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(an_intact_trail_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(an_edited_row_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(a_removed_row_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(a_removed_last_row_is_found, setup, teardown),
        cmocka_unit_test_setup_teardown(old_rows_go_beneath_an_anchor, setup, teardown),
        cmocka_unit_test_setup_teardown(the_anchor_guards_the_rest, setup, teardown),
        cmocka_unit_test_setup_teardown(a_damaged_trail_is_not_swept, setup, teardown),
        cmocka_unit_test_setup_teardown(rows_removed_outside_a_sweep_are_found, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
