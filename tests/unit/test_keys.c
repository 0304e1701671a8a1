/* Tests for key files: what an operator gets back from a saved file, and
 * the refusals they see when a file is exposed, damaged or incomplete. */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "wire/keys.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int make_dir(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/mpool-keys-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->path, sizeof fx->path, "%s/test.key", fx->dir);
    umask(022);
    *state = fx;
    return 0;
}

static int remove_dir(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d) {
        struct dirent *de;
        char p[512];
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", fx->dir, de->d_name);
            unlink(p);
        }
        closedir(d);
    }
    int rc = rmdir(fx->dir);
    free(fx);
    return rc;
}

/* Writes text to path with the given mode, as a hand-edited file would be. */
static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(fchmod(fd, mode), 0);
    assert_int_equal(close(fd), 0);
}

static void z85_line(char *buf, size_t cap, const char *name, const uint8_t *key, size_t len)
{
    char z[81];
    key_to_z85(key, len, z);
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s = %s\n", name, z);
}

static void test_node_keys_round_trip(void **state)
{
    struct fixture *fx = *state;
    struct node_keys k, back;
    char err[256] = "";

    node_keys_generate(&k);
    assert_int_equal(node_keys_save(fx->path, &k, err, sizeof err), 0);
    assert_int_equal(node_keys_load(fx->path, &back, err, sizeof err), 0);
    assert_memory_equal(&k, &back, sizeof k);

    /* The loaded signing key still signs what the saved public key verifies. */
    uint8_t sig[crypto_sign_BYTES];
    const uint8_t msg[] = "case posted";
    crypto_sign_detached(sig, NULL, msg, sizeof msg, back.sign_sk);
    assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof msg, k.sign_pk), 0);
}

static void test_user_keys_round_trip(void **state)
{
    struct fixture *fx = *state;
    struct user_keys k, back;
    char err[256] = "";

    user_keys_generate(&k);
    assert_int_equal(user_keys_save(fx->path, &k, err, sizeof err), 0);
    assert_int_equal(user_keys_load(fx->path, &back, err, sizeof err), 0);
    assert_memory_equal(&k, &back, sizeof k);
}

static void test_pool_secret_round_trip(void **state)
{
    struct fixture *fx = *state;
    uint8_t s[KEY_LEN], back[KEY_LEN], other[KEY_LEN];
    char err[256] = "";

    pool_secret_generate(s);
    pool_secret_generate(other);
    assert_memory_not_equal(s, other, KEY_LEN);
    assert_int_equal(pool_secret_save(fx->path, s, err, sizeof err), 0);
    assert_int_equal(pool_secret_load(fx->path, back, err, sizeof err), 0);
    assert_memory_equal(s, back, KEY_LEN);
}

static void test_saved_files_are_owner_only(void **state)
{
    struct fixture *fx = *state;
    struct node_keys nk;
    struct user_keys uk;
    uint8_t ps[KEY_LEN];
    char err[256] = "", p[160];
    struct stat st;

    node_keys_generate(&nk);
    user_keys_generate(&uk);
    pool_secret_generate(ps);
    snprintf(p, sizeof p, "%s/node.key", fx->dir);
    assert_int_equal(node_keys_save(p, &nk, err, sizeof err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(p, sizeof p, "%s/user.key", fx->dir);
    assert_int_equal(user_keys_save(p, &uk, err, sizeof err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(p, sizeof p, "%s/pool.secret", fx->dir);
    assert_int_equal(pool_secret_save(p, ps, err, sizeof err), 0);
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}

static void test_save_refuses_to_overwrite(void **state)
{
    struct fixture *fx = *state;
    struct user_keys first, second, back;
    char err[256] = "";

    user_keys_generate(&first);
    user_keys_generate(&second);
    assert_int_equal(user_keys_save(fx->path, &first, err, sizeof err), 0);
    assert_int_equal(user_keys_save(fx->path, &second, err, sizeof err), -1);
    assert_non_null(strstr(err, "exists"));
    assert_non_null(strstr(err, fx->path));
    /* The first keys survive the refused save. */
    assert_int_equal(user_keys_load(fx->path, &back, err, sizeof err), 0);
    assert_memory_equal(&first, &back, sizeof first);
}

static void test_save_into_missing_directory_fails(void **state)
{
    struct fixture *fx = *state;
    uint8_t s[KEY_LEN];
    char err[256] = "", p[160];

    pool_secret_generate(s);
    snprintf(p, sizeof p, "%s/no-such-dir/pool.secret", fx->dir);
    assert_int_equal(pool_secret_save(p, s, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot create"));
}

static void test_load_refuses_group_readable_file(void **state)
{
    struct fixture *fx = *state;
    struct node_keys k;
    char err[256] = "";

    node_keys_generate(&k);
    assert_int_equal(node_keys_save(fx->path, &k, err, sizeof err), 0);
    assert_int_equal(chmod(fx->path, 0644), 0);
    assert_int_equal(node_keys_load(fx->path, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, "chmod 600"));
    assert_non_null(strstr(err, "0644"));
}

static void test_load_refuses_symlink(void **state)
{
    struct fixture *fx = *state;
    uint8_t s[KEY_LEN];
    char err[256] = "", link[160];

    pool_secret_generate(s);
    assert_int_equal(pool_secret_save(fx->path, s, err, sizeof err), 0);
    snprintf(link, sizeof link, "%s/link.secret", fx->dir);
    assert_int_equal(symlink(fx->path, link), 0);
    assert_int_equal(pool_secret_load(link, s, err, sizeof err), -1);
    assert_non_null(strstr(err, "symbolic link"));
}

static void test_load_refuses_mismatched_user_pair(void **state)
{
    struct fixture *fx = *state;
    struct user_keys a, b, back;
    char text[512] = "", err[256] = "";

    user_keys_generate(&a);
    user_keys_generate(&b);
    z85_line(text, sizeof text, "public", a.pk, KEY_LEN);
    z85_line(text, sizeof text, "secret", b.sk, KEY_LEN);
    write_file(fx->path, text, 0600);
    assert_int_equal(user_keys_load(fx->path, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "do not belong together"));
}

static void test_load_refuses_mismatched_node_pairs(void **state)
{
    struct fixture *fx = *state;
    struct node_keys a, b, back;
    char text[768], err[256] = "";

    node_keys_generate(&a);
    node_keys_generate(&b);

    text[0] = '\0';
    z85_line(text, sizeof text, "curve_public", a.curve_pk, KEY_LEN);
    z85_line(text, sizeof text, "curve_secret", b.curve_sk, KEY_LEN);
    z85_line(text, sizeof text, "sign_public", a.sign_pk, KEY_LEN);
    z85_line(text, sizeof text, "sign_secret", a.sign_sk, SIGN_SECRET_LEN);
    write_file(fx->path, text, 0600);
    assert_int_equal(node_keys_load(fx->path, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "curve_public and curve_secret keys do not belong together"));

    text[0] = '\0';
    z85_line(text, sizeof text, "curve_public", a.curve_pk, KEY_LEN);
    z85_line(text, sizeof text, "curve_secret", a.curve_sk, KEY_LEN);
    z85_line(text, sizeof text, "sign_public", b.sign_pk, KEY_LEN);
    z85_line(text, sizeof text, "sign_secret", a.sign_sk, SIGN_SECRET_LEN);
    write_file(fx->path, text, 0600);
    assert_int_equal(node_keys_load(fx->path, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "sign_public and sign_secret keys do not belong together"));
}

static void test_load_refuses_damaged_signing_seed(void **state)
{
    struct fixture *fx = *state;
    struct node_keys k, back;
    char text[768] = "", err[256] = "";

    node_keys_generate(&k);
    k.sign_sk[0] ^= 1; /* the public half inside the secret stays intact */
    z85_line(text, sizeof text, "curve_public", k.curve_pk, KEY_LEN);
    z85_line(text, sizeof text, "curve_secret", k.curve_sk, KEY_LEN);
    z85_line(text, sizeof text, "sign_public", k.sign_pk, KEY_LEN);
    z85_line(text, sizeof text, "sign_secret", k.sign_sk, SIGN_SECRET_LEN);
    write_file(fx->path, text, 0600);
    assert_int_equal(node_keys_load(fx->path, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "the file is damaged"));
}

static void test_load_names_missing_field(void **state)
{
    struct fixture *fx = *state;
    struct node_keys k, back;
    char text[768] = "# hand edited\n", err[256] = "";

    node_keys_generate(&k);
    z85_line(text, sizeof text, "curve_public", k.curve_pk, KEY_LEN);
    z85_line(text, sizeof text, "curve_secret", k.curve_sk, KEY_LEN);
    z85_line(text, sizeof text, "sign_public", k.sign_pk, KEY_LEN);
    write_file(fx->path, text, 0600);
    assert_int_equal(node_keys_load(fx->path, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "no sign_secret line"));
}

static void test_load_reports_short_key_with_line(void **state)
{
    struct fixture *fx = *state;
    uint8_t s[KEY_LEN];
    char err[256] = "";

    write_file(fx->path, "# pool\npool_secret = abcde\n", 0600);
    assert_int_equal(pool_secret_load(fx->path, s, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 2"));
    assert_non_null(strstr(err, "40-character"));
}

static void test_load_of_missing_file_names_path(void **state)
{
    struct fixture *fx = *state;
    struct user_keys k;
    char err[256] = "";

    assert_int_equal(user_keys_load(fx->path, &k, err, sizeof err), -1);
    assert_non_null(strstr(err, fx->path));
}

static void test_z85_round_trip(void **state)
{
    (void)state;
    uint8_t key[SIGN_SECRET_LEN], back[SIGN_SECRET_LEN];
    char text[81];

    randombytes_buf(key, sizeof key);
    key_to_z85(key, KEY_LEN, text);
    assert_int_equal(strlen(text), Z85_KEY_LEN);
    assert_int_equal(key_from_z85(text, back, KEY_LEN), 0);
    assert_memory_equal(key, back, KEY_LEN);

    key_to_z85(key, SIGN_SECRET_LEN, text);
    assert_int_equal(strlen(text), 80);
    assert_int_equal(key_from_z85(text, back, SIGN_SECRET_LEN), 0);
    assert_memory_equal(key, back, SIGN_SECRET_LEN);

    /* The example from the Z85 specification (ZeroMQ RFC 32). */
    const uint8_t hello[8] = {0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B};
    key_to_z85(hello, sizeof hello, text);
    assert_string_equal(text, "HelloWorld");
}

static void test_z85_rejects_bad_text(void **state)
{
    (void)state;
    uint8_t key[SIGN_SECRET_LEN];
    char text[81];

    randombytes_buf(key, sizeof key);
    key_to_z85(key, KEY_LEN, text);
    assert_int_equal(key_from_z85(text, key, SIGN_SECRET_LEN), -1); /* 40 chars, 64 wanted */
    text[39] = '\0';
    assert_int_equal(key_from_z85(text, key, KEY_LEN), -1); /* 39 chars */
    assert_int_equal(key_from_z85("", key, KEY_LEN), -1);
    assert_int_equal(key_from_z85("HelloWorldHelloWorldHelloWorldHelloWorldHello", key, KEY_LEN),
                     -1); /* 45 chars */
    /* 40 characters, but '~' and ' ' are outside the Z85 alphabet. */
    assert_int_equal(key_from_z85("~elloWorldHelloWorldHelloWorldHelloWorld", key, KEY_LEN), -1);
    assert_int_equal(key_from_z85("Hello WorldHelloWorldHelloWorldHelloWorl", key, KEY_LEN), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_node_keys_round_trip, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_user_keys_round_trip, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_pool_secret_round_trip, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_saved_files_are_owner_only, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_save_refuses_to_overwrite, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_save_into_missing_directory_fails, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_refuses_group_readable_file, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_refuses_symlink, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_load_refuses_mismatched_user_pair, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_refuses_mismatched_node_pairs, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_refuses_damaged_signing_seed, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_names_missing_field, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_load_reports_short_key_with_line, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(test_load_of_missing_file_names_path, make_dir, remove_dir),
        cmocka_unit_test(test_z85_round_trip),
        cmocka_unit_test(test_z85_rejects_bad_text),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
