/* store: the node's SQLite database.
 *
 * WAL, synchronous=FULL (an acknowledgement promises the data is on disk),
 * foreign keys on, a busy timeout, and schema migrations numbered by
 * PRAGMA user_version: migration i brings the schema from version i to i+1,
 * each in its own transaction. */
#ifndef MPOOL_STORE_H
#define MPOOL_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Opens (creating if absent) and migrates. Returns NULL with a one-line
 * reason in err. A database newer than the migrations known is refused. */
sqlite3 *store_open(const char *path, const char *const *migrations, size_t count, char *err,
                    size_t errlen);
void store_close(sqlite3 **db);

int store_begin(sqlite3 *db);
int store_commit(sqlite3 *db);
/* Why the last statement on db failed, in words for the person who asked
 * and what to do about it (a full disk, a read-only or locked database). */
const char *store_failure(sqlite3 *db);
void store_rollback(sqlite3 *db);

/* Runs one statement without results; logs and returns -1 on failure. */
int store_exec(sqlite3 *db, const char *sql);
/* Prepares, or logs and returns NULL. The statement comes from a cache of
 * prepared statements when one for this SQL is free; hand it back with
 * store_release, never sqlite3_finalize. SQL must not embed values that
 * change (bind them), or every variant would be cached. */
sqlite3_stmt *store_prepare(sqlite3 *db, const char *sql);
/* Resets a statement from store_prepare for its next user (or finalizes
 * one that is not cached). NULL is allowed. */
void store_release(sqlite3_stmt *st);

/* How long a statement waits for another connection's lock. */
#define STORE_BUSY_MS 5000

/* After a destruction: copies the WAL into the database and truncates it,
 * so the destroyed bytes (zeroed in place by secure_delete) are gone from
 * both files. Never waits for a lock: while a reader holds the WAL it says
 * so in the log once and leaves the work pending, for the node's loop to
 * call again (store_reclaim_pending). Returns 0 when done, 1 when pending,
 * -1 when the checkpoint failed (logged; pending too). */
int store_reclaim(sqlite3 *db);
/* Whether a checkpoint after a destruction is still to finish. */
bool store_reclaim_pending(void);

/* The texts of the first column of every row st yields (at most 79 bytes
 * each): the ids to act on once the statement is done, since acting may
 * write the tables it reads. The caller binds and releases st. */
struct id_list {
    char (*ids)[80];
    size_t count;
};
int store_collect_ids(sqlite3_stmt *st, struct id_list *out);
void id_list_free(struct id_list *l);

/* A small key/value table "meta" for counters and epochs. */
int store_meta_get(sqlite3 *db, const char *key, int64_t *value);
int store_meta_set(sqlite3 *db, const char *key, int64_t value);

#endif
