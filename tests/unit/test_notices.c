/* Tests for the notice kinds and the mail each becomes: what a person
 * reads in their inbox, and what must never get into it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/ids.h"
#include "node/mailer.h"
#include "node/notices.h"
#include "wire/names.h"

static void fill_config(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->node_id, sizeof cfg->node_id, "zeist");
    snprintf(cfg->mail.from, sizeof cfg->mail.from, "pool@zeist.nl");
}

/* Each kind is named once, says what happened with the case id in it and
 * gives at least one command; a kind brought by a state names a state the
 * journey has. */
static void kinds_are_complete(void **state)
{
    (void)state;
    for (size_t i = 0; i < notice_kind_count; i++) {
        const struct notice_kind *k = &notice_kinds[i];
        assert_ptr_equal(notice_kind_named(k->name), k);
        assert_non_null(strstr(k->what, "{case}"));
        assert_true(strlen(k->command) > 0);
        assert_true(strlen(k->subject) > 0);
        if (k->when && k->who == FOR_HR) {
            assert_int_not_equal(case_state_parse(k->when), 0);
            assert_ptr_equal(notice_for_case(k->when), k);
        }
        if (k->when && k->who == FOR_MEDIATOR)
            assert_ptr_equal(notice_for_offer(k->when), k);
    }
    assert_null(notice_kind_named("nonesuch"));
    /* The mediator's own answers bring them no notice. */
    assert_null(notice_for_offer("answered"));
    assert_null(notice_for_offer("accepted"));
    assert_null(notice_for_case("posted"));
}

static void text_is_filled_in(void **state)
{
    (void)state;
    char out[64];
    notice_text("Case {case} by {detail}; {case}.", "almere-1", "2026-12-24", out, sizeof out);
    assert_string_equal(out, "Case almere-1 by 2026-12-24; almere-1.");
    notice_text("{case} and more text", "almere-1", "", out, 12);
    assert_string_equal(out, "almere-1 an");
    notice_text("{nothing}", "x", "y", out, sizeof out);
    assert_string_equal(out, "{nothing}");
}

static void mail_of_an_offer(void **state)
{
    (void)state;
    struct config cfg;
    fill_config(&cfg);
    char mail[4096];
    size_t len = mail_compose(&cfg, "med@hilversum.nl", 42, "offer", "almere-7b24ab6d", "",
                              1796593612663LL, mail, sizeof mail);
    assert_int_equal(len, strlen(mail));
    assert_true(strncmp(mail, "Date: Sun, 06 Dec 2026 21:46:52 +0000\r\n", 39) == 0);
    assert_non_null(strstr(mail, "\r\nFrom: pool@zeist.nl\r\nTo: med@hilversum.nl\r\n"));
    assert_non_null(strstr(mail, "\r\nMessage-ID: <notice.42.1796593612663.zeist@zeist.nl>\r\n"));
    assert_non_null(strstr(
        mail, "\r\nSubject: mediatorpool, case almere-7b24ab6d: a case is offered to you\r\n"));
    assert_non_null(strstr(mail, "\r\n\r\nCase almere-7b24ab6d is offered to you."));
    assert_non_null(strstr(mail, "\r\n    mpool offer accept almere-7b24ab6d --no-conflict\r\n"));
    assert_non_null(
        strstr(mail, "\r\n    mpool offer decline almere-7b24ab6d --reason-code CODE\r\n"));
    /* Every line ends in CRLF and stays short; no bare LF or CR. */
    size_t line = 0;
    for (size_t i = 0; i < len; i++) {
        if (mail[i] == '\n') {
            assert_true(i > 0 && mail[i - 1] == '\r');
            line = 0;
        } else if (mail[i] == '\r') {
            assert_true(mail[i + 1] == '\n');
        } else if (++line > 78) {
            fail_msg("a line is longer than 78 characters at byte %zu", i);
        }
    }
    assert_string_equal(mail + len - 2, "\r\n");
}

static void mail_refuses_what_it_cannot_write(void **state)
{
    (void)state;
    struct config cfg;
    fill_config(&cfg);
    char mail[4096];
    assert_int_equal(
        mail_compose(&cfg, "a@b.nl", 1, "nonesuch", "almere-1", "", 0, mail, sizeof mail), 0);
    assert_int_equal(mail_compose(&cfg, "a@b.nl", 1, "offer", "almere-1", "", 0, mail, 300), 0);
    /* Every kind fits the mailer's buffer with the longest ids. */
    char id[ID_MAX + 16];
    memset(id, 'a', ID_MAX - 1);
    snprintf(id + ID_MAX - 1, sizeof id - (ID_MAX - 1), "-1a2b3c4d");
    assert_true(case_id_valid(id));
    for (size_t i = 0; i < notice_kind_count; i++)
        assert_true(mail_compose(&cfg, "a@b.nl", 1, notice_kinds[i].name, id,
                                 "2026-12-24 10:00 UTC", 0, mail, sizeof mail) > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds_are_complete),
        cmocka_unit_test(text_is_filled_in),
        cmocka_unit_test(mail_of_an_offer),
        cmocka_unit_test(mail_refuses_what_it_cannot_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
