/* keys: key files of nodes, people and the pool, and their text encoding.
 *
 * A key file is "name = Z85" lines with '#' comments, read with inih. The
 * whole file is read into a stack buffer that is wiped afterwards, so the
 * secret text does not linger in a stdio buffer. */
#include "wire/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "base/log.h"

#define Z85_SIGN_SECRET_LEN 80 /* Z85 text of 64 bytes */
#define KEY_FILE_MAX        4096
#define MAX_FIELDS          4

/* One "name = value" line a key file must have exactly once. */
struct key_field {
    const char *name;
    uint8_t *key;
    size_t len;
    char text[Z85_SIGN_SECRET_LEN + 1];
    bool seen;
};

struct key_file {
    struct key_field fields[MAX_FIELDS];
    size_t nfields;
    char problem[160]; /* first thing wrong found by the ini handler */
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void ensure_sodium(void)
{
    if (sodium_init() < 0)
        fatal("libsodium could not be initialised");
}

void key_to_z85(const uint8_t *key, size_t len, char *out)
{
    if (!zmq_z85_encode(out, key, len))
        fatal("key_to_z85: %zu bytes is not a multiple of 4", len);
}

int key_from_z85(const char *text, uint8_t *key, size_t len)
{
    if (!text || len == 0 || len % 4 != 0 || strlen(text) != len / 4 * 5)
        return -1;
    return zmq_z85_decode(key, text) ? 0 : -1;
}

void node_keys_generate(struct node_keys *k)
{
    ensure_sodium();
    if (crypto_box_keypair(k->curve_pk, k->curve_sk) != 0 ||
        crypto_sign_keypair(k->sign_pk, k->sign_sk) != 0)
        fatal("libsodium could not generate a key pair");
}

void user_keys_generate(struct user_keys *k)
{
    ensure_sodium();
    if (crypto_box_keypair(k->pk, k->sk) != 0)
        fatal("libsodium could not generate a key pair");
}

void pool_secret_generate(uint8_t secret[KEY_LEN])
{
    ensure_sodium();
    randombytes_buf(secret, KEY_LEN);
}

void node_keys_wipe(struct node_keys *k)
{
    sodium_memzero(k, sizeof *k);
}

void user_keys_wipe(struct user_keys *k)
{
    sodium_memzero(k, sizeof *k);
}

/* ---- writing ---- */

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Creates path 0600 with text; never replaces an existing file, and leaves
 * no partial file behind when anything fails. */
static int write_secret_file(const char *path, const char *text, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            set_err(err, errlen, "%s exists and is kept as it is; choose another path", path);
        else
            set_err(err, errlen, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    const char *step = "write";
    int rc = write_all(fd, text, strlen(text));
    if (rc == 0) {
        step = "fsync";
        rc = fsync(fd);
    }
    int saved_errno = errno;
    if (close(fd) != 0 && rc == 0) {
        step = "close";
        saved_errno = errno;
        rc = -1;
    }
    if (rc != 0) {
        unlink(path);
        set_err(err, errlen, "cannot %s %s: %s; the file was removed, check the disk and try again",
                step, path, strerror(saved_errno));
        return -1;
    }
    return 0;
}

/* Appends "name = <Z85>\n" to text, which holds cap bytes. */
static int append_key_line(char *text, size_t cap, const char *name, const uint8_t *key, size_t len)
{
    char z85[Z85_SIGN_SECRET_LEN + 1];
    size_t used = strlen(text);

    key_to_z85(key, len, z85);
    int n = snprintf(text + used, cap - used, "%s = %s\n", name, z85);
    sodium_memzero(z85, sizeof z85);
    return n < 0 || (size_t)n >= cap - used ? -1 : 0;
}

/* ---- reading ---- */

static int key_file_handler(void *user, const char *section, const char *name, const char *value)
{
    struct key_file *kf = user;

    if (kf->problem[0])
        return 0;
    if (section[0] != '\0') {
        snprintf(kf->problem, sizeof kf->problem, "sections such as [%.40s] do not belong here",
                 section);
        return 0;
    }
    for (size_t i = 0; i < kf->nfields; i++) {
        struct key_field *f = &kf->fields[i];
        if (strcmp(f->name, name) != 0)
            continue;
        if (f->seen) {
            snprintf(kf->problem, sizeof kf->problem, "%s appears twice", name);
            return 0;
        }
        size_t want = f->len / 4 * 5;
        if (strlen(value) != want) {
            snprintf(kf->problem, sizeof kf->problem, "%s is not a %zu-character Z85 key", name,
                     want);
            return 0;
        }
        memcpy(f->text, value, want + 1);
        f->seen = true;
        return 1;
    }
    snprintf(kf->problem, sizeof kf->problem, "unknown field %.40s", name);
    return 0;
}

/* Opens path for reading if it is a regular file only its owner can read. */
static int open_secret_file(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ELOOP)
            set_err(err, errlen, "%s is a symbolic link; give the path of the key file itself",
                    path);
        else
            set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        set_err(err, errlen, "cannot stat %s: %s", path, strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        set_err(err, errlen, "%s is not a regular file; give the path of a key file", path);
    } else if ((st.st_mode & 077) != 0) {
        set_err(err, errlen, "%s is readable by group or others (mode %04o); run chmod 600 %s",
                path, (unsigned)(st.st_mode & 07777), path);
    } else {
        return fd;
    }
    close(fd);
    return -1;
}

/* Reads the whole file into buf (NUL-terminated); refuses files that do not fit. */
static int read_small_file(int fd, const char *path, char *buf, size_t cap, char *err,
                           size_t errlen)
{
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, cap - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
            return -1;
        }
        if (n == 0)
            break;
        used += (size_t)n;
        if (used == cap - 1) {
            set_err(err, errlen, "%s is larger than %zu bytes; it is not a key file", path,
                    cap - 1);
            return -1;
        }
    }
    buf[used] = '\0';
    return 0;
}

static int decode_fields(const char *path, struct key_file *kf, char *err, size_t errlen)
{
    for (size_t i = 0; i < kf->nfields; i++) {
        struct key_field *f = &kf->fields[i];
        if (!f->seen) {
            set_err(err, errlen,
                    "%s has no %s line; the file is damaged or not this kind of key file", path,
                    f->name);
            return -1;
        }
        if (key_from_z85(f->text, f->key, f->len) != 0) {
            set_err(err, errlen, "%s: %s is not valid Z85 text; the file is damaged", path,
                    f->name);
            return -1;
        }
    }
    return 0;
}

/* Fills the keys named in kf from path. On failure some keys may be filled
 * in, so callers wipe what they passed. */
static int load_key_file(const char *path, struct key_file *kf, char *err, size_t errlen)
{
    char buf[KEY_FILE_MAX];
    int rc = -1;

    ensure_sodium();
    int fd = open_secret_file(path, err, errlen);
    if (fd < 0)
        return -1;
    if (read_small_file(fd, path, buf, sizeof buf, err, errlen) != 0)
        goto out;
    int line = ini_parse_string(buf, key_file_handler, kf);
    if (line != 0) {
        if (kf->problem[0])
            set_err(err, errlen, "%s line %d: %s; the file is damaged", path, line, kf->problem);
        else
            set_err(err, errlen, "%s line %d: expected \"name = value\"; the file is damaged", path,
                    line);
        goto out;
    }
    rc = decode_fields(path, kf, err, errlen);
out:
    close(fd);
    sodium_memzero(buf, sizeof buf);
    for (size_t i = 0; i < kf->nfields; i++)
        sodium_memzero(kf->fields[i].text, sizeof kf->fields[i].text);
    return rc;
}

static void add_field(struct key_file *kf, const char *name, uint8_t *key, size_t len)
{
    if (kf->nfields == MAX_FIELDS)
        fatal("key file with more than %d fields", MAX_FIELDS);
    struct key_field *f = &kf->fields[kf->nfields++];
    memset(f, 0, sizeof *f);
    f->name = name;
    f->key = key;
    f->len = len;
}

static bool curve_pair_matches(const uint8_t pk[KEY_LEN], const uint8_t sk[KEY_LEN])
{
    uint8_t derived[KEY_LEN];
    bool ok = crypto_scalarmult_base(derived, sk) == 0 && sodium_memcmp(derived, pk, KEY_LEN) == 0;
    sodium_memzero(derived, sizeof derived);
    return ok;
}

/* Rebuilds the secret key from its seed: this catches damage to the seed as
 * well as a public key that does not match the copy inside the secret. */
static bool sign_pair_matches(const uint8_t pk[KEY_LEN], const uint8_t sk[SIGN_SECRET_LEN])
{
    uint8_t seed[crypto_sign_SEEDBYTES];
    uint8_t pk2[KEY_LEN];
    uint8_t sk2[SIGN_SECRET_LEN];

    crypto_sign_ed25519_sk_to_seed(seed, sk);
    bool ok = crypto_sign_seed_keypair(pk2, sk2, seed) == 0 &&
              sodium_memcmp(pk2, pk, KEY_LEN) == 0 && sodium_memcmp(sk2, sk, SIGN_SECRET_LEN) == 0;
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(sk2, sizeof sk2);
    return ok;
}

/* ---- node keys ---- */

int node_keys_save(const char *path, const struct node_keys *k, char *err, size_t errlen)
{
    char text[512] = "# mediatorpool node keys. Secret: keep mode 0600, never share.\n";

    if (append_key_line(text, sizeof text, "curve_public", k->curve_pk, KEY_LEN) != 0 ||
        append_key_line(text, sizeof text, "curve_secret", k->curve_sk, KEY_LEN) != 0 ||
        append_key_line(text, sizeof text, "sign_public", k->sign_pk, KEY_LEN) != 0 ||
        append_key_line(text, sizeof text, "sign_secret", k->sign_sk, SIGN_SECRET_LEN) != 0)
        fatal("node key file text does not fit its buffer");
    int rc = write_secret_file(path, text, err, errlen);
    sodium_memzero(text, sizeof text);
    return rc;
}

int node_keys_load(const char *path, struct node_keys *k, char *err, size_t errlen)
{
    struct key_file kf = {0};

    add_field(&kf, "curve_public", k->curve_pk, KEY_LEN);
    add_field(&kf, "curve_secret", k->curve_sk, KEY_LEN);
    add_field(&kf, "sign_public", k->sign_pk, KEY_LEN);
    add_field(&kf, "sign_secret", k->sign_sk, SIGN_SECRET_LEN);
    if (load_key_file(path, &kf, err, errlen) != 0)
        goto fail;
    if (!curve_pair_matches(k->curve_pk, k->curve_sk)) {
        set_err(err, errlen,
                "%s: curve_public and curve_secret keys do not belong together; "
                "the file is damaged",
                path);
        goto fail;
    }
    if (!sign_pair_matches(k->sign_pk, k->sign_sk)) {
        set_err(err, errlen,
                "%s: sign_public and sign_secret keys do not belong together; "
                "the file is damaged",
                path);
        goto fail;
    }
    return 0;
fail:
    node_keys_wipe(k);
    return -1;
}

/* ---- user keys ---- */

int user_keys_save(const char *path, const struct user_keys *k, char *err, size_t errlen)
{
    char text[256] = "# mediatorpool user keys. Secret: keep mode 0600, never share.\n";

    if (append_key_line(text, sizeof text, "public", k->pk, KEY_LEN) != 0 ||
        append_key_line(text, sizeof text, "secret", k->sk, KEY_LEN) != 0)
        fatal("user key file text does not fit its buffer");
    int rc = write_secret_file(path, text, err, errlen);
    sodium_memzero(text, sizeof text);
    return rc;
}

int user_keys_load(const char *path, struct user_keys *k, char *err, size_t errlen)
{
    struct key_file kf = {0};

    add_field(&kf, "public", k->pk, KEY_LEN);
    add_field(&kf, "secret", k->sk, KEY_LEN);
    if (load_key_file(path, &kf, err, errlen) != 0)
        goto fail;
    if (!curve_pair_matches(k->pk, k->sk)) {
        set_err(err, errlen,
                "%s: public and secret keys do not belong together; the file is damaged", path);
        goto fail;
    }
    return 0;
fail:
    user_keys_wipe(k);
    return -1;
}

/* ---- pool secret ---- */

int pool_secret_save(const char *path, const uint8_t secret[KEY_LEN], char *err, size_t errlen)
{
    char text[256] = "# mediatorpool pool secret. Secret: keep mode 0600, share only with "
                     "member nodes, never with the coordinator.\n";

    if (append_key_line(text, sizeof text, "pool_secret", secret, KEY_LEN) != 0)
        fatal("pool secret file text does not fit its buffer");
    int rc = write_secret_file(path, text, err, errlen);
    sodium_memzero(text, sizeof text);
    return rc;
}

int pool_secret_load(const char *path, uint8_t secret[KEY_LEN], char *err, size_t errlen)
{
    struct key_file kf = {0};

    add_field(&kf, "pool_secret", secret, KEY_LEN);
    if (load_key_file(path, &kf, err, errlen) != 0) {
        sodium_memzero(secret, KEY_LEN);
        return -1;
    }
    return 0;
}

int secret_file_read_all(const char *path, char *buf, size_t cap, char *err, size_t errlen)
{
    int fd = open_secret_file(path, err, errlen);
    if (fd < 0)
        return -1;
    int rc = read_small_file(fd, path, buf, cap, err, errlen);
    close(fd);
    if (rc != 0)
        sodium_memzero(buf, cap);
    return rc;
}

int secret_file_read(const char *path, char *buf, size_t cap, char *err, size_t errlen)
{
    int rc = secret_file_read_all(path, buf, cap, err, errlen);
    if (rc == 0) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (buf[0] == '\0') {
            set_err(err, errlen, "%s is empty; write the secret on its first line", path);
            rc = -1;
        }
    }
    if (rc != 0)
        sodium_memzero(buf, cap);
    return rc;
}
