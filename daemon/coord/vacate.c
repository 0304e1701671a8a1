/* vacate: a mediator gives up their seat of a case. Apart from the seats
 * themselves (seats.c), since the cases that list the mediator are ranked
 * again, which needs the whole case machinery. */
#include <stdio.h>

#include "coord/cases.h"
#include "coord/rerank.h"

int seat_end(struct node *n, struct ccase *c, const char *mediator_id, const char *what,
             const char *offer_state, const char *actor, const char *reason)
{
    char left[sizeof c->seat[0].mediator_id];
    snprintf(left, sizeof left, "%s", mediator_id);
    if (!seat_of(c, left))
        return 0;
    if ((what && mark(n, c->id, left, what) < 0) ||
        tell_mediator(n, c, left, offer_state, actor, reason, NULL) < 0)
        return -1;
    seat_drop(c, left);
    /* One open case fewer: the cases that list them may rank them higher. */
    return case_save(n, c) < 0 ? -1 : rerank_listing(n, left, c->id);
}
