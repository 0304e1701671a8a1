/* Legal decision periods, against known dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/deadline.h"
#include "wire/args.h"

static int32_t day(const char *text)
{
    int32_t d = deadline_parse(text);
    assert_true(d >= 0);
    return d;
}

static void assert_day(int32_t got, const char *want)
{
    char text[11];
    deadline_format(got, text);
    assert_string_equal(text, want);
}

static void easter_and_the_holidays_it_moves(void **state)
{
    (void)state;
    assert_day(deadline_easter(2024), "2024-03-31");
    assert_day(deadline_easter(2025), "2025-04-20");
    assert_day(deadline_easter(2026), "2026-04-05");
    assert_day(deadline_easter(2038), "2038-04-25");
    const char *const holidays_2026[] = {"2026-01-01", "2026-04-03", "2026-04-06",
                                         "2026-04-27", "2026-05-05", "2026-05-14",
                                         "2026-05-25", "2026-12-25", "2026-12-26"};
    for (size_t i = 0; i < sizeof holidays_2026 / sizeof *holidays_2026; i++)
        assert_true(deadline_holiday(day(holidays_2026[i]), NULL));
    assert_false(deadline_holiday(day("2026-04-05"), NULL)); /* Easter Sunday: a Sunday */
    assert_false(deadline_holiday(day("2026-04-07"), NULL));
    /* King's Day 2025: the 27th is a Sunday, so it is kept on the 26th. */
    assert_true(deadline_holiday(day("2025-04-26"), NULL));
    assert_false(deadline_holiday(day("2025-04-27"), NULL));
}

static void periods_run_to_the_next_working_day(void **state)
{
    (void)state;
    const char *why;
    struct deadline_input in = {.kind = DEADLINE_OBJECTION};
    /* Ends on Easter Monday 2026: the Tuesday after. */
    in.start = day("2026-02-23");
    assert_day(deadline_compute(&in, NULL, &why), "2026-04-07");
    /* Ends on Saturday 26 April 2025, King's Day kept a day early: Monday. */
    in.start = day("2025-03-15");
    assert_day(deadline_compute(&in, NULL, &why), "2025-04-28");
    /* Ends on Christmas Day 2026 (a Friday): Monday the 28th. */
    in.start = day("2026-11-13");
    assert_day(deadline_compute(&in, NULL, &why), "2026-12-28");
    /* Ends on New Year's Day 2027 (a Friday): Monday 4 January. */
    in.start = day("2026-11-20");
    assert_day(deadline_compute(&in, NULL, &why), "2027-01-04");
    /* An ordinary Monday stays. */
    in.start = day("2026-03-02");
    assert_day(deadline_compute(&in, NULL, &why), "2026-04-13");
}

static void committees_postponements_and_suspensions(void **state)
{
    (void)state;
    const char *why;
    struct deadline_input in = {.kind = DEADLINE_OBJECTION, .start = day("2026-03-02")};
    in.committee = true; /* 12 weeks: Whit Monday, so the Tuesday */
    assert_day(deadline_compute(&in, NULL, &why), "2026-05-26");
    in.committee = false;
    in.postponed_days = 42; /* the same 12 weeks by postponement */
    assert_day(deadline_compute(&in, NULL, &why), "2026-05-26");
    in.postponed_days = 43;
    assert_int_equal(deadline_compute(&in, NULL, &why), -1);
    assert_non_null(strstr(why, "7:10(3)"));
    in.postponed_days = 42;
    in.consented_days = 14; /* further, with consent */
    assert_day(deadline_compute(&in, NULL, &why), "2026-06-08");

    struct deadline_input c = {.kind = DEADLINE_COMPLAINT, .start = day("2026-06-01")};
    assert_day(deadline_compute(&c, NULL, &why), "2026-07-13");
    c.committee = true; /* 10 weeks */
    assert_day(deadline_compute(&c, NULL, &why), "2026-08-10");
    c.committee = false;
    c.postponed_days = 29;
    assert_int_equal(deadline_compute(&c, NULL, &why), -1);
    assert_non_null(strstr(why, "9:11(2)"));

    struct deadline_input s = {.kind = DEADLINE_OBJECTION,
                               .start = day("2026-06-01"),
                               .suspended_days = 10}; /* an omission repaired in 10 days */
    assert_day(deadline_compute(&s, NULL, &why), "2026-07-23");
}

static void working_days_and_decree_days(void **state)
{
    (void)state;
    const char *why;
    /* 10 working days from Wednesday 1 April 2026 skip Good Friday and Easter Monday. */
    struct deadline_input in = {
        .kind = DEADLINE_INTERNAL, .start = day("2026-04-01"), .working_days = 10};
    assert_day(deadline_compute(&in, NULL, &why), "2026-04-17");
    /* A day set by decree counts as a holiday. */
    int32_t decree[] = {day("2026-04-13")};
    struct deadline_extra extra = {decree, 1};
    struct deadline_input o = {.kind = DEADLINE_OBJECTION, .start = day("2026-03-02")};
    assert_day(deadline_compute(&o, &extra, &why), "2026-04-14");
    assert_int_equal(deadline_parse("2026-02-30"), -1);
    assert_int_equal(deadline_parse("26-02-03"), -1);
}

/* The help text of `mpool case deadline` names the codes the node takes. */
static void the_codes_in_words_are_the_codes(void **state)
{
    (void)state;
    char words[256];
    args_choices_text(deadline_move_codes, words, sizeof words);
    assert_string_equal(words, DEADLINE_MOVE_CODES_TEXT);
    assert_int_equal(deadline_kind_parse("complaint"), DEADLINE_COMPLAINT);
    assert_string_equal(deadline_kind_name(DEADLINE_OBJECTION), "objection");
    assert_int_equal(deadline_kind_parse("appeal"), DEADLINE_NONE);
}

/* An offer never runs into the decision date; a date already reached or
 * far away leaves the normal expiry. */
static void offers_end_before_the_decision_date(void **state)
{
    (void)state;
    const int64_t hour = 3600000, day = 24 * hour, two_days = 48 * hour;
    int32_t by = deadline_day(2027, 3, 10);
    int64_t midnight = (int64_t)by * day; /* 2027-03-10 00:00 UTC */
    assert_int_equal(deadline_today(midnight + 23 * hour), by);
    /* Far enough: 48 hours. */
    int64_t now = midnight - 5 * day;
    assert_int_equal(deadline_offer_expiry(now, two_days, by), now + two_days);
    /* The evening before: until the decision day starts. */
    now = midnight - 10 * hour;
    assert_int_equal(deadline_offer_expiry(now, two_days, by), midnight);
    assert_true(deadline_offer_capped(midnight, by));
    assert_false(deadline_offer_capped(midnight - 5 * day + two_days, by));
    assert_false(deadline_offer_capped(midnight, -1));
    /* On the day itself, or later, or without a date: the normal expiry. */
    now = midnight + hour;
    assert_int_equal(deadline_offer_expiry(now, two_days, by), now + two_days);
    assert_int_equal(deadline_offer_expiry(now, two_days, -1), now + two_days);
}

/* A legal date is near two weeks before; the pool's own target of 10
 * working days (14 days) is, on the day it is set, not near at all. */
static void an_internal_target_is_near_only_near_its_own_date(void **state)
{
    (void)state;
    int32_t posted = deadline_day(2026, 12, 1), by = deadline_day(2026, 12, 15);
    assert_int_equal(deadline_near_days(DEADLINE_OBJECTION, posted, by), AT_RISK_DAYS);
    assert_int_equal(deadline_near_days(DEADLINE_COMPLAINT, posted, by), AT_RISK_DAYS);
    int32_t near = deadline_near_days(DEADLINE_INTERNAL, posted, by);
    assert_int_equal(near, 4);
    assert_true(by - posted > near); /* not near when posted */
    assert_int_equal(deadline_near_days(DEADLINE_INTERNAL, by - 1, by), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(easter_and_the_holidays_it_moves),
        cmocka_unit_test(periods_run_to_the_next_working_day),
        cmocka_unit_test(committees_postponements_and_suspensions),
        cmocka_unit_test(working_days_and_decree_days),
        cmocka_unit_test(the_codes_in_words_are_the_codes),
        cmocka_unit_test(offers_end_before_the_decision_date),
        cmocka_unit_test(an_internal_target_is_near_only_near_its_own_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
