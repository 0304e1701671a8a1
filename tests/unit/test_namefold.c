/* Tests for names as people read them: the spellings of one name that
 * people in Dutch municipalities meet (Dutch, Frisian, Turkish, Moroccan,
 * Polish and Surinamese names) fold to one form and so to one pseudonym;
 * names that are other people stay apart. Decomposed forms are written
 * with explicit escapes: "e\xcc\x88" is e followed by U+0308. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/namefold.h"
#include "wire/pseudonym.h"

static const uint8_t secret[32] = {7, 1, 7};

/* Each row: a spelling, and the form it must fold to. */
static const struct {
    const char *in, *folded;
} same[] = {
    /* Dutch: case, accents composed and decomposed, dash or space. */
    {"Zo\xc3\xab van den Heuvel-\xc3\x87"
     "elik",
     "zoe van den heuvel celik"}, /* Zoë, Ç */
    {"ZOE VAN DEN HEUVEL CELIK", "zoe van den heuvel celik"},
    {"Zoe\xcc\x88 van den Heuvel-C\xcc\xa7"
     "elik",
     "zoe van den heuvel celik"}, /* e+◌̈, C+◌̧ */
    {"zo\xc3\xab van den heuvel \xe2\x80\x93 \xc3\xa7"
     "elik",
     "zoe van den heuvel celik"}, /* – */
    {"Zo\xc3\xab van den Heuvel\xe2\x80\x90\xc3\x87"
     "elik",
     "zoe van den heuvel celik"}, /* ‐ */
    {"Zo\xc3\xab\xc2\xa0van\tden  Heuvel\xe2\x88\x92\xc3\x87"
     "elik",
     "zoe van den heuvel celik"},
    {"Sjoerd de Vries", "sjoerd de vries"},
    {"Sjoerd de Vries ", "sjoerd de vries"},
    {" \xe2\x80\x83Sjoerd\xe2\x80\xaf"
     "de   VRIES\n",
     "sjoerd de vries"}, /* em space, narrow NBSP */
    {"d'Hondt", "d'hondt"},
    {"d\xe2\x80\x99Hondt", "d'hondt"}, /* ’ */
    {"D\xe2\x80\x98HONDT", "d'hondt"}, /* ‘ */
    {"d\xca\xbcHondt", "d'hondt"},     /* ʼ */
    {"d`Hondt", "d'hondt"},            /* ` */
    {"d\xc2\xb4Hondt", "d'hondt"},     /* ´: not a space and an accent */
    {"d\xe2\x80\xb2Hondt", "d'hondt"}, /* ′ */
    {"IJsbrand van \xc4\xb2zendoorn", "ijsbrand van ijzendoorn"}, /* Ĳ ligature */
    {"Heu\xc2\xadvel", "heuvel"},                                 /* a soft hyphen is removed */
    {"Ren\xc3\xa9 Smit", "rene smit"},
    {"Jan\xe2\x80\x8b Jansen", "jan jansen"},                      /* zero width space is removed */
    {"\xef\xbc\xaa\xef\xbd\x81\xef\xbd\x8e Jansen", "jan jansen"}, /* fullwidth Ｊａｎ */
    /* Frisian. */
    {"Tjitske Hoekstra", "tjitske hoekstra"},
    {"TJITSKE HOEKSTRA", "tjitske hoekstra"},
    {"Tsj\xc3\xaa"
     "bbe Hettinga",
     "tsjebbe hettinga"}, /* ê */
    {"Tsjebbe Hettinga", "tsjebbe hettinga"},
    {"Tsje\xcc\x82"
     "bbe HETTINGA",
     "tsjebbe hettinga"},                     /* e+◌̂ */
    {"Y\xc3\xa1n B\xc3\xbbter", "yan buter"}, /* á, û */
    /* Turkish: dotless ı and dotted İ, in every case. */
    {"\xc3\x96mer Y\xc4\xb1lmaz", "omer yilmaz"}, /* Ömer Yılmaz */
    {"\xc3\xb6mer y\xc4\xb1lmaz", "omer yilmaz"}, /* ömer yılmaz */
    {"OMER YILMAZ", "omer yilmaz"},
    {"O\xcc\x88mer Yilmaz", "omer yilmaz"}, /* O+◌̈ */
    {"\xc3\x96MER YILMAZ", "omer yilmaz"},
    {"\xc4\xb0"
     "brahim \xc3\x87"
     "elik",
     "ibrahim celik"}, /* İbrahim Çelik */
    {"ibrahim celik", "ibrahim celik"},
    {"\xc5\x9e"
     "ENAY \xc4\x9e"
     "\xc3\x9c"
     "LER",
     "senay guler"}, /* ŞENAY ĞÜLER */
    /* Moroccan: dashes, spaces and apostrophes in compound names. */
    {"Fatima-Zahra El Idrissi", "fatima zahra el idrissi"},
    {"fatima zahra el idrissi", "fatima zahra el idrissi"},
    {"FATIMA\xe2\x80\x91ZAHRA EL-IDRISSI", "fatima zahra el idrissi"}, /* non-breaking hyphen */
    {"Mohamed Ben A\xc3\xafssa", "mohamed ben aissa"},                 /* ï */
    {"Abdelkader Bou\xe2\x80\x99"
     "ali",
     "abdelkader bou'ali"},
    {"Abdelkader Bou'Ali", "abdelkader bou'ali"},
    /* Polish: accents fold away, and so does the stroke of ł. */
    {"Agnieszka Wi\xc5\x9bniewska", "agnieszka wisniewska"}, /* ś */
    {"agnieszka wisniewska", "agnieszka wisniewska"},
    {"AGNIESZKA WIS\xcc\x81NIEWSKA", "agnieszka wisniewska"}, /* S+◌́ */
    {"\xc5\x81ukasz Kowalczyk", "lukasz kowalczyk"},          /* Łukasz */
    {"\xc5\x82ukasz KOWALCZYK", "lukasz kowalczyk"},
    {"Lukasz Kowalczyk", "lukasz kowalczyk"},
    {"Ma\xc5\x82gorzata \xc5\xbb\xc3\xb3\xc5\x82"
     "kiewicz",
     "malgorzata zolkiewicz"},
    /* Letters with a stroke, as typed on a Dutch keyboard. */
    {"S\xc3\xb8ren S\xc3\x98rensen", "soren sorensen"}, /* ø, Ø */
    {"\xc4\x90or\xc4\x91"
     "e",
     "dorde"}, /* Đorđe */
    /* Surinamese: Hindustani, Javanese and Creole names. */
    {"Ramdin-Sewnarain", "ramdin sewnarain"},
    {"RAMDIN SEWNARAIN", "ramdin sewnarain"},
    {"Ramdin \xe2\x80\x94 Sewnarain", "ramdin sewnarain"}, /* — */
    {"Soekirman Kartodikromo", "soekirman kartodikromo"},
    {"SOEKIRMAN  KARTODIKROMO", "soekirman kartodikromo"},
    {"Marlon Wijngaarde", "marlon wijngaarde"},
    /* Other scripts fold too. */
    {"\xce\x9d\xce\x99\xce\x9a\xce\x9f\xce\xa3",
     "\xce\xbd\xce\xb9\xce\xba\xce\xbf\xcf\x83"}, /* ΝΙΚΟΣ */
    {"Stra\xc3\x9f"
     "e",
     "strasse"}, /* ß folds to ss */
};

/* Pairs that are other people, or that the rule does not fold. */
static const struct {
    const char *a, *b;
} apart[] = {
    {"Jansen", "Janssen"},
    {"J. Jansen", "Jan Jansen"},
    {"j. jansen", "j.jansen"},
    {"van den Heuvel, Zo\xc3\xab", "Zo\xc3\xab van den Heuvel"},
    {"Wijngaarde", "Wyngaarde"}, /* ij is not y */
    {"Mohamed", "Mohammed"},
    {"J.Jansen", "J. Jansen"},
    {"\xc3\x86"
     "gidius",
     "Aegidius"}, /* æ is not ae */
    {"d'Hondt", "dHondt"},
    {"d'Hondt", "d Hondt"},
    {"El Idrissi", "Elidrissi"},
    {"Ramdin-Sewnarain", "RamdinSewnarain"},
    {"\xc3\x96mer Y\xc4\xb1lmaz", "Omer Yilmaz Demir"},
};

static void fold(const char *in, char *buf, size_t cap)
{
    char *out = NULL;
    size_t len = 0;
    assert_int_equal(namefold(in, &out, &len), 0);
    assert_non_null(out);
    assert_true(len < cap);
    assert_int_equal(strlen(out), len);
    memcpy(buf, out, len + 1);
    namefold_free(out, len);
}

static void test_spellings_of_one_name_fold_alike(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char got[256], again[256];
        fold(same[i].in, got, sizeof got);
        if (strcmp(got, same[i].folded) != 0)
            fail_msg("row %zu: '%s' folded to '%s', not '%s'", i, same[i].in, got, same[i].folded);
        fold(got, again, sizeof again); /* folding twice changes nothing */
        assert_string_equal(again, got);
    }
}

static void test_spellings_of_one_name_make_one_pseudonym(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];
        assert_int_equal(pseudonym_make(secret, "person", same[i].in, a), 0);
        assert_int_equal(pseudonym_make(secret, "person", same[i].folded, b), 0);
        if (strcmp(a, b) != 0)
            fail_msg("row %zu: '%s' and '%s' are two people", i, same[i].in, same[i].folded);
    }
}

static void test_other_people_stay_apart(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof apart / sizeof *apart; i++) {
        char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];
        assert_int_equal(pseudonym_make(secret, "person", apart[i].a, a), 0);
        assert_int_equal(pseudonym_make(secret, "person", apart[i].b, b), 0);
        if (strcmp(a, b) == 0)
            fail_msg("row %zu: '%s' and '%s' made one pseudonym", i, apart[i].a, apart[i].b);
    }
}

static void test_nothing_but_space_marks_and_dashes_is_empty(void **state)
{
    (void)state;
    static const char *const empty[] = {
        "", " ", "\xc2\xa0\t", "-", "\xe2\x80\x93 \xc2\xad", "\xcc\x88\xcc\x81"};
    char out[PSEUDONYM_LEN + 1];
    for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
        char got[16];
        fold(empty[i], got, sizeof got);
        assert_string_equal(got, "");
        assert_int_equal(pseudonym_make(secret, "person", empty[i], out), -1);
    }
}

static void test_refuses_text_that_is_not_utf8(void **state)
{
    (void)state;
    char *out = (char *)1;
    size_t len = 9;
    assert_int_equal(namefold("Zo\xeb", &out, &len), -1); /* Latin-1 ë */
    assert_null(out);
    assert_int_equal(namefold("\xed\xa0\x80", &out, &len), -1); /* a surrogate */
    char ref[PSEUDONYM_LEN + 1];
    assert_int_equal(pseudonym_make(secret, "person", "Zo\xeb", ref), -1);
}

/* The legacy rule folds ASCII case and white space only: what nodes not
 * yet upgraded compute. For plain ASCII names both rules agree. */
static void test_legacy_rule(void **state)
{
    (void)state;
    char a[PSEUDONYM_LEN + 1], b[PSEUDONYM_LEN + 1];
    assert_int_equal(pseudonym_make_legacy(secret, "person", " Jan  JANSEN", a), 0);
    assert_int_equal(pseudonym_make(secret, "person", "jan jansen", b), 0);
    assert_string_equal(a, b);
    assert_int_equal(pseudonym_make_legacy(secret, "person", "\xc3\x96mer Y\xc4\xb1lmaz", a), 0);
    assert_int_equal(pseudonym_make(secret, "person", "\xc3\x96mer Y\xc4\xb1lmaz", b), 0);
    assert_string_not_equal(a, b);
    assert_int_equal(pseudonym_make_legacy(secret, "person", "\xc3\xb6mer y\xc4\xb1lmaz", b), 0);
    assert_string_not_equal(a, b); /* what the issue found: Ö is not ö there */
}

/* The test vectors of docs/protocol.md, section 8: every node computes them. */
static void test_vectors(void **state)
{
    (void)state;
    uint8_t key[32];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    static const struct {
        const char *name, *ref, *legacy;
    } v[] = {
        {"  J.  Jansen ", "p:66f0559be014b6842175db663d82c06f",
         "p:66f0559be014b6842175db663d82c06f"},
        {"Zo\xc3\xab van den Heuvel-\xc3\x87"
         "elik",
         "p:7191b8284f840f806bb099e5da7a3135", "p:7c6093a456d0eed2b471a9ec92f1cc0a"},
        {"ZOE VAN DEN HEUVEL CELIK", "p:7191b8284f840f806bb099e5da7a3135",
         "p:7191b8284f840f806bb099e5da7a3135"},
        {"\xc3\x96mer Y\xc4\xb1lmaz", "p:6be19572e925471b0b47841103358695",
         "p:8a5a5ca48541cfdf91cd4c8259bb0304"},
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char ref[PSEUDONYM_LEN + 1];
        assert_int_equal(pseudonym_make(key, "person", v[i].name, ref), 0);
        assert_string_equal(ref, v[i].ref);
        assert_int_equal(pseudonym_make_legacy(key, "person", v[i].name, ref), 0);
        assert_string_equal(ref, v[i].legacy);
    }
}

/* docs/privacy.md names the Unicode version; every node must use it. */
static void test_unicode_version(void **state)
{
    (void)state;
    assert_string_equal(namefold_unicode_version(), "14.0");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spellings_of_one_name_fold_alike),
        cmocka_unit_test(test_spellings_of_one_name_make_one_pseudonym),
        cmocka_unit_test(test_other_people_stay_apart),
        cmocka_unit_test(test_nothing_but_space_marks_and_dashes_is_empty),
        cmocka_unit_test(test_refuses_text_that_is_not_utf8),
        cmocka_unit_test(test_legacy_rule),
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_unicode_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
