/* dashlink: how a coordinator's browser signs in to the dashboard. A
 * person with the coordinator role asks for a one-time link over their
 * CURVE link to the node (`mpool pool dashboard`); the browser trades the
 * link's token for a session. Both live in memory only: a restart signs
 * everyone out. Only hashes of tokens are kept, compared in constant time. */
#ifndef MPOOL_DASHLINK_H
#define MPOOL_DASHLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ids.h"

#define DASHLINK_TOKEN_LEN 64 /* hex characters */
#define DASHLINK_LINK_MS   (5 * 60 * 1000)

struct dashlink;

/* origin: where browsers reach the dashboard, such as https://127.0.0.1:8443. */
struct dashlink *dashlink_new(const char *origin);
void dashlink_destroy(struct dashlink **d);

/* A new one-time link for user, valid DASHLINK_LINK_MS: the URL that
 * signs a browser in, and when it lapses; 0 or -1. */
int dashlink_link(struct dashlink *d, const char *user, int64_t now, char *url, size_t len,
                  int64_t *expires_ms);
/* Trades a token, once, for a session of session_ms: the session id in
 * sid and the user in user. False when the token is unknown, used or old. */
bool dashlink_redeem(struct dashlink *d, const char *token, int64_t now, int64_t session_ms,
                     char sid[DASHLINK_TOKEN_LEN + 1], char user[ID_MAX]);
/* The user of a live session, or false. */
bool dashlink_session(struct dashlink *d, const char *sid, int64_t now, char user[ID_MAX]);

#endif
