/* Tests for ids and dates: which names a node accepts, and which dates an
 * operator may type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/ids.h"

static void test_id_valid(void **state)
{
    (void)state;
    assert_true(id_valid("zeist"));
    assert_true(id_valid("de-bilt"));
    assert_true(id_valid("s-hertogenbosch"));
    assert_true(id_valid("0800.team_a"));
    assert_true(id_valid("a"));

    char longest[ID_MAX];
    memset(longest, 'a', ID_MAX - 1);
    longest[ID_MAX - 1] = '\0';
    assert_true(id_valid(longest));

    char too_long[ID_MAX + 1];
    memset(too_long, 'a', ID_MAX);
    too_long[ID_MAX] = '\0';
    assert_false(id_valid(too_long));

    assert_false(id_valid(""));
    assert_false(id_valid(NULL));
    assert_false(id_valid("Zeist"));
    assert_false(id_valid("-zeist"));
    assert_false(id_valid(".zeist"));
    assert_false(id_valid("_zeist"));
    assert_false(id_valid("de bilt"));
    assert_false(id_valid("zeist:jan"));
    assert_false(id_valid("z\xc3\xa9"));
}

static void test_mediator_id_valid(void **state)
{
    (void)state;
    assert_true(mediator_id_valid("zeist:jdevries"));
    assert_true(mediator_id_valid("de-bilt:a.bakker"));
    assert_false(mediator_id_valid("zeist"));
    assert_false(mediator_id_valid("zeist:"));
    assert_false(mediator_id_valid(":jdevries"));
    assert_false(mediator_id_valid("zeist:j:devries"));
    assert_false(mediator_id_valid("Zeist:jdevries"));
    assert_false(mediator_id_valid(NULL));
}

static void test_case_id_new_is_valid_and_fresh(void **state)
{
    (void)state;
    char a[ID_MAX + 12], b[ID_MAX + 12];

    case_id_new("de-bilt", a, sizeof a);
    case_id_new("de-bilt", b, sizeof b);
    assert_int_equal(strlen(a), strlen("de-bilt-") + 8);
    assert_memory_equal(a, "de-bilt-", 8);
    assert_true(case_id_valid(a));
    assert_true(case_id_valid(b));
    assert_string_not_equal(a, b);
}

static void test_case_id_valid(void **state)
{
    (void)state;
    assert_true(case_id_valid("zeist-0a1b2c3d"));
    assert_true(case_id_valid("de-bilt-ffffffff"));
    assert_false(case_id_valid("zeist-0a1b2c3"));   /* 7 hex */
    assert_false(case_id_valid("zeist-0a1b2c3d4")); /* 9 hex */
    assert_false(case_id_valid("zeist-0A1B2C3D"));
    assert_false(case_id_valid("zeist-0a1b2c3g"));
    assert_false(case_id_valid("-0a1b2c3d"));
    assert_false(case_id_valid("Zeist-0a1b2c3d"));
    assert_false(case_id_valid("zeist0a1b2c3d"));
    assert_false(case_id_valid("zeist-0a1b2c3d-"));
    assert_false(case_id_valid(""));
    assert_false(case_id_valid(NULL));
}

static void test_date_parse_real_dates(void **state)
{
    (void)state;
    assert_int_equal(date_parse_ms("1970-01-01"), 0);
    assert_int_equal(date_parse_ms("2024-02-29"), INT64_C(1709164800000));
    assert_int_equal(date_parse_ms("2000-02-29"), INT64_C(951782400000));
    assert_int_equal(date_parse_ms("2026-12-31"), INT64_C(1798675200000));
}

static void test_date_parse_rejects_impossible_dates(void **state)
{
    (void)state;
    assert_int_equal(date_parse_ms("2026-02-30"), -1);
    assert_int_equal(date_parse_ms("2023-02-29"), -1); /* not a leap year */
    assert_int_equal(date_parse_ms("2100-02-29"), -1); /* century, not a leap year */
    assert_int_equal(date_parse_ms("2026-04-31"), -1);
    assert_int_equal(date_parse_ms("2026-13-01"), -1);
    assert_int_equal(date_parse_ms("2026-00-10"), -1);
    assert_int_equal(date_parse_ms("2026-01-00"), -1);
}

static void test_date_parse_rejects_other_formats(void **state)
{
    (void)state;
    assert_int_equal(date_parse_ms("2026-1-05"), -1);
    assert_int_equal(date_parse_ms("2026/01/05"), -1);
    assert_int_equal(date_parse_ms("05-01-2026"), -1);
    assert_int_equal(date_parse_ms(" 2026-01-05"), -1);
    assert_int_equal(date_parse_ms("2026-01-05 "), -1);
    assert_int_equal(date_parse_ms("2026-01-05T00:00"), -1);
    assert_int_equal(date_parse_ms("2026-+1-05"), -1);
    assert_int_equal(date_parse_ms(""), -1);
    assert_int_equal(date_parse_ms(NULL), -1);
}

static void test_time_format(void **state)
{
    (void)state;
    char out[20];

    time_format(date_parse_ms("2024-02-29") + (13 * 3600 + 5 * 60) * 1000 + 999, out, sizeof out);
    assert_string_equal(out, "2024-02-29 13:05");
    time_format(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01 00:00");
}

static void test_now_ms_is_current(void **state)
{
    (void)state;
    int64_t now = now_ms();
    assert_true(now > date_parse_ms("2024-01-01"));
    assert_true(now < date_parse_ms("2200-01-01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_valid),
        cmocka_unit_test(test_mediator_id_valid),
        cmocka_unit_test(test_case_id_new_is_valid_and_fresh),
        cmocka_unit_test(test_case_id_valid),
        cmocka_unit_test(test_date_parse_real_dates),
        cmocka_unit_test(test_date_parse_rejects_impossible_dates),
        cmocka_unit_test(test_date_parse_rejects_other_formats),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_now_ms_is_current),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
