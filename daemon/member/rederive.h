/* rederive: once, after the rule of names changed (PSEUDONYM_RULE), each
 * pseudonym the node stores is made again from the label it keeps: the
 * parties of its cases and its mediators' declared relationships. The form
 * before stays beside it (legacy_ref) for the nodes not yet upgraded, and
 * for the rows whose label is gone (erased, or blanked by retention), which
 * cannot be made again. The coordinator hears of it in the same
 * transaction: a CASE_PARTIES message for each case whose references
 * changed, and every mediator's profile again (docs/privacy.md). */
#ifndef MPOOL_REDERIVE_H
#define MPOOL_REDERIVE_H

#include "node/node.h"

/* At start-up of a member, in a transaction of its own; nothing when the
 * node's pseudonyms follow the current rule already. 0, or -1. */
int rederive_pseudonyms(struct node *n);

#endif
