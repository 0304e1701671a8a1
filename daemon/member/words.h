/* words: the pool's vocabulary as this member last heard it from the
 * coordinator (FetchReply.vocabulary), kept in m_vocabulary so that a post
 * or a profile is checked at once, also while the coordinator is away. */
#ifndef MPOOL_WORDS_H
#define MPOOL_WORDS_H

#include "base/vocabulary.h"
#include "mpool.pb-c.h"
#include "node/node.h"

/* Keeps the coordinator's lists when they differ from the kept ones. */
void words_keep(struct node *n, const Mpool__V1__Vocabulary *v);
/* The kept lists; empty ones (nothing heard yet) check nothing. */
int words_load(struct node *n, struct vocabulary *v);

#endif
