/* The ZAP handler and the CURVE server settings fail closed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "wire/keys.h"
#include "node/zap.h"

struct pair {
    uint8_t pk[32], sk[32];
};

static void pair_new(struct pair *p)
{
    crypto_box_keypair(p->pk, p->sk);
}

static zsock_t *server_new(const struct pair *server, int *port)
{
    zsock_t *s = zsock_new(ZMQ_ROUTER);
    assert_non_null(s);
    assert_int_equal(zap_secure_server(s, ZAP_DOMAIN_POOL, server->pk, server->sk, 65536), 0);
    *port = zsock_bind(s, "tcp://127.0.0.1:*");
    assert_true(*port > 0);
    return s;
}

static bool last_key_ok, last_other_key_ok;

/* Sends one message as `client`; returns the User-Id the server saw, or
 * NULL when nothing arrived within half a second. */
static char *exchange(zsock_t *server, int port, const struct pair *server_keys,
                      const struct pair *client)
{
    zsock_t *c = zsock_new(ZMQ_DEALER);
    zsock_set_curve_serverkey_bin(c, server_keys->pk);
    zsock_set_curve_publickey_bin(c, client->pk);
    zsock_set_curve_secretkey_bin(c, client->sk);
    zsock_set_linger(c, 0);
    assert_int_equal(zsock_connect(c, "tcp://127.0.0.1:%d", port), 0);
    zstr_send(c, "hello");
    char *user = NULL;
    zpoller_t *p = zpoller_new(server, NULL);
    if (zpoller_wait(p, 500) == server) {
        zframe_t *rid = zframe_recv(server);
        zframe_t *body = zframe_recv(server);
        const char *u = zframe_meta(body, "User-Id");
        user = strdup(u ? u : "");
        last_key_ok = zap_frame_has_key(body, client->pk);
        last_other_key_ok = zap_frame_has_key(body, server_keys->pk);
        zframe_destroy(&rid);
        zframe_destroy(&body);
    }
    zpoller_destroy(&p);
    zsock_destroy(&c);
    return user;
}

static void no_handler_refuses(void **state)
{
    (void)state;
    struct pair server, client;
    pair_new(&server);
    pair_new(&client);
    int port;
    zsock_t *s = server_new(&server, &port);
    char *user = exchange(s, port, &server, &client);
    assert_null(user); /* libzmq 4.3.4 would let it in without ZAP enforcement */
    zsock_destroy(&s);
}

static void listed_key_gets_its_id(void **state)
{
    (void)state;
    struct pair server, listed, stranger;
    pair_new(&server);
    pair_new(&listed);
    pair_new(&stranger);
    zactor_t *zap = zap_new();
    assert_non_null(zap);
    struct zap_entry e = {.id = "zeist"};
    memcpy(e.key, listed.pk, 32);
    assert_int_equal(zap_set(zap, ZAP_DOMAIN_POOL, &e, 1), 0);
    int port;
    zsock_t *s = server_new(&server, &port);

    char *user = exchange(s, port, &server, &listed);
    assert_non_null(user);
    assert_string_equal(user, "zeist");
    assert_true(last_key_ok);        /* the message carries the key it came with */
    assert_false(last_other_key_ok); /* and no other */
    free(user);
    assert_null(exchange(s, port, &server, &stranger));

    /* A frame over the maximum message size never reaches the application. */
    zsock_t *big = zsock_new(ZMQ_DEALER);
    zsock_set_curve_serverkey_bin(big, server.pk);
    zsock_set_curve_publickey_bin(big, listed.pk);
    zsock_set_curve_secretkey_bin(big, listed.sk);
    zsock_set_linger(big, 0);
    assert_int_equal(zsock_connect(big, "tcp://127.0.0.1:%d", port), 0);
    zframe_t *huge = zframe_new(NULL, 65536 + 1);
    memset(zframe_data(huge), 'x', zframe_size(huge));
    assert_int_equal(zframe_send(&huge, big, 0), 0);
    zpoller_t *poller = zpoller_new(s, NULL);
    assert_null(zpoller_wait(poller, 500));
    zpoller_destroy(&poller);
    zsock_destroy(&big);
    user = exchange(s, port, &server, &listed); /* and the server still serves others */
    assert_non_null(user);
    free(user);

    /* A key listed in another domain does not open this one. */
    e.id = "alice";
    memcpy(e.key, stranger.pk, 32);
    assert_int_equal(zap_set(zap, ZAP_DOMAIN_CLIENTS, &e, 1), 0);
    assert_null(exchange(s, port, &server, &stranger));

    /* Removing a key refuses its next connection. */
    assert_int_equal(zap_set(zap, ZAP_DOMAIN_POOL, NULL, 0), 0);
    assert_null(exchange(s, port, &server, &listed));
    zsock_destroy(&s);
    zap_destroy(&zap);
}

int main(void)
{
    zsys_init();
    zsys_set_linger(0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(no_handler_refuses),
        cmocka_unit_test(listed_key_gets_its_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
