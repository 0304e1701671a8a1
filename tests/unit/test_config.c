/* Tests for config_load: what an operator sees when mpoold.conf is right,
 * and the message they get for each kind of mistake. */
#include <limits.h>
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

#include "store/config.h"
#include "wire/keys.h"

struct entry {
    const char *section;
    const char *key;
    const char *value;
};

/* A valid configuration for a node that is both member and coordinator.
 * Values "@curve" and "@sign" stand for the fixture's generated keys. */
static const struct entry base[] = {
    {"node", "id", "almere"},
    {"node", "role", "member, coordinator"},
    {"node", "database", "data/mpool.db"},
    {"node", "keys", "/etc/mpoold/node.key"},
    {"node", "pool_secret", "pool.secret"},
    {"node", "roster", "/etc/mpoold/roster.ini"},
    {"node", "users", "users.ini"},
    {"node", "clients", "tcp://127.0.0.1:7101"},
    {"node", "log_level", "debug"},
    {"coordinator", "endpoint", "tcp://coord.example:7001"},
    {"coordinator", "events", "tcp://coord.example:7002"},
    {"coordinator", "curve_key", "@curve"},
    {"coordinator", "sign_key", "@sign"},
    {"coordinator", "bind", "tcp://*:7001"},
    {"coordinator", "events_bind", "tcp://*:7002"},
    {"pool", "shortlist_size", "5"},
    {"pool", "offer_expiry", "3600"},
    {"pool", "stuck_after", "86400"},
    {"pool", "retry", "250"},
    {"pool", "max_message", "524288"},
    {"pool", "journal_retention", "86400"},
    {"match", "load_step", "25"},
    {"match", "unassigned", "5000000"},
    {"match", "max_distance_km", "80"},
    {"match", "availability", "0"},
};

#define NBASE (sizeof base / sizeof base[0])

struct fixture {
    char dir[64];
    char path[128];
    char realdir[PATH_MAX];
    uint8_t curve[KEY_LEN], sign[KEY_LEN];
    char curve_z85[Z85_KEY_LEN + 1], sign_z85[Z85_KEY_LEN + 1];
};

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in \"%s\"", part, text);
}

static const char *entry_value(const struct fixture *fx, const char *value)
{
    if (strcmp(value, "@curve") == 0)
        return fx->curve_z85;
    if (strcmp(value, "@sign") == 0)
        return fx->sign_z85;
    return value;
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    assert_true(fputs(text, fp) >= 0);
    assert_int_equal(fclose(fp), 0);
}

/* Writes the base configuration with [section] key changed: removed when
 * value is NULL, replaced when the base has it, added otherwise. */
static void write_config(const struct fixture *fx, const char *section, const char *key,
                         const char *value)
{
    static const char *const sections[] = {"node", "coordinator", "pool", "match"};
    char text[8192] = "; mpoold test configuration\n";
    bool placed = section == NULL;

    for (size_t s = 0; s < 4; s++) {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "[%s]\n", sections[s]);
        for (size_t i = 0; i < NBASE; i++) {
            const struct entry *e = &base[i];
            const char *v = entry_value(fx, e->value);
            if (strcmp(e->section, sections[s]) != 0)
                continue;
            if (section && strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
                placed = true;
                v = value;
            }
            len = strlen(text);
            if (v)
                snprintf(text + len, sizeof text - len, "%s = %s\n", e->key, v);
        }
        if (!placed && strcmp(section, sections[s]) == 0) {
            len = strlen(text);
            snprintf(text + len, sizeof text - len, "%s = %s\n", key, value);
            placed = true;
        }
    }
    if (!placed) {
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "[%s]\n%s = %s\n", section, key, value);
    }
    write_text(fx->path, text);
}

static int load(const struct fixture *fx, struct config *cfg, char *err, size_t errlen)
{
    return config_load(fx->path, cfg, err, errlen);
}

/* Loads the base file changed as write_config does; expects a refusal
 * whose message names [section] key and contains want. */
static void expect_refusal(const struct fixture *fx, const char *section, const char *key,
                           const char *value, const char *want)
{
    struct config cfg;
    char err[512] = "";
    char name[128];

    write_config(fx, section, key, value);
    if (load(fx, &cfg, err, sizeof err) == 0)
        fail_msg("[%s] %s = %s was accepted", section, key, value ? value : "(missing)");
    snprintf(name, sizeof name, "[%s] ", section);
    assert_contains(err, name);
    assert_contains(err, key);
    assert_contains(err, want);
    assert_contains(err, fx->path);
}

/* The base file and a [mail] section of the given lines. */
static int load_mail(const struct fixture *fx, const char *lines, struct config *cfg, char *err,
                     size_t errlen)
{
    write_config(fx, NULL, NULL, NULL);
    FILE *fp = fopen(fx->path, "a");
    assert_non_null(fp);
    fprintf(fp, "[mail]\n%s", lines);
    assert_int_equal(fclose(fp), 0);
    return config_load(fx->path, cfg, err, errlen);
}

static void test_mail_settings(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "";

    write_config(fx, NULL, NULL, NULL);
    assert_int_equal(load(fx, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.mail.url, ""); /* no [mail]: no mail */

    assert_int_equal(load_mail(fx,
                               "smtp_url = smtps://mail.zeist.nl:465\nfrom = pool@zeist.nl\n"
                               "user = mpoold\npassword = smtp.password\nca_file = ca.pem\n",
                               &cfg, err, sizeof err),
                     0);
    assert_string_equal(cfg.mail.url, "smtps://mail.zeist.nl:465");
    assert_string_equal(cfg.mail.from, "pool@zeist.nl");
    assert_string_equal(cfg.mail.user, "mpoold");
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "%s/smtp.password", fx->realdir);
    assert_string_equal(cfg.mail.password_file, want);
    assert_int_equal(cfg.mail.starttls, 1);

    static const char *const loopback[] = {"smtp://127.0.0.1:2525", "smtp://localhost",
                                           "smtp://[::1]:25/"};
    for (size_t i = 0; i < 3; i++) {
        char lines[256];
        snprintf(lines, sizeof lines, "smtp_url = %s\nfrom = a@b.nl\nstarttls = off\n",
                 loopback[i]);
        if (load_mail(fx, lines, &cfg, err, sizeof err) != 0)
            fail_msg("%s: %s", loopback[i], err);
        assert_int_equal(cfg.mail.starttls, 0);
    }

    static const struct {
        const char *lines, *want;
    } refused[] = {
        {"smtp_url = smtp://mail.zeist.nl:587\n", "needs smtp_url and from"},
        {"from = a@b.nl\n", "needs smtp_url and from"},
        {"smtp_url = smtp://mail.zeist.nl:587\nfrom = a@b.nl\nstarttls = off\n",
         "only for a server on loopback"},
        {"smtp_url = smtp://127.0.0.1.evil.nl\nfrom = a@b.nl\nstarttls = off\n",
         "only for a server on loopback"},
        {"smtp_url = smtp://mail.zeist.nl\nfrom = a@b.nl\nuser = x\n", "go together"},
        {"smtp_url = smtp://mail.zeist.nl\nfrom = a@b.nl\npassword = p\n", "go together"},
        {"smtp_url = http://mail.zeist.nl\nfrom = a@b.nl\n", "is not an SMTP URL"},
        /* A user part would make the host something else than it seems. */
        {"smtp_url = smtp://127.0.0.1:25@mail.evil.nl/\nfrom = a@b.nl\nstarttls = off\n",
         "is not an SMTP URL"},
        {"smtp_url = smtp://mail.zeist.nl\nfrom = Pool <a@b.nl>\n", "not a plain address"},
        {"smtp_url = smtp://mail.zeist.nl\nfrom = a@b.nl, c@d.nl\n", "not a plain address"},
        {"smtp_url = smtp://mail.zeist.nl\nfrom = a@b.nl\nstarttls = maybe\n", "required, or off"},
        {"smtp_url = smtp://127.0.0.1\nfrom = a@b.nl\nstarttls = off\nca_file = c.pem\n",
         "without TLS"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        err[0] = '\0';
        if (load_mail(fx, refused[i].lines, &cfg, err, sizeof err) == 0)
            fail_msg("accepted: %s", refused[i].lines);
        assert_contains(err, refused[i].want);
        assert_contains(err, fx->path);
    }
}

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);

    if (!fx || sodium_init() < 0)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/test_config.XXXXXX");
    if (!mkdtemp(fx->dir) || !realpath(fx->dir, fx->realdir))
        return -1;
    snprintf(fx->path, sizeof fx->path, "%s/mpoold.conf", fx->dir);
    randombytes_buf(fx->curve, KEY_LEN);
    randombytes_buf(fx->sign, KEY_LEN);
    key_to_z85(fx->curve, KEY_LEN, fx->curve_z85);
    key_to_z85(fx->sign, KEY_LEN, fx->sign_z85);
    unsetenv("CREDENTIALS_DIRECTORY");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    unlink(fx->path);
    rmdir(fx->dir);
    free(fx);
    unsetenv("CREDENTIALS_DIRECTORY");
    return 0;
}

static void test_full_file_loads_every_field(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "", want[PATH_MAX + 32];

    write_config(fx, NULL, NULL, NULL);
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(cfg.node_id, "almere");
    assert_true(cfg.member);
    assert_true(cfg.coordinator);
    snprintf(want, sizeof want, "%s/data/mpool.db", fx->realdir);
    assert_string_equal(cfg.database, want);
    assert_string_equal(cfg.keys_file, "/etc/mpoold/node.key");
    snprintf(want, sizeof want, "%s/pool.secret", fx->realdir);
    assert_string_equal(cfg.pool_secret_file, want);
    assert_string_equal(cfg.roster_file, "/etc/mpoold/roster.ini");
    snprintf(want, sizeof want, "%s/users.ini", fx->realdir);
    assert_string_equal(cfg.users_file, want);
    assert_string_equal(cfg.clients_endpoint, "tcp://127.0.0.1:7101");
    assert_int_equal(cfg.log_level, LL_DEBUG);
    assert_string_equal(cfg.coord_endpoint, "tcp://coord.example:7001");
    assert_string_equal(cfg.coord_events, "tcp://coord.example:7002");
    assert_memory_equal(cfg.coord_curve_pk, fx->curve, KEY_LEN);
    assert_memory_equal(cfg.coord_sign_pk, fx->sign, KEY_LEN);
    assert_string_equal(cfg.coord_bind, "tcp://*:7001");
    assert_string_equal(cfg.coord_events_bind, "tcp://*:7002");
    assert_int_equal(cfg.shortlist_size, 5);
    assert_int_equal(cfg.offer_expiry_ms, 3600 * 1000LL);
    assert_int_equal(cfg.stuck_after_ms, 86400 * 1000LL);
    assert_int_equal(cfg.retry_ms, 250);
    assert_int_equal(cfg.max_message, 524288);
    assert_int_equal(cfg.journal_retention_ms, 86400 * 1000LL);
    assert_int_equal(cfg.weights.load_step, 25);
    assert_int_equal(cfg.weights.unassigned, 5000000);
    assert_int_equal(cfg.weights.distance_per_km, 1);
    assert_int_equal(cfg.max_distance_km, 80);
    assert_int_equal(cfg.check_availability, 0);
}

static void test_defaults_fill_the_pool_section(void **state)
{
    struct fixture *fx = *state;
    char err[512] = "";
    char text[2048];
    struct config cfg;

    snprintf(text, sizeof text,
             "[node]\nid = zeist\nrole = member\ndatabase = /var/lib/mpoold/mpool.db\n"
             "keys = node.key\npool_secret = pool.secret\nroster = roster.ini\n"
             "users = users.ini\nclients = tcp://127.0.0.1:7101\n"
             "[coordinator]\nendpoint = tcp://coord:7001\nevents = tcp://coord:7002\n"
             "curve_key = %s\nsign_key = %s\n",
             fx->curve_z85, fx->sign_z85);
    write_text(fx->path, text);
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_true(cfg.member);
    assert_false(cfg.coordinator);
    assert_int_equal(cfg.log_level, LL_INFO);
    assert_int_equal(cfg.shortlist_size, 3);
    assert_int_equal(cfg.offer_expiry_ms, 172800000LL);
    assert_int_equal(cfg.stuck_after_ms, 604800000LL);
    assert_int_equal(cfg.retry_ms, 1000);
    assert_int_equal(cfg.max_message, 1048576);
    assert_int_equal(cfg.journal_retention_ms, 2592000 * 1000LL);
    assert_int_equal(cfg.weights.load_step, 40); /* the published defaults */
    assert_int_equal(cfg.weights.unassigned, 1000000);
    assert_int_equal(cfg.max_distance_km, 0);
    assert_int_equal(cfg.recent_days, 90);
    assert_int_equal(cfg.check_availability, 1);
    assert_string_equal(cfg.coord_bind, "");
}

static void test_coordinator_needs_no_member_keys(void **state)
{
    struct fixture *fx = *state;
    char err[512] = "";
    struct config cfg;

    write_text(fx->path, "[node]\nid = coord\nrole = coordinator\ndatabase = c.db\n"
                         "keys = node.key\nroster = roster.ini\nusers = users.ini\n"
                         "clients = tcp://127.0.0.1:7100\n"
                         "[coordinator]\nbind = tcp://*:7001\nevents_bind = tcp://*:7002\n");
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_false(cfg.member);
    assert_true(cfg.coordinator);
    assert_string_equal(cfg.pool_secret_file, "");

    /* ...but a coordinator still needs its binds. */
    write_text(fx->path, "[node]\nid = coord\nrole = coordinator\ndatabase = c.db\n"
                         "keys = node.key\nroster = roster.ini\nusers = users.ini\n"
                         "clients = tcp://127.0.0.1:7100\n[coordinator]\nbind = tcp://*:7001\n");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "[coordinator] events_bind is missing");
}

static void test_role_spellings(void **state)
{
    struct fixture *fx = *state;
    static const char *const good[] = {"member, coordinator", "member,coordinator",
                                       "coordinator ,member"};
    char err[512] = "";
    struct config cfg;

    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        write_config(fx, "node", "role", good[i]);
        if (load(fx, &cfg, err, sizeof err) != 0)
            fail_msg("role = %s: %s", good[i], err);
        assert_true(cfg.member && cfg.coordinator);
    }
    expect_refusal(fx, "node", "role", "membr", "member, coordinator");
    expect_refusal(fx, "node", "role", "member, ", "is not a role");
    expect_refusal(fx, "node", "role", "both", "is not a role");
}

static void test_each_missing_required_key_is_named(void **state)
{
    struct fixture *fx = *state;
    static const char *const required[][2] = {
        {"node", "id"},
        {"node", "role"},
        {"node", "database"},
        {"node", "keys"},
        {"node", "pool_secret"},
        {"node", "roster"},
        {"node", "users"},
        {"node", "clients"},
        {"coordinator", "endpoint"},
        {"coordinator", "events"},
        {"coordinator", "curve_key"},
        {"coordinator", "sign_key"},
        {"coordinator", "bind"},
        {"coordinator", "events_bind"},
    };

    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        expect_refusal(fx, required[i][0], required[i][1], NULL, "is missing");
}

static void test_optional_keys_may_be_left_out(void **state)
{
    struct fixture *fx = *state;
    static const char *const optional[][2] = {
        {"node", "log_level"},         {"pool", "shortlist_size"}, {"pool", "offer_expiry"},
        {"pool", "stuck_after"},       {"pool", "retry"},          {"pool", "max_message"},
        {"pool", "journal_retention"},
    };
    char err[512] = "";
    struct config cfg;

    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        write_config(fx, optional[i][0], optional[i][1], NULL);
        if (load(fx, &cfg, err, sizeof err) != 0)
            fail_msg("without %s: %s", optional[i][1], err);
    }
}

static void test_unknown_key_and_section_are_refused(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "";

    expect_refusal(fx, "node", "rol", "member", "unknown key 'rol'");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "docs/operations.md");
    assert_contains(err, " line 12:");

    write_config(fx, "nodes", "id", "almere");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "unknown section [nodes]");

    write_text(fx->path, "id = almere\n[node]\n");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "line 1:");
    assert_contains(err, "before any section");
}

static void test_malformed_values_are_refused(void **state)
{
    struct fixture *fx = *state;
    char short_key[Z85_KEY_LEN];

    memcpy(short_key, fx->curve_z85, Z85_KEY_LEN - 1);
    short_key[Z85_KEY_LEN - 1] = '\0';
    expect_refusal(fx, "coordinator", "curve_key", short_key, "40-character Z85 key");
    expect_refusal(fx, "coordinator", "sign_key", "this is not a z85 key at all, not at all!",
                   "40-character Z85 key");
    expect_refusal(fx, "node", "id", "Almere", "not a valid id");
    expect_refusal(fx, "node", "id", "", "not a valid id");
    expect_refusal(fx, "node", "database", "", "is empty");
    expect_refusal(fx, "node", "clients", "", "is empty");
    expect_refusal(fx, "node", "log_level", "verbose", "not a log level");
}

static void test_numbers_are_strict_and_in_range(void **state)
{
    struct fixture *fx = *state;
    static const char *const bad[][3] = {
        {"pool", "shortlist_size", "0"},
        {"pool", "shortlist_size", "21"},
        {"pool", "shortlist_size", "3x"},
        {"pool", "shortlist_size", "-1"},
        {"pool", "shortlist_size", "+3"},
        {"pool", "shortlist_size", ""},
        {"pool", "offer_expiry", "0"},
        {"pool", "offer_expiry", "1e3"},
        {"pool", "offer_expiry", "31536001"},
        {"pool", "stuck_after", "2.5"},
        {"pool", "retry", "0"},
        {"pool", "retry", "99999999999999999999999"},
        {"pool", "max_message", "262143"},
        {"pool", "max_message", "67108865"},
        {"pool", "journal_retention", "0"},
        {"pool", "journal_retention", "315360001"},
    };
    struct config cfg;
    char err[512] = "";

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refusal(fx, bad[i][0], bad[i][1], bad[i][2], "out of range or not a number");

    write_config(fx, "pool", "max_message", "67108864");
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_int_equal(cfg.max_message, 67108864);
}

static void test_credentials_come_from_systemd(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "";

    /* Outside systemd: the credentials folder beside the configuration. */
    write_config(fx, "node", "keys", "credential:node.key");
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    char want[PATH_MAX + 32];
    snprintf(want, sizeof want, "%s/credentials/node.key", fx->realdir);
    assert_string_equal(cfg.keys_file, want);

    /* The unit's LoadCredential=mpoold:DIR names DIR's files mpoold_NAME. */
    assert_int_equal(setenv("CREDENTIALS_DIRECTORY", fx->realdir, 1), 0);
    char cred[PATH_MAX + 32];
    snprintf(cred, sizeof cred, "%s/mpoold_node.key", fx->realdir);
    write_text(cred, "x");
    write_config(fx, "node", "keys", "credential:node.key");
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(cfg.keys_file, cred);
    unlink(cred);

    assert_int_equal(setenv("CREDENTIALS_DIRECTORY", "/run/credentials/mpoold.service", 1), 0);
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(cfg.keys_file, "/run/credentials/mpoold.service/node.key");

    write_config(fx, "node", "pool_secret", "credential:pool.secret");
    if (load(fx, &cfg, err, sizeof err) != 0)
        fail_msg("%s", err);
    assert_string_equal(cfg.pool_secret_file, "/run/credentials/mpoold.service/pool.secret");

    expect_refusal(fx, "node", "keys", "credential:../etc/shadow", "not a credential name");
    expect_refusal(fx, "node", "keys", "credential:", "not a credential name");
    unsetenv("CREDENTIALS_DIRECTORY");
}

static void test_bad_lines_are_reported_by_number(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "", text[512], value[300];

    write_text(fx->path, "[node]\nid = almere\nthis line has no equals sign\nrol = x\n");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "mpoold.conf line 3:");

    write_text(fx->path, "[node]\nid = almere\nid = zeist\n");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "line 3: [node] id is set a second time");

    /* inih would cut this line short and load the rest as a path. */
    memset(value, 'a', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    snprintf(text, sizeof text, "[node]\ndatabase = %s\n", value);
    write_text(fx->path, text);
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "line 2: the line is longer than");
}

static void test_indented_lines_are_plain_keys(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "";

    write_config(fx, "pool", "shortlist_size", "4\n    retry_typo = 5");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "[pool] unknown key 'retry_typo'");
}

static void test_failed_load_leaves_config_untouched(void **state)
{
    struct fixture *fx = *state;
    struct config cfg, before;
    char err[512] = "";

    memset(&cfg, 0x5a, sizeof cfg);
    memcpy(&before, &cfg, sizeof cfg);
    write_config(fx, "pool", "retry", "fast");
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_memory_equal(&cfg, &before, sizeof cfg);
}

static void test_missing_file_is_named(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "", path[256];

    snprintf(path, sizeof path, "%s/absent.conf", fx->dir);
    assert_int_equal(config_load(path, &cfg, err, sizeof err), -1);
    assert_contains(err, path);
    assert_contains(err, "cannot open");
}

/* Who may write mpoold.conf (or the roster or people lists, read the same
 * way) decides who may do what: group or world write is refused. */
static void test_writable_by_others_is_refused(void **state)
{
    struct fixture *fx = *state;
    struct config cfg;
    char err[512] = "";

    write_config(fx, NULL, NULL, NULL);
    assert_int_equal(chmod(fx->path, 0664), 0);
    assert_int_equal(load(fx, &cfg, err, sizeof err), -1);
    assert_contains(err, "writable by group or others");
    assert_contains(err, "chmod go-w");
    assert_int_equal(chmod(fx->path, 0644), 0);
    assert_int_equal(load(fx, &cfg, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_file_loads_every_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_fill_the_pool_section, setup, teardown),
        cmocka_unit_test_setup_teardown(test_coordinator_needs_no_member_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_role_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mail_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_missing_required_key_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_keys_may_be_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_key_and_section_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_values_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_are_strict_and_in_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_come_from_systemd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_lines_are_reported_by_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_indented_lines_are_plain_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_load_leaves_config_untouched, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file_is_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writable_by_others_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
