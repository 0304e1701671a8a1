/* sweep: what the coordinator keeps of a case once [retention]
 * coordinator days have passed since it ended: a count and its minutes in
 * c_stats (month, requester, giving municipality, domain, end state,
 * outcome), enough for the ledger and the yearly report. The case's rows,
 * parties (pseudonyms), marks, shortlist, transitions and rounds go, each
 * case on the destruction list. */
#ifndef MPOOL_COORD_SWEEP_H
#define MPOOL_COORD_SWEEP_H

#include "node/node.h"

/* Reduces what is due at now in one transaction. Returns how many cases
 * went, or -1. */
int coord_sweep(struct node *n, int64_t now);

#endif
