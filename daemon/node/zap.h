/* zap: the ZeroMQ authentication handler of this process.
 *
 * Why not CZMQ's zauth: in CZMQ 4.2.1 zauth ignores the ZAP domain and
 * returns no User-Id, so one table of keys would serve both the pool socket
 * (node keys) and the client socket (people's keys), and the application
 * could not tell who a message came from. This handler keeps one table per
 * domain and answers with the node id or user id as User-Id, which every
 * inbound message is then checked against. Unknown key, unknown domain or
 * any mechanism but CURVE: refused. */
#ifndef MPOOL_ZAP_H
#define MPOOL_ZAP_H

#include <czmq.h>
#include <stdint.h>

#define ZAP_DOMAIN_POOL    "mpool-pool"
#define ZAP_DOMAIN_CLIENTS "mpool-clients"
/* Metadata property with the peer's CURVE key in Z85 (zframe_meta). */
#define ZAP_KEY_PROPERTY "X-Key"

/* True when the frame came over a connection made with this key. */
bool zap_frame_has_key(zframe_t *frame, const uint8_t key[32]);

struct zap_entry {
    uint8_t key[32];
    const char *id;
};

zactor_t *zap_new(void);
void zap_destroy(zactor_t **zap);
/* Replaces the table of one domain; returns once the handler uses it. */
int zap_set(zactor_t *zap, const char *domain, const struct zap_entry *entries, size_t count);

/* Makes a CURVE server socket that refuses without a ZAP answer: domain
 * set, ZAP enforcement on (option 93, draft API in libzmq 4.3.4), maximum
 * message size set. */
int zap_secure_server(zsock_t *sock, const char *domain, const uint8_t pk[32], const uint8_t sk[32],
                      int64_t max_message);

#endif
