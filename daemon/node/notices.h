/* notices: what a node tells its own people, kept until they are told.
 *
 * A notice names a person of this node, what happened (one of the kinds
 * below) and a case id, with at most a date or a state word: nothing a
 * person typed and no party's label, so that it may go by e-mail. It is
 * written in the transaction of the event that causes it: a crash loses
 * none and a replay adds none. A reminder that time brings about, not an
 * event, carries a `once` key so that it is written once.
 *
 * The mailer (node/mailer.c) sends each notice to its person's `email =`
 * address; `mpool watch` reads them (notice.list). */
#ifndef MPOOL_NOTICES_H
#define MPOOL_NOTICES_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whom a kind of notice is for. */
enum notice_for { FOR_MEDIATOR, FOR_HR, FOR_COORDINATOR };

struct notice_kind {
    const char *name;    /* in the database and under --json */
    enum notice_for who; /* whom it is for */
    const char *when;    /* the offer state (mediator) or case state (HR) that brings it; NULL:
                          * another cause (a reminder, the coordinator's own events) */
    const char *subject; /* a few words for the mail's subject */
    const char *what;    /* what happened and what is asked: {case}, {detail} */
    const char *command; /* what to run, one command a line: {case} */
};

extern const struct notice_kind notice_kinds[];
extern const size_t notice_kind_count;

const struct notice_kind *notice_kind_named(const char *name);
/* The kind a mediator's offer reaching offer_state brings, or NULL. */
const struct notice_kind *notice_for_offer(const char *offer_state);
/* The kind a case of this node reaching case_state brings HR, or NULL. */
const struct notice_kind *notice_for_case(const char *case_state);

/* Writes one notice inside the caller's transaction. once, when not NULL,
 * makes a second notice with the same key a no-op. Returns 0 or -1. */
int notice_add(sqlite3 *db, const char *user, const char *kind, const char *case_id,
               const char *detail, const char *once);
/* The kind's text for one notice: {case} and {detail} filled in. */
void notice_text(const char *tmpl, const char *case_id, const char *detail, char *out, size_t len);

/* The kind's commands for one case, one a line, each handed to each(). */
void notice_commands(const struct notice_kind *k, const char *case_id, const char *detail,
                     void (*each)(const char *command, void *ctx), void *ctx);

/* Notices older than the period that are not waiting for the mailer go;
 * returns how many, or -1. */
int64_t notice_sweep(sqlite3 *db, int64_t now, int64_t period_ms);

/* How long notices are kept for `mpool watch` to read. */
#define NOTICE_KEEP_MS (30 * 86400000LL)

#endif
