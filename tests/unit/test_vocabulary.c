/* Tests for the pool's vocabulary: what a typo gets as an answer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/vocabulary.h"

static void known_words_pass(void **state)
{
    (void)state;
    struct vocabulary v;
    char why[512] = "";
    vocabulary_default(&v);
    assert_int_equal(v.n_domains, 4);
    assert_int_equal(v.n_languages, 2);
    assert_true(vocabulary_check(&v, 'd', "labour", why, sizeof why));
    assert_true(vocabulary_check(&v, 'l', "en", why, sizeof why));
    /* Nothing heard yet: nothing to check against. */
    struct vocabulary empty;
    memset(&empty, 0, sizeof empty);
    assert_true(vocabulary_check(&empty, 'd', "anything", why, sizeof why));
}

static void typos_get_a_suggestion(void **state)
{
    (void)state;
    struct vocabulary v;
    char why[512];
    vocabulary_default(&v);
    assert_false(vocabulary_check(&v, 'd', "labor", why, sizeof why));
    assert_string_equal(why, "labor: unknown domain; did you mean labour? (the pool's: labour, "
                             "citizen, objection, complaint)");
    assert_false(vocabulary_check(&v, 'd', "complaitn", why, sizeof why));
    assert_non_null(strstr(why, "did you mean complaint?"));
    /* Far from every word: the list, no guess. */
    assert_false(vocabulary_check(&v, 'd', "housing", why, sizeof why));
    assert_null(strstr(why, "did you mean"));
    assert_false(vocabulary_check(&v, 'l', "xx", why, sizeof why));
    assert_string_equal(why, "xx: unknown language (the pool's: nl, en)");
    assert_false(vocabulary_check(&v, 'l', "ne", why, sizeof why));
    assert_non_null(strstr(why, "did you mean nl?"));
}

static void lists_take_words_only(void **state)
{
    (void)state;
    struct vocabulary v;
    memset(&v, 0, sizeof v);
    assert_true(vocabulary_add(&v, 'd', "family"));
    assert_true(vocabulary_add(&v, 'd', "family")); /* twice is once */
    assert_int_equal(v.n_domains, 1);
    assert_false(vocabulary_add(&v, 'd', "Family"));
    assert_false(vocabulary_add(&v, 'd', ""));
    assert_false(vocabulary_add(&v, 'l', "toolonglang"));
    for (int i = 0; i < VOCABULARY_MAX - 1; i++) {
        char w[8] = {'w', (char)('a' + i / 26), (char)('a' + i % 26), 0};
        assert_true(vocabulary_add(&v, 'd', w));
    }
    assert_false(vocabulary_add(&v, 'd', "onemore"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_words_pass),
        cmocka_unit_test(typos_get_a_suggestion),
        cmocka_unit_test(lists_take_words_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
