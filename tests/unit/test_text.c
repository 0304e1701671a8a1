/* UTF-8 checks: what jansson would refuse is caught before it is stored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/text.h"

static void valid_text(void **state)
{
    (void)state;
    assert_true(text_ok("", 10));
    assert_true(text_ok("gewoon tekst", 20));
    assert_true(text_ok("co\xc3\xb6peratie \xe2\x82\xac 5 \xf0\x9f\x98\x80", 40));
    assert_true(text_ok("tab\there", 20));
}

static void invalid_text(void **state)
{
    (void)state;
    assert_false(text_ok("too long", 3));
    assert_false(text_ok("line\nbreak", 20));
    assert_false(text_ok("\x7f", 5));
    assert_false(text_ok("\xc3", 5));             /* cut short */
    assert_false(text_ok("\xc0\xaf", 5));         /* overlong */
    assert_false(text_ok("\xed\xa0\x80", 5));     /* surrogate */
    assert_false(text_ok("\xf4\x90\x80\x80", 5)); /* beyond U+10FFFF */
    assert_false(text_ok("\x80", 5));             /* stray continuation */
}

/* A narrative: several lines, tabs, CRLF files; never NUL, ESC or Latin-1. */
static void text_of_several_lines(void **state)
{
    (void)state;
    const char lines[] = "Regel een\n\tregel twee\r\nrégel drie";
    assert_true(text_lines_ok(lines, sizeof lines - 1, 100));
    assert_true(text_lines_ok("", 0, 100));
    assert_false(text_lines_ok(lines, sizeof lines - 1, 10));
    assert_false(text_lines_ok("a\0b", 3, 100));
    assert_false(text_lines_ok("a\x1b[2Jb", 6, 100));
    assert_false(text_lines_ok("caf\xe9", 4, 100));
    assert_false(text_ok("one\ntwo", 100)); /* a one-line text holds no line break */
}

static void cutting_keeps_whole_characters(void **state)
{
    (void)state;
    char s[16];
    strcpy(s, "ab\xc3");
    text_cut_utf8(s);
    assert_string_equal(s, "ab");
    strcpy(s, "ab\xe2\x82");
    text_cut_utf8(s);
    assert_string_equal(s, "ab");
    strcpy(s, "ab\xe2\x82\xac");
    text_cut_utf8(s);
    assert_string_equal(s, "ab\xe2\x82\xac");
    strcpy(s, "plain");
    text_cut_utf8(s);
    assert_string_equal(s, "plain");
    /* What snprintf leaves when a reason is cut inside a character. */
    char cut[6];
    const char *reason = "abcd\xc3\xab";
    memcpy(cut, reason, sizeof cut - 1); /* as a truncating snprintf leaves it */
    cut[sizeof cut - 1] = '\0';
    text_cut_utf8(cut);
    assert_true(text_ok(cut, 10));
    assert_string_equal(cut, "abcd");
}

/* An address goes into a mail's To: line and the SMTP envelope: nothing
 * that could add a header, a recipient or a display name gets through. */
static void plain_addresses_only(void **state)
{
    (void)state;
    assert_true(email_valid("hr1@zeist.nl"));
    assert_true(email_valid("j.de-vries+pool@gemeente.example"));
    static const char *const bad[] = {
        "",
        "zeist.nl",
        "@zeist.nl",
        "hr1@",
        "hr1@@zeist.nl",
        "a@b@c.nl",
        "Jan <jan@zeist.nl>",
        "jan@zeist.nl, piet@zeist.nl",
        "jan@zeist.nl\r\nBcc: x@y.nl",
        "jan @zeist.nl",
        "\"jan\"@zeist.nl",
        "jan@zeist.nl;",
        "jan@.nl",
        "jan@zeist.",
        "j\xc3\xabn@zeist.nl",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (email_valid(bad[i]))
            fail_msg("'%s' was taken for an address", bad[i]);
    char longest[EMAIL_MAX + 2];
    memset(longest, 'a', sizeof longest);
    memcpy(longest + EMAIL_MAX - 5, "@x.nl", 6);
    assert_true(email_valid(longest));
    memset(longest, 'a', sizeof longest);
    memcpy(longest + EMAIL_MAX - 4, "@x.nl", 6);
    assert_false(email_valid(longest));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_text),
        cmocka_unit_test(invalid_text),
        cmocka_unit_test(text_of_several_lines),
        cmocka_unit_test(cutting_keeps_whole_characters),
        cmocka_unit_test(plain_addresses_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
