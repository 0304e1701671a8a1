/* words: one table, replaced whole when the coordinator's lists change. */
#include "member/words.h"

#include <string.h>

#include "base/log.h"
#include "store/store.h"

/* Read once from the table, then kept in memory with it. */
int words_load(struct node *n, struct vocabulary *v)
{
    if (!n->words_loaded) {
        memset(&n->words, 0, sizeof n->words);
        sqlite3_stmt *st =
            store_prepare(n->db, "SELECT kind, word FROM m_vocabulary ORDER BY rowid");
        if (!st)
            return -1;
        while (sqlite3_step(st) == SQLITE_ROW)
            vocabulary_add(&n->words, (char)sqlite3_column_text(st, 0)[0],
                           (const char *)sqlite3_column_text(st, 1));
        store_release(st);
        n->words_loaded = true;
    }
    *v = n->words;
    return 0;
}

static bool same_lists(const struct vocabulary *kept, const struct vocabulary *now)
{
    return memcmp(kept, now, sizeof *kept) == 0;
}

void words_keep(struct node *n, const Mpool__V1__Vocabulary *msg)
{
    struct vocabulary now, kept;
    memset(&now, 0, sizeof now);
    for (size_t i = 0; i < msg->n_domains; i++)
        vocabulary_add(&now, 'd', msg->domains[i]);
    for (size_t i = 0; i < msg->n_languages; i++)
        vocabulary_add(&now, 'l', msg->languages[i]);
    if (words_load(n, &kept) < 0 || same_lists(&kept, &now) || now.n_domains == 0 ||
        now.n_languages == 0)
        return;
    if (store_begin(n->db) < 0)
        return;
    int rc = store_exec(n->db, "DELETE FROM m_vocabulary");
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_vocabulary(kind, word) VALUES(?1, ?2)");
    for (size_t i = 0; rc == 0 && st && i < now.n_domains + now.n_languages; i++) {
        bool domain = i < now.n_domains;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, domain ? "d" : "l", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, domain ? now.domains[i] : now.languages[i - now.n_domains], -1,
                          SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    store_release(st);
    if (!st || rc < 0 || store_commit(n->db) < 0) {
        store_rollback(n->db);
        log_error("could not keep the pool's vocabulary; it is tried again at the next fetch");
        return;
    }
    n->words = now;
    log_info("the pool's vocabulary: %zu domains, %zu languages", now.n_domains, now.n_languages);
}
