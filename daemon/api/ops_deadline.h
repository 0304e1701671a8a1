/* ops_deadline: the legal decision period a case runs inside, kept at the
 * requesting node: set when the case is posted ([deadlines] maps its
 * domain to a kind of period), moved by HR with a postponement, a
 * suspension or an extension the objector consented to, and shown as the
 * last day to decide and the days left. */
#ifndef MPOOL_OPS_DEADLINE_H
#define MPOOL_OPS_DEADLINE_H

#include "api/request.h"
#include "base/deadline.h"

struct case_deadline {
    struct deadline_input in;
    int32_t decide_by; /* -1: the case runs inside no period */
};

/* From a case.post request: its period_start and committee, by the
 * domain's period. 0, or -1 with a reply. */
int case_deadline_read(struct request *rq, struct reply *rp, const char *domain,
                       struct case_deadline *d);
/* Inside the post's transaction, after the case row exists. */
int case_deadline_store(struct node *n, const char *case_id, const struct case_deadline *d);
/* {"kind","start","committee","postponed_days","suspended_days","consented_days",
 *  "decide_by","days_left"} or null. */
json_t *case_deadline_json(struct node *n, const char *case_id);
/* Days from today to day (negative once passed). */
int32_t days_left(int32_t day);

#endif
