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

#include <stdbool.h>

#include "node/node.h"

/* How the report reads a measure: one number, a number per code, or apart
 * (deadline, excluded, mediated, which it reads in their own way). */
enum tally_shape { TALLY_NUMBER, TALLY_CODED, TALLY_APART };

/* The measures above as one table: what tally() accepts, and what the
 * report reads. by_giver: counted for the municipality whose mediator it
 * was, else for the one that asked. */
struct tally_measure {
    const char *name;
    enum tally_shape shape;
    bool by_giver;
};
extern const struct tally_measure tally_measures[];
extern const size_t tally_measure_count;
/* The measure of that name, or NULL. */
const struct tally_measure *tally_measure_of(const char *name);

/* One more of measure/code this month; giver is a mediator id or a
 * municipality (its node part is kept), or NULL. 0 or -1. */
int tally(struct node *n, const char *requester, const char *giver, const char *measure,
          const char *code);
/* The same, count times. */
int tally_n(struct node *n, const char *requester, const char *giver, const char *measure,
            const char *code, unsigned count);

#endif
