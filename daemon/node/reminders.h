/* reminders: the notices that time brings, not an event.
 *
 * A mediator hears when an open offer is about to expire; HR, when a
 * case's legal decision date comes within AT_RISK_DAYS and nobody has taken
 * the case on; the coordinators, when a case has not moved for
 * stuck_after. Each is written once (its `once` key names the offer's
 * expiry, the date, or the case's last move). */
#ifndef MPOOL_REMINDERS_H
#define MPOOL_REMINDERS_H

#include <stdint.h>

#include "node/node.h"

/* An offer's reminder comes this long before it expires, or halfway
 * through when the whole offer is shorter than twice as long. */
#define OFFER_REMIND_MS (12 * 3600 * 1000LL)

void reminders_run(struct node *n, int64_t now);

#endif
