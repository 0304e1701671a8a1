/* Tests for pseudonyms and sealed narratives: the same party gets the same
 * reference on every node, and only the chosen mediator reads a narrative. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "wire/pseudonym.h"
#include "wire/seal.h"

static const uint8_t secret_a[32] = {1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
                                     17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31};
static const uint8_t secret_b[32] = {9};

static void make(const uint8_t *secret, const char *kind, const char *id, char *out)
{
    assert_int_equal(pseudonym_make(secret, kind, id, out), 0);
}

static void test_normalising_makes_spellings_equal(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1], c[PSEUDONYM_LEN + 1];

    make(secret_a, "person", "  J.  Jansen ", a);
    make(secret_a, "person", "j. jansen", b);
    make(secret_a, "person", "J.\t\nJANSEN", c);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
}

static void test_different_names_differ(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];

    make(secret_a, "person", "j. jansen", a);
    make(secret_a, "person", "j.jansen", b);
    assert_string_not_equal(a, b);
}

/* More spellings in test_namefold.c. */
static void test_accents_and_case_fold_away(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1], c[PSEUDONYM_LEN + 1];

    make(secret_a, "person", "Ren\xc3\xa9 Smit", a); /* René */
    make(secret_a, "person", "REN\xc3\x89 SMIT", b); /* RENÉ */
    make(secret_a, "person", "rene smit", c);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
}

static void test_person_and_unit_differ(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];

    make(secret_a, "person", "jeugdzorg", a);
    make(secret_a, "unit", "jeugdzorg", b);
    assert_string_not_equal(a, b);
}

static void test_other_pool_secret_differs(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];

    make(secret_a, "person", "j. jansen", a);
    make(secret_b, "person", "j. jansen", b);
    assert_string_not_equal(a, b);
}

static void test_output_format(void **state)
{
    (void)state;
    char out[PSEUDONYM_LEN + 1];

    make(secret_a, "unit", "Afdeling Wonen", out);
    assert_int_equal(strlen(out), PSEUDONYM_LEN);
    assert_memory_equal(out, "p:", 2);
    for (size_t i = 2; i < PSEUDONYM_LEN; i++)
        assert_true((out[i] >= '0' && out[i] <= '9') || (out[i] >= 'a' && out[i] <= 'f'));
    assert_true(party_ref_valid(out));
}

static void test_rejects_empty_and_unknown_kind(void **state)
{
    (void)state;
    char out[PSEUDONYM_LEN + 1];

    assert_int_equal(pseudonym_make(secret_a, "person", "", out), -1);
    assert_int_equal(pseudonym_make(secret_a, "person", " \t\n ", out), -1);
    assert_int_equal(pseudonym_make(secret_a, "municipality", "zeist", out), -1);
    assert_int_equal(pseudonym_make(secret_a, "Person", "j. jansen", out), -1);
}

static void test_party_ref_valid(void **state)
{
    (void)state;
    assert_true(party_ref_valid("m:zeist"));
    assert_true(party_ref_valid("m:de-bilt"));
    assert_true(party_ref_valid("p:0123456789abcdef0123456789abcdef"));

    assert_false(party_ref_valid("m:"));
    assert_false(party_ref_valid("m:Zeist"));
    assert_false(party_ref_valid("m:-zeist"));
    assert_false(party_ref_valid("zeist"));
    assert_false(party_ref_valid("p:"));
    assert_false(party_ref_valid("p:0123456789abcdef0123456789abcde"));   /* 31 */
    assert_false(party_ref_valid("p:0123456789abcdef0123456789abcdef0")); /* 33 */
    assert_false(party_ref_valid("p:0123456789ABCDEF0123456789abcdef"));
    assert_false(party_ref_valid("p:0123456789abcdeg0123456789abcdef"));
    assert_false(party_ref_valid("x:0123456789abcdef0123456789abcdef"));
    assert_false(party_ref_valid(""));
}

static const char narrative[] = "Buren in de Dorpsstraat: geluidsoverlast sinds maart.";

static int contains(const uint8_t *buf, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, word, n) == 0)
            return 1;
    return 0;
}

static void test_seal_round_trip(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    size_t sealed_len = 0, plain_len = 0;

    crypto_box_keypair(pk, sk);
    uint8_t *sealed = seal_to(pk, (const uint8_t *)narrative, strlen(narrative), &sealed_len);
    assert_non_null(sealed);
    assert_int_equal(sealed_len, strlen(narrative) + crypto_box_SEALBYTES);
    assert_false(contains(sealed, sealed_len, "Dorpsstraat"));

    uint8_t *plain = seal_open(pk, sk, sealed, sealed_len, &plain_len);
    assert_non_null(plain);
    assert_int_equal(plain_len, strlen(narrative));
    assert_string_equal((const char *)plain, narrative);
    free(plain);
    free(sealed);
}

static void test_seal_open_with_wrong_key_fails(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32], pk2[32], sk2[32];
    size_t sealed_len = 0, plain_len = 0;

    crypto_box_keypair(pk, sk);
    crypto_box_keypair(pk2, sk2);
    uint8_t *sealed = seal_to(pk, (const uint8_t *)narrative, strlen(narrative), &sealed_len);
    assert_non_null(sealed);
    assert_null(seal_open(pk2, sk2, sealed, sealed_len, &plain_len));
    free(sealed);
}

static void test_tampered_seal_fails(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    size_t sealed_len = 0, plain_len = 0;

    crypto_box_keypair(pk, sk);
    uint8_t *sealed = seal_to(pk, (const uint8_t *)narrative, strlen(narrative), &sealed_len);
    assert_non_null(sealed);
    sealed[sealed_len - 1] ^= 0x01;
    assert_null(seal_open(pk, sk, sealed, sealed_len, &plain_len));
    sealed[sealed_len - 1] ^= 0x01;
    sealed[40] ^= 0x80;
    assert_null(seal_open(pk, sk, sealed, sealed_len, &plain_len));
    assert_null(seal_open(pk, sk, sealed, 10, &plain_len)); /* shorter than the seal itself */
    free(sealed);
}

static void test_seal_refuses_oversized_narrative(void **state)
{
    (void)state;
    uint8_t pk[32], sk[32];
    size_t out_len = 0;
    uint8_t *big = calloc(1, NARRATIVE_MAX + crypto_box_SEALBYTES + 1);
    assert_non_null(big);

    crypto_box_keypair(pk, sk);
    assert_null(seal_to(pk, big, NARRATIVE_MAX + 1, &out_len));
    assert_null(seal_open(pk, sk, big, NARRATIVE_MAX + crypto_box_SEALBYTES + 1, &out_len));

    uint8_t *sealed = seal_to(pk, big, NARRATIVE_MAX, &out_len);
    assert_non_null(sealed);
    uint8_t *plain = seal_open(pk, sk, sealed, out_len, &out_len);
    assert_non_null(plain);
    assert_int_equal(out_len, NARRATIVE_MAX);
    free(plain);
    free(sealed);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalising_makes_spellings_equal),
        cmocka_unit_test(test_different_names_differ),
        cmocka_unit_test(test_accents_and_case_fold_away),
        cmocka_unit_test(test_person_and_unit_differ),
        cmocka_unit_test(test_other_pool_secret_differs),
        cmocka_unit_test(test_output_format),
        cmocka_unit_test(test_rejects_empty_and_unknown_kind),
        cmocka_unit_test(test_party_ref_valid),
        cmocka_unit_test(test_seal_round_trip),
        cmocka_unit_test(test_seal_open_with_wrong_key_fails),
        cmocka_unit_test(test_tampered_seal_fails),
        cmocka_unit_test(test_seal_refuses_oversized_narrative),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
