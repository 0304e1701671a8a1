/* keys: key files of nodes, people and the pool, and their text encoding.
 *
 * A node has a CURVE (X25519) key pair for ZeroMQ and an Ed25519 key pair
 * for signing envelopes. A person has one X25519 key pair: it is their
 * CURVE key towards their node and the key narratives are sealed to.
 * The pool secret keys the pseudonyms (see pseudonym.h).
 *
 * Secret files are written 0600, never overwritten, and refused on load
 * when group or others may read them. Keys travel as Z85 text. */
#ifndef MPOOL_KEYS_H
#define MPOOL_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KEY_LEN         32
#define SIGN_SECRET_LEN 64
#define Z85_KEY_LEN     40 /* Z85 text of 32 bytes, without the NUL */

struct node_keys {
    uint8_t curve_pk[KEY_LEN];
    uint8_t curve_sk[KEY_LEN];
    uint8_t sign_pk[KEY_LEN];
    uint8_t sign_sk[SIGN_SECRET_LEN];
};

struct user_keys {
    uint8_t pk[KEY_LEN];
    uint8_t sk[KEY_LEN];
};

/* Z85 text of len bytes (len a multiple of 4); out holds len*5/4+1. */
void key_to_z85(const uint8_t *key, size_t len, char *out);
/* Parses Z85 text into exactly len bytes; -1 when malformed or of another length. */
int key_from_z85(const char *text, uint8_t *key, size_t len);

void node_keys_generate(struct node_keys *k);
void user_keys_generate(struct user_keys *k);
void pool_secret_generate(uint8_t secret[KEY_LEN]);

/* All return 0 on success, or -1 with a one-line reason in err. */
int node_keys_save(const char *path, const struct node_keys *k, char *err, size_t errlen);
int node_keys_load(const char *path, struct node_keys *k, char *err, size_t errlen);
int user_keys_save(const char *path, const struct user_keys *k, char *err, size_t errlen);
int user_keys_load(const char *path, struct user_keys *k, char *err, size_t errlen);
int pool_secret_save(const char *path, const uint8_t secret[KEY_LEN], char *err, size_t errlen);
int pool_secret_load(const char *path, uint8_t secret[KEY_LEN], char *err, size_t errlen);

/* Overwrites secrets in memory once they are no longer needed. */
/* Reads a small secret (a password) from a file only its owner can read,
 * or from $CREDENTIALS_DIRECTORY as config.h resolves it: the first line,
 * without its line end. Returns 0, or -1 with a one-line reason. */
int secret_file_read(const char *path, char *buf, size_t cap, char *err, size_t errlen);
/* The whole of a secret file (a PEM key, say), with the same checks. */
int secret_file_read_all(const char *path, char *buf, size_t cap, char *err, size_t errlen);

void node_keys_wipe(struct node_keys *k);
void user_keys_wipe(struct user_keys *k);

#endif
