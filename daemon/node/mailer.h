/* mailer: the node's notices (node/notices.h) by SMTP, with libcurl.
 *
 * libcurl's easy interface blocks while it talks to the server, so it runs
 * in a thread of its own (a CZMQ actor). That thread never touches the
 * database: the poll loop picks the next queued notice, hands the actor
 * one finished message, and marks the notice sent once the actor says the
 * server took it. A crash before that mark sends the mail again after the
 * restart, with the same Message-ID; a notice marked sent never goes twice.
 *
 * A failed try is repeated after 30 s, then at doubling intervals up to an
 * hour; after two days the notice is marked failed. */
#ifndef MPOOL_MAILER_H
#define MPOOL_MAILER_H

#include <czmq.h>
#include <stdint.h>

#include "node/node.h"

struct mailer;

/* NULL without an error when [mail] is not set; NULL with a one-line
 * reason in err when it is set but cannot be used (an unreadable password
 * file). It initialises libcurl, and mailer_destroy cleans it up. */
struct mailer *mailer_new(const struct config *cfg, char *err, size_t errlen);
void mailer_destroy(struct mailer **m);
/* The actor, for the poll loop. */
zactor_t *mailer_actor(struct mailer *m);

/* From the loop's timers: hands the next due notice to the actor, or marks
 * those that need no mail. n->mailer may be NULL. */
void mailer_run(struct node *n, int64_t now);
/* At stop: waits up to 3 s for the answer of a mail on its way. */
void mailer_finish(struct node *n);
/* At start: what waited for a later try is tried at once. */
void mailer_retry_now(struct node *n);
/* When the actor has answered. */
void mailer_handle(struct node *n);

/* The mail for one notice, CRLF line ends, into out (NUL-terminated);
 * returns its length, or 0 when it does not fit. */
size_t mail_compose(const struct config *cfg, const char *to, int64_t seq, const char *kind,
                    const char *case_id, const char *detail, int64_t at_ms, char *out, size_t len);

#endif
