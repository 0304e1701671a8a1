/* The fingerprint of a matcher input (match/fingerprint.c): what
 * docs/matching.md section 7 promises of c_rounds.input_hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "match/fingerprint.h"

/* A decision's fingerprint must stay checkable: an input without a
 * decision date hashes as it did before the deadline term existed (the
 * value below), whatever the deadline weights; a date, or another number
 * of days left, is a different input. */
static void fingerprint_is_stable_and_covers_the_deadline(void **state)
{
    (void)state;
    static const char *const langs[] = {"nl"}, *const refs[] = {"m:zeist"};
    struct match_case c = {.id = "c1",
                           .requester = "zeist",
                           .domain = "labour",
                           .language = "nl",
                           .parties = {refs, 1},
                           .lat = 52.1,
                           .lon = 5.2,
                           .seats = 1};
    struct match_mediator m = {.id = "almere:m1",
                               .municipality = "almere",
                               .lat = 52.3,
                               .lon = 5.2,
                               .capacity = 2,
                               .languages = {langs, 1},
                               .available = true};
    struct match_weights w;
    match_weights_default(&w);
    char hex[FINGERPRINT_HEX], dated[FINGERPRINT_HEX], other[FINGERPRINT_HEX];
    match_fingerprint(&c, 1, &m, 1, &w, hex);
    assert_string_equal(hex, "2f06cc62b659e33c4e03f530bba18166e1ad93988aeec9e6d07588a883cd7aa7");
    w.deadline_per_day = 7;
    match_fingerprint(&c, 1, &m, 1, &w, other);
    assert_string_equal(other, hex);
    c.has_deadline = true;
    c.days_left = 3;
    match_fingerprint(&c, 1, &m, 1, &w, dated);
    assert_string_not_equal(dated, hex);
    c.days_left = 4;
    match_fingerprint(&c, 1, &m, 1, &w, other);
    assert_string_not_equal(other, dated);
    c.days_left = 3;
    w.deadline_per_day = 8;
    match_fingerprint(&c, 1, &m, 1, &w, other);
    assert_string_not_equal(other, dated);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fingerprint_is_stable_and_covers_the_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
