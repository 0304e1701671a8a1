/* dashlink: small fixed tables; the oldest entry gives way to a new one. */
#include "coord/dashlink.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 64

struct entry {
    uint8_t hash[crypto_generichash_BYTES];
    char user[ID_MAX];
    int64_t expires_ms; /* 0: free or used */
};

struct dashlink {
    char origin[160];
    struct entry tokens[SLOTS];
    struct entry sessions[SLOTS];
};

struct dashlink *dashlink_new(const char *origin)
{
    struct dashlink *d = calloc(1, sizeof *d);
    if (d)
        snprintf(d->origin, sizeof d->origin, "%s", origin);
    return d;
}

void dashlink_destroy(struct dashlink **d)
{
    if (!*d)
        return;
    sodium_memzero(*d, sizeof **d);
    free(*d);
    *d = NULL;
}

static void hash_of(const char *secret, uint8_t out[crypto_generichash_BYTES])
{
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)secret, strlen(secret),
                       NULL, 0);
}

/* A free slot, or the one that expires first. */
static struct entry *slot(struct entry *table, int64_t now)
{
    struct entry *pick = &table[0];
    for (size_t i = 0; i < SLOTS; i++) {
        if (table[i].expires_ms <= now)
            return &table[i];
        if (table[i].expires_ms < pick->expires_ms)
            pick = &table[i];
    }
    return pick;
}

static void issue(struct entry *table, const char *user, int64_t now, int64_t lifetime,
                  char secret[DASHLINK_TOKEN_LEN + 1])
{
    uint8_t raw[DASHLINK_TOKEN_LEN / 2];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(secret, DASHLINK_TOKEN_LEN + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    struct entry *e = slot(table, now);
    hash_of(secret, e->hash);
    snprintf(e->user, sizeof e->user, "%s", user);
    e->expires_ms = now + lifetime;
}

/* The live entry whose hash is the secret's, or NULL. */
static struct entry *find(struct entry *table, const char *secret, int64_t now)
{
    if (!secret || strlen(secret) != DASHLINK_TOKEN_LEN)
        return NULL;
    uint8_t h[crypto_generichash_BYTES];
    hash_of(secret, h);
    struct entry *found = NULL;
    for (size_t i = 0; i < SLOTS; i++)
        if (table[i].expires_ms > now && sodium_memcmp(table[i].hash, h, sizeof h) == 0)
            found = &table[i];
    return found;
}

int dashlink_link(struct dashlink *d, const char *user, int64_t now, char *url, size_t len,
                  int64_t *expires_ms)
{
    if (!d)
        return -1;
    char token[DASHLINK_TOKEN_LEN + 1];
    issue(d->tokens, user, now, DASHLINK_LINK_MS, token);
    snprintf(url, len, "%s/login?token=%s", d->origin, token);
    sodium_memzero(token, sizeof token);
    *expires_ms = now + DASHLINK_LINK_MS;
    return 0;
}

bool dashlink_redeem(struct dashlink *d, const char *token, int64_t now, int64_t session_ms,
                     char sid[DASHLINK_TOKEN_LEN + 1], char user[ID_MAX])
{
    struct entry *t = d ? find(d->tokens, token, now) : NULL;
    if (!t)
        return false;
    snprintf(user, ID_MAX, "%s", t->user);
    t->expires_ms = 0; /* once */
    issue(d->sessions, user, now, session_ms, sid);
    return true;
}

bool dashlink_session(struct dashlink *d, const char *sid, int64_t now, char user[ID_MAX])
{
    struct entry *s = d ? find(d->sessions, sid, now) : NULL;
    if (s)
        snprintf(user, ID_MAX, "%s", s->user);
    return s != NULL;
}
