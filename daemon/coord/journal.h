/* journal: the coordinator's sequenced record of events per member node.
 *
 * Each member has its own stream (coordinator epoch, seq 1, 2, ...). The
 * journal is the coordinator's outbox: a member pulls what it has not yet
 * applied with Fetch, so an event is never lost while its node is away.
 * A PUB doorbell tells a connected member that there is something new.
 * Past the retention, the journal is compacted to the last event of each
 * case and offer, so a member that was away longer still catches up. */
#ifndef MPOOL_JOURNAL_H
#define MPOOL_JOURNAL_H

#include "mpool.pb-c.h"
#include "node/node.h"

/* Appends inside the caller's transaction and remembers to ring dest. */
int journal_append(struct node *n, const char *dest, const Mpool__V1__CaseEvent *ev);
/* The same for the refusal of a request: a subject of its own, so that it
 * never stands in for the last state of its case or offer when the
 * journal is compacted. */
int journal_append_refusal(struct node *n, const char *dest, const Mpool__V1__CaseEvent *ev);
/* After commit: rings the doorbell of every node appended to. */
void journal_ring(struct node *n);
/* After rollback: forgets the pending doorbells. */
void journal_forget(struct node *n);

/* Retention: drops entries older than [pool] journal_retention that a
 * later entry about the same case (or offer) supersedes, and those of a
 * case the coordinator no longer holds (its own retention). Returns how
 * many went, or -1. */
int journal_compact(struct node *n, int64_t now);

/* Takes the sealed bytes (a narrative, a mediator's note, the parties'
 * names) out of the entries of every case that has ended, re-signed and
 * marked sealed_stripped, so that the journal keeps no sealed copy of
 * them for its retention; a member replaying one applies it without them.
 * Returns how many entries it stripped (at most 50 a call), or -1. */
int journal_strip_ended(struct node *n);

/* Answers a Fetch from node `dest` on the ROUTER, to routing id rid. */
void journal_serve(struct node *n, zframe_t *rid, const char *dest, const Mpool__V1__Fetch *req);

#endif
