/* shown: every mediator a shortlist this node received named, per case.
 *
 * The parties may choose or veto any of them while they are still
 * eligible: a re-rank changes the order and may add names, and never
 * takes a choice away; a veto or a mediator leaving a seat does (the journey table's NAMES_SHOWN).
 * The coordinator keeps the same set (c_shown) from the shortlists it sent. An edit keeps the set:
 * whether a mediator still fits the case as it now reads is the coordinator's check when it applies
 * the choice. */
#ifndef MPOOL_SHOWN_H
#define MPOOL_SHOWN_H

#include <jansson.h>
#include <stdbool.h>

#include "mpool.pb-c.h"
#include "node/node.h"

/* Adds the event's shortlist to the set, in the caller's transaction. */
int shown_remember(struct node *n, const Mpool__V1__CaseEvent *ev);
/* A mediator the parties may no longer choose for the case: vetoed, or
 * gone from a seat (a decline, an expiry, a step back, ...), as the
 * coordinator marks them. 0 or -1. */
int shown_forget(sqlite3 *db, const char *case_id, const char *mediator_id);
/* The same for every seat of `before` (seat_list JSON) the event no
 * longer holds; an event that refuses a step leaves the set be. */
int shown_forget_left(struct node *n, const Mpool__V1__CaseEvent *ev, const char *before);
/* The number each mediator of the case was first shown under, as
 * [{number, mediator_id}] in number order; each entry of shortlist (a JSON
 * array of {mediator_id, ...}) gets its "number" too. */
json_t *shown_numbers_json(sqlite3 *db, const char *case_id, json_t *shortlist);
/* Whether a shortlist of case_id named mediator_id. */
bool shown_has(sqlite3 *db, const char *case_id, const char *mediator_id);

#endif
