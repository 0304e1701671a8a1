/* roster: the pool's municipalities, and a node's people.
 *
 * roster.ini, one section per municipality:
 *   [zeist]
 *   name = Zeist
 *   lat = 52.0894
 *   lon = 5.2333
 *   curve_key = <Z85 CURVE public key of its node>
 *   sign_key = <Z85 Ed25519 public key of its node>
 *
 * users.ini, one section per person at this node:
 *   [alice]
 *   role = hr                    ; hr, mediator, coordinator or admin; a
 *                                ; comma-separated list gives several
 *   key = <Z85 X25519 public key>
 *   email = alice@example.nl     ; optional: where this node's notices go
 *
 * Both are re-read on SIGHUP; a file with any error is refused whole and
 * the previous list stays in force. */
#ifndef MPOOL_ROSTER_H
#define MPOOL_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "base/ids.h"
#include "base/text.h"
#include "wire/keys.h"

struct roster_node {
    char id[ID_MAX];
    char name[128];
    double lat, lon;
    uint8_t curve_pk[KEY_LEN];
    uint8_t sign_pk[KEY_LEN];
};

struct roster {
    struct roster_node *nodes;
    size_t count;
};

enum role {
    ROLE_HR = 1,
    ROLE_MEDIATOR = 2,
    ROLE_COORDINATOR = 4,
    ROLE_ADMIN = 8,
    ROLE_AUDITOR = 16, /* reads the node's audit trail */
    ROLE_PRIVACY = 32, /* answers data subjects' requests (export, erase) */
};

struct user {
    char id[ID_MAX];
    unsigned roles; /* enum role bits */
    uint8_t pk[KEY_LEN];
    char email[EMAIL_MAX + 1]; /* where notices go (node/mailer.c); "" for none */
};

struct users {
    struct user *list;
    size_t count;
};

/* Return 0, or -1 with a one-line reason naming file, section and key.
 * Duplicate ids or keys are errors. On error *out is left untouched; on
 * success it is overwritten, not freed: free the previous list yourself.
 * Every roster key is required; an empty roster is an error, an empty
 * users file is not. */
int roster_load(const char *path, struct roster *out, char *err, size_t errlen);
void roster_free(struct roster *r);
const struct roster_node *roster_find(const struct roster *r, const char *id);
const struct roster_node *roster_find_curve(const struct roster *r, const uint8_t pk[KEY_LEN]);

/* 0 when others may not read path (users.ini holds e-mail addresses);
 * -1 with err saying the mode and what to run. */
int users_private(const char *path, char *err, size_t errlen);
int users_load(const char *path, struct users *out, char *err, size_t errlen);
void users_free(struct users *u);
const struct user *users_find(const struct users *u, const char *id);
const struct user *users_find_key(const struct users *u, const uint8_t pk[KEY_LEN]);
/* Appends one section to the file (created 0644 if absent), refusing an id
 * or key already present; fsyncs before returning. */
int users_append(const char *path, const struct user *user, char *err, size_t errlen);

/* "hr,mediator" <-> bits; role_parse returns 0 on any unknown name. */
unsigned role_parse(const char *text);
void role_format(unsigned roles, char *out, size_t outlen);
/* The name of one role bit, or "" for none. */
const char *role_name(unsigned bit);

#endif
