/* tally: the coordinator counts what happens to cases, month by month, for
 * the yearly report (`pool.report`). A count holds municipalities, a
 * measure and a code, never a case or a person, so it outlives retention.
 *
 *   measure        code                       giver
 *   posted         -                          -
 *   escalated      -                          -
 *   assigned       -                          the mediator's municipality
 *   days_to_accept whole days from the post   the mediator's municipality
 *   closed         the outcome                -
 *   days_to_close  whole days from acceptance -
 *   withdrawn      the reason code            -
 *   declined, vetoed, refused_consent, stepped_back, reassigned, expired
 *                  the reason code (or -)     the mediator's municipality
 *   excluded       the rule's code            -   (the ranking on posting)
 *   deadline       <kind>:met or <kind>:missed  -  (at the close)
 *   first_choice   yes or no                  -   (was the chosen one ranked first)
 *   mediated       the mediator's id          the mediator's municipality (at the close)
 */
#ifndef MPOOL_TALLY_H
#define MPOOL_TALLY_H

#include "node/node.h"

/* One more of measure/code this month; giver is a mediator id or a
 * municipality (its node part is kept), or NULL. 0 or -1. */
int tally(struct node *n, const char *requester, const char *giver, const char *measure,
          const char *code);
/* The same, count times. */
int tally_n(struct node *n, const char *requester, const char *giver, const char *measure,
            const char *code, unsigned count);

#endif
