/* clientapi: requests from mpool on this node's client socket.
 *
 * The person is known from the CURVE key alone (ZAP User-Id); each
 * operation names the roles that may call it, and the handler checks
 * ownership. Arguments are a JSON object (docs/protocol.md). */
#ifndef MPOOL_CLIENTAPI_H
#define MPOOL_CLIENTAPI_H

#include <jansson.h>
#include <stdarg.h>

#include "node.h"

struct request {
    struct node *n;
    const struct user *user;
    json_t *args;
    const uint8_t *blob;
    size_t blob_len;
};

struct reply {
    int status; /* Mpool__V1__ReplyStatus */
    char error[512];
    json_t *result;
    uint8_t *blob; /* malloc'd */
    size_t blob_len;
};

void clientapi_handle(struct node *n);

/* For the op modules. All set status and error and return -1, so a handler
 * can write `if (!x) return;` after them. */
int fail(struct reply *rp, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A string argument of at most max bytes; NULL (and a reply) when absent
 * and required, or malformed. */
const char *arg_str(struct request *rq, struct reply *rp, const char *key, size_t max,
                    bool required);
/* An array of strings, each at most max bytes; NULL with a reply if bad. */
json_t *arg_strings(struct request *rq, struct reply *rp, const char *key, size_t max_items,
                    size_t max);
int arg_int(struct request *rq, struct reply *rp, const char *key, long min, long max, long *out);
int arg_double(struct request *rq, struct reply *rp, const char *key, double min, double max,
               double *out);
/* Commits with the outbox message, or rolls back and fails the reply. */
int commit_or_fail(struct node *n, struct reply *rp);
/* A database step failed: rolls back and answers why (full disk, read-only
 * or locked database) in words the person can act on. Returns -1. */
int fail_store(struct node *n, struct reply *rp);

/* Operations, by module. */
void op_case_post(struct request *rq, struct reply *rp);
void op_case_list(struct request *rq, struct reply *rp);
void op_case_show(struct request *rq, struct reply *rp);
void op_case_choose(struct request *rq, struct reply *rp);
void op_case_veto(struct request *rq, struct reply *rp);
void op_case_consent(struct request *rq, struct reply *rp);
void op_case_withdraw(struct request *rq, struct reply *rp);
void op_case_close(struct request *rq, struct reply *rp);
void op_mediator_register(struct request *rq, struct reply *rp);
void op_mediator_availability(struct request *rq, struct reply *rp);
void op_mediator_relationship(struct request *rq, struct reply *rp);
void op_mediator_show(struct request *rq, struct reply *rp);
/* Queues the profile of every registered mediator still on the node's
 * list, inside the caller's transaction (a coordinator that started
 * afresh has to learn them again). */
int mediator_profiles_requeue(struct node *n);
/* After a reload of users.ini, in a transaction of its own: retires the
 * mediators who left the list (or lost the role) and sends again the
 * profiles of those who returned or were given a new key. */
int mediator_profiles_sync(struct node *n);
void op_offer_list(struct request *rq, struct reply *rp);
void op_offer_accept(struct request *rq, struct reply *rp);
void op_offer_decline(struct request *rq, struct reply *rp);
void op_offer_narrative(struct request *rq, struct reply *rp);
void op_pool_status(struct request *rq, struct reply *rp);
void op_pool_ledger(struct request *rq, struct reply *rp);
void op_pool_stuck(struct request *rq, struct reply *rp);
void op_pool_override(struct request *rq, struct reply *rp);
void op_pool_round(struct request *rq, struct reply *rp);

#endif
