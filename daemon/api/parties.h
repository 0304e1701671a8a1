/* parties: a case's parties as HR give them, turned into the references
 * the pool sees (a municipality's id, or a pseudonym), and kept with their
 * labels at the node. case.post and case.edit both read them here. */
#ifndef MPOOL_PARTIES_H
#define MPOOL_PARTIES_H

#include "api/request.h"
#include "wire/pseudonym.h"

#define MAX_PARTIES 16

struct party {
    const char *kind;
    const char *label; /* as typed; it never leaves the node */
    char ref[PSEUDONYM_LEN + ID_MAX];
    char legacy[PSEUDONYM_LEN + 1]; /* under the legacy rule, or "" */
};

/* The request's "parties": 1 to MAX_PARTIES, each with its reference.
 * 0, or -1 with a reply. */
int parties_read(struct request *rq, struct reply *rp, struct party *out, size_t *count);
/* The legacy references that differ from the current ones, into out
 * (MAX_PARTIES): what CasePost.legacy_parties carries. Returns how many. */
size_t parties_legacy(struct party *p, size_t count, char **out);
/* Inside the caller's transaction: the case's parties in m_case_parties. */
int parties_store(sqlite3 *db, const char *case_id, const struct party *p, size_t count);

#endif
