/* Tests for roster.ini and users.ini: what a node learns from them, the
 * mistakes it refuses, and users_append as the admin's way to add people. */
#include <math.h>
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
#include "store/roster.h"

#define NODES 3

/* Three municipalities of the Utrecht-Gooi pool (../shared/data/pools.csv). */
static const struct {
    const char *id, *name;
    double lat, lon;
} towns[NODES] = {
    {"almere", "Almere", 52.3508, 5.2647},
    {"hilversum", "Hilversum", 52.2292, 5.1669},
    {"zeist", "Zeist", 52.0894, 5.2333},
};

struct fixture {
    char dir[64];
    char roster[128];
    char users[128];
    uint8_t curve[NODES][KEY_LEN], sign[NODES][KEY_LEN];
    char curve_z85[NODES][Z85_KEY_LEN + 1], sign_z85[NODES][Z85_KEY_LEN + 1];
};

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

static void append_text(char *text, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append_text(char *text, size_t size, const char *fmt, ...)
{
    size_t len = strlen(text);
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(text + len, size - len, fmt, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < size - len);
}

/* The roster of the three towns, with line `extra` added to the last. */
static void write_roster(const struct fixture *fx, const char *extra)
{
    char text[4096] = "";

    for (int i = 0; i < NODES; i++)
        append_text(text, sizeof text,
                    "[%s]\nname = %s\nlat = %.4f\nlon = %.4f\ncurve_key = %s\nsign_key = %s\n\n",
                    towns[i].id, towns[i].name, towns[i].lat, towns[i].lon, fx->curve_z85[i],
                    fx->sign_z85[i]);
    if (extra)
        append_text(text, sizeof text, "%s\n", extra);
    write_text(fx->roster, text);
}

static void expect_roster_refusal(const struct fixture *fx, const char *text, const char *want)
{
    struct roster r = {0};
    char err[512] = "";

    write_text(fx->roster, text);
    if (roster_load(fx->roster, &r, err, sizeof err) == 0)
        fail_msg("accepted: %s", text);
    assert_contains(err, "roster.ini");
    assert_contains(err, want);
    assert_null(r.nodes);
}

static void random_key(uint8_t pk[KEY_LEN], char z85[Z85_KEY_LEN + 1])
{
    do
        randombytes_buf(pk, KEY_LEN);
    while (sodium_is_zero(pk, KEY_LEN));
    key_to_z85(pk, KEY_LEN, z85);
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    if (!fx || sodium_init() < 0)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_roster.XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(fx->roster, sizeof fx->roster, "%s/roster.ini", fx->dir);
    snprintf(fx->users, sizeof fx->users, "%s/users.ini", fx->dir);
    for (int i = 0; i < NODES; i++) {
        random_key(fx->curve[i], fx->curve_z85[i]);
        random_key(fx->sign[i], fx->sign_z85[i]);
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    unlink(fx->roster);
    unlink(fx->users);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void test_roster_loads_every_field(void **state)
{
    struct fixture *fx = *state;
    struct roster r = {0};
    char err[512] = "";

    write_roster(fx, NULL);
    if (roster_load(fx->roster, &r, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(r.count, NODES);
    for (int i = 0; i < NODES; i++) {
        const struct roster_node *n = roster_find(&r, towns[i].id);
        assert_non_null(n);
        assert_string_equal(n->id, towns[i].id);
        assert_string_equal(n->name, towns[i].name);
        assert_true(fabs(n->lat - towns[i].lat) < 1e-9);
        assert_true(fabs(n->lon - towns[i].lon) < 1e-9);
        assert_memory_equal(n->curve_pk, fx->curve[i], KEY_LEN);
        assert_memory_equal(n->sign_pk, fx->sign[i], KEY_LEN);
        assert_ptr_equal(roster_find_curve(&r, fx->curve[i]), n);
    }
    assert_null(roster_find(&r, "amersfoort"));
    assert_null(roster_find_curve(&r, fx->sign[0]));
    roster_free(&r);
    assert_null(r.nodes);
    assert_int_equal(r.count, 0);
}

static void test_roster_refuses_duplicates(void **state)
{
    struct fixture *fx = *state;
    char text[1024];

    snprintf(text, sizeof text,
             "[zeist]\nname = Zeist\nlat = 52.0894\nlon = 5.2333\ncurve_key = %s\nsign_key = %s\n"
             "[almere]\nname = Almere\n"
             "[zeist]\nname = Zeist again\n",
             fx->curve_z85[2], fx->sign_z85[2]);
    expect_roster_refusal(fx, text, "line 10: [zeist] appears a second time");

    snprintf(text, sizeof text,
             "[zeist]\nname = Zeist\nlat = 52.0894\nlon = 5.2333\ncurve_key = %s\nsign_key = %s\n"
             "[almere]\nname = Almere\nlat = 52.3508\nlon = 5.2647\ncurve_key = %s\n"
             "sign_key = %s\n",
             fx->curve_z85[2], fx->sign_z85[2], fx->curve_z85[2], fx->sign_z85[0]);
    expect_roster_refusal(fx, text, "[zeist] and [almere] have the same curve_key");

    snprintf(text, sizeof text,
             "[zeist]\nname = Zeist\nlat = 52.0894\nlon = 5.2333\ncurve_key = %s\nsign_key = %s\n"
             "[almere]\nname = Almere\nlat = 52.3508\nlon = 5.2647\ncurve_key = %s\n"
             "sign_key = %s\n",
             fx->curve_z85[2], fx->sign_z85[2], fx->curve_z85[0], fx->sign_z85[2]);
    expect_roster_refusal(fx, text, "[zeist] and [almere] have the same sign_key");

    snprintf(text, sizeof text, "[zeist]\nname = Zeist\nname = Zeist\n");
    expect_roster_refusal(fx, text, "line 3: [zeist] name is set a second time");
}

static void test_roster_names_the_missing_key(void **state)
{
    struct fixture *fx = *state;
    static const char *const keys[] = {"name", "lat", "lon", "curve_key", "sign_key"};
    char text[1024], want[64];

    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *values[] = {"Zeist", "52.0894", "5.2333", fx->curve_z85[2], fx->sign_z85[2]};
        text[0] = '\0';
        append_text(text, sizeof text, "[zeist]\n");
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (i != k)
                append_text(text, sizeof text, "%s = %s\n", keys[i], values[i]);
        snprintf(want, sizeof want, "[zeist] %s is missing", keys[k]);
        expect_roster_refusal(fx, text, want);
    }
}

static void test_roster_refuses_bad_values(void **state)
{
    struct fixture *fx = *state;
    char long_name[140], text[512];

    expect_roster_refusal(fx, "[zeist]\nlat = 90.5\n", "[zeist] lat = '90.5' is not a number");
    expect_roster_refusal(fx, "[zeist]\nlon = -180.01\n", "[zeist] lon");
    expect_roster_refusal(fx, "[zeist]\nlat = 52.1N\n", "[zeist] lat");
    expect_roster_refusal(fx, "[zeist]\nlat = nan\n", "[zeist] lat");
    expect_roster_refusal(fx, "[zeist]\nlat =\n", "[zeist] lat");
    expect_roster_refusal(fx, "[zeist]\ncurve_key = abcde\n", "[zeist] curve_key is not a 40");
    expect_roster_refusal(fx, "[zeist]\nsign_key = 0000000000000000000000000000000000000000\n",
                          "[zeist] sign_key is all zeros");
    expect_roster_refusal(fx, "[zeist]\nnaam = Zeist\n", "[zeist] unknown key 'naam'");
    expect_roster_refusal(fx, "[Zeist]\nname = Zeist\n", "[Zeist] is not a valid id");
    expect_roster_refusal(fx, "name = Zeist\n", "line 1: 'name' comes before any [id] section");
    expect_roster_refusal(fx, "[zeist\nname = Zeist\n", "line 1:");

    memset(long_name, 'z', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    snprintf(text, sizeof text, "[zeist]\nname = %s\n", long_name);
    expect_roster_refusal(fx, text, "[zeist] name must have 1 to 127 characters");

    /* inih would keep only the first 49 characters of this id. */
    snprintf(text, sizeof text, "[%.60s]\nname = Zeist\n", long_name);
    expect_roster_refusal(fx, text, "line 1: the [section] name is longer than 49");
}

static void test_roster_empty_is_refused(void **state)
{
    struct fixture *fx = *state;

    expect_roster_refusal(fx, "; nobody yet\n", "no nodes listed");
}

static void test_roster_error_keeps_previous_list(void **state)
{
    struct fixture *fx = *state;
    struct roster r = {0};
    char err[512] = "";

    write_roster(fx, NULL);
    if (roster_load(fx->roster, &r, err, sizeof err) != 0)
        fail_msg("%s", err);
    struct roster before = r;
    write_roster(fx, "[amersfoort]\nlon = 200");
    assert_int_equal(roster_load(fx->roster, &r, err, sizeof err), -1);
    assert_contains(err, "line 23: [amersfoort] lon = '200'");
    assert_ptr_equal(r.nodes, before.nodes);
    assert_int_equal(r.count, NODES);
    assert_string_equal(r.nodes[2].name, "Zeist");
    roster_free(&r);
}

static void test_roles_parse_and_format(void **state)
{
    (void)state;
    char text[64];

    assert_int_equal(role_parse("hr"), ROLE_HR);
    assert_int_equal(role_parse("mediator, admin"), ROLE_MEDIATOR | ROLE_ADMIN);
    assert_int_equal(role_parse("admin,hr ,coordinator"), ROLE_ADMIN | ROLE_HR | ROLE_COORDINATOR);
    assert_int_equal(role_parse(""), 0);
    assert_int_equal(role_parse("hr,"), 0);
    assert_int_equal(role_parse("hr, boss"), 0);
    assert_int_equal(role_parse("HR"), 0);

    role_format(ROLE_ADMIN | ROLE_HR | ROLE_MEDIATOR, text, sizeof text);
    assert_string_equal(text, "hr, mediator, admin");
    role_format(0, text, sizeof text);
    assert_string_equal(text, "");
    for (unsigned roles = 1; roles < 16; roles++) {
        role_format(roles, text, sizeof text);
        assert_int_equal(role_parse(text), roles);
    }
    role_format(ROLE_HR | ROLE_MEDIATOR, text, 6);
    assert_true(strlen(text) < 6);
}

static void test_users_load_roles_and_keys(void **state)
{
    struct fixture *fx = *state;
    struct users u = {0};
    char err[512] = "", text[1024];

    snprintf(text, sizeof text,
             "[alice]\nrole = hr\nkey = %s\n\n[bob]\nrole = mediator, coordinator\nkey = %s\n",
             fx->curve_z85[0], fx->curve_z85[1]);
    write_text(fx->users, text);
    if (users_load(fx->users, &u, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(u.count, 2);
    const struct user *bob = users_find(&u, "bob");
    assert_non_null(bob);
    assert_int_equal(bob->roles, ROLE_MEDIATOR | ROLE_COORDINATOR);
    assert_ptr_equal(users_find_key(&u, fx->curve[1]), bob);
    assert_int_equal(users_find(&u, "alice")->roles, ROLE_HR);
    assert_null(users_find(&u, "carol"));
    assert_null(users_find_key(&u, fx->curve[2]));
    users_free(&u);

    snprintf(text, sizeof text, "[alice]\nrole = hr, boss\nkey = %s\n", fx->curve_z85[0]);
    write_text(fx->users, text);
    assert_int_equal(users_load(fx->users, &u, err, sizeof err), -1);
    assert_contains(err, "line 2: [alice] role = 'hr, boss' is not valid");
    assert_contains(err, "hr, mediator, coordinator or admin");

    snprintf(text, sizeof text, "[alice]\nrole = hr\nkey = %s\n[bob]\nrole = hr\nkey = %s\n",
             fx->curve_z85[0], fx->curve_z85[0]);
    write_text(fx->users, text);
    assert_int_equal(users_load(fx->users, &u, err, sizeof err), -1);
    assert_contains(err, "[alice] and [bob] have the same key");

    write_text(fx->users, "[alice]\nrole = hr\n");
    assert_int_equal(users_load(fx->users, &u, err, sizeof err), -1);
    assert_contains(err, "[alice] key is missing");

    write_text(fx->users, "");
    if (users_load(fx->users, &u, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(u.count, 0);
    users_free(&u);
}

/* users.ini holds e-mail addresses: the node refuses one others may read. */
static void test_users_private_refuses_world_readable(void **state)
{
    struct fixture *fx = *state;
    char err[512] = "";
    FILE *f = fopen(fx->users, "w");
    assert_non_null(f);
    fclose(f);

    assert_int_equal(chmod(fx->users, 0644), 0);
    assert_int_equal(users_private(fx->users, err, sizeof err), -1);
    assert_non_null(strstr(err, "others may read it (mode 0644); run chmod o-rwx"));
    assert_int_equal(chmod(fx->users, 0640), 0);
    assert_int_equal(users_private(fx->users, err, sizeof err), 0);
}

static void test_users_append_round_trip(void **state)
{
    struct fixture *fx = *state;
    struct user alice = {.id = "alice", .roles = ROLE_HR | ROLE_ADMIN};
    struct user bob = {.id = "bob", .roles = ROLE_MEDIATOR};
    struct users u = {0};
    struct stat st;
    char err[512] = "";
    mode_t mask = umask(022);

    memcpy(alice.pk, fx->curve[0], KEY_LEN);
    memcpy(bob.pk, fx->curve[1], KEY_LEN);
    int rc = users_append(fx->users, &alice, err, sizeof err);
    umask(mask);
    if (rc != 0)
        fail_msg("%s", err);
    assert_int_equal(stat(fx->users, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* e-mail addresses: the node's group only */
    if (users_append(fx->users, &bob, err, sizeof err) != 0)
        fail_msg("%s", err);

    if (users_load(fx->users, &u, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(u.count, 2);
    assert_string_equal(u.list[0].id, "alice");
    assert_int_equal(u.list[0].roles, ROLE_HR | ROLE_ADMIN);
    assert_memory_equal(u.list[0].pk, fx->curve[0], KEY_LEN);
    assert_string_equal(u.list[1].id, "bob");
    assert_int_equal(u.list[1].roles, ROLE_MEDIATOR);
    assert_ptr_equal(users_find_key(&u, fx->curve[1]), &u.list[1]);
    users_free(&u);
}

static void test_users_append_refuses_duplicates(void **state)
{
    struct fixture *fx = *state;
    struct user alice = {.id = "alice", .roles = ROLE_HR};
    struct user other = {.id = "alice", .roles = ROLE_MEDIATOR};
    struct stat before, after;
    char err[512] = "";

    memcpy(alice.pk, fx->curve[0], KEY_LEN);
    memcpy(other.pk, fx->curve[1], KEY_LEN);
    if (users_append(fx->users, &alice, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(stat(fx->users, &before), 0);

    assert_int_equal(users_append(fx->users, &other, err, sizeof err), -1);
    assert_contains(err, "[alice] is already listed");

    snprintf(other.id, sizeof other.id, "carol");
    memcpy(other.pk, fx->curve[0], KEY_LEN);
    assert_int_equal(users_append(fx->users, &other, err, sizeof err), -1);
    assert_contains(err, "this key already belongs to [alice]");

    memcpy(other.pk, fx->curve[1], KEY_LEN);
    other.roles = 0;
    assert_int_equal(users_append(fx->users, &other, err, sizeof err), -1);
    assert_contains(err, "[carol] needs one or more of the roles");

    other.roles = ROLE_HR;
    snprintf(other.id, sizeof other.id, "Carol");
    assert_int_equal(users_append(fx->users, &other, err, sizeof err), -1);
    assert_contains(err, "'Carol' is not a valid user id");

    assert_int_equal(stat(fx->users, &after), 0);
    assert_int_equal(after.st_size, before.st_size);
}

static void test_users_append_leaves_broken_file_alone(void **state)
{
    struct fixture *fx = *state;
    struct user alice = {.id = "alice", .roles = ROLE_HR};
    struct stat st;
    char err[512] = "";

    memcpy(alice.pk, fx->curve[0], KEY_LEN);
    write_text(fx->users, "[bob]\nrole = chef\n");
    assert_int_equal(users_append(fx->users, &alice, err, sizeof err), -1);
    assert_contains(err, "[bob] role");
    assert_int_equal(stat(fx->users, &st), 0);
    assert_int_equal(st.st_size, strlen("[bob]\nrole = chef\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roster_loads_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_refuses_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_names_the_missing_key, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_refuses_bad_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_empty_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roster_error_keeps_previous_list, setup, teardown),
        cmocka_unit_test(test_roles_parse_and_format),
        cmocka_unit_test_setup_teardown(test_users_load_roles_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_private_refuses_world_readable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_append_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_append_refuses_duplicates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_users_append_leaves_broken_file_alone, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
