/* clientapi: requests from mpool on this node's client socket.
 *
 * The person is known from the CURVE key alone (ZAP User-Id); each
 * operation names the roles that may call it, and the handler checks
 * ownership. Arguments are a JSON object (docs/protocol.md). */
#ifndef MPOOL_CLIENTAPI_H
#define MPOOL_CLIENTAPI_H

#include "api/request.h"

void clientapi_handle(struct node *n);
/* Checks role, place and arguments of op_name, then runs it. */
void clientapi_dispatch(struct request *rq, struct reply *rp, const char *op_name);

/* Operations, by module. */
void op_case_post(struct request *rq, struct reply *rp);
void op_case_list(struct request *rq, struct reply *rp);
void op_case_show(struct request *rq, struct reply *rp);
void op_case_choose(struct request *rq, struct reply *rp);
void op_case_veto(struct request *rq, struct reply *rp);
void op_case_consent(struct request *rq, struct reply *rp);
void op_case_withdraw(struct request *rq, struct reply *rp);
void op_case_close(struct request *rq, struct reply *rp);
void op_case_reassign(struct request *rq, struct reply *rp);
void op_case_edit(struct request *rq, struct reply *rp);
void op_offer_step_back(struct request *rq, struct reply *rp);
void op_case_deadline(struct request *rq, struct reply *rp);
void op_case_due(struct request *rq, struct reply *rp);
void op_mediator_profile(struct request *rq, struct reply *rp);
void op_mediator_register(struct request *rq, struct reply *rp);
void op_mediator_availability(struct request *rq, struct reply *rp);
void op_mediator_relationship(struct request *rq, struct reply *rp);
void op_mediator_show(struct request *rq, struct reply *rp);
void op_mediator_capacity(struct request *rq, struct reply *rp);
void op_mediator_away(struct request *rq, struct reply *rp);
void op_offer_list(struct request *rq, struct reply *rp);
void op_offer_show(struct request *rq, struct reply *rp);
void op_offer_accept(struct request *rq, struct reply *rp);
void op_offer_decline(struct request *rq, struct reply *rp);
void op_offer_narrative(struct request *rq, struct reply *rp);
void op_audit_list(struct request *rq, struct reply *rp);
void op_audit_destroyed(struct request *rq, struct reply *rp);
void op_privacy_export(struct request *rq, struct reply *rp);
void op_privacy_erase(struct request *rq, struct reply *rp);
void op_pool_status(struct request *rq, struct reply *rp);
void op_pool_ledger(struct request *rq, struct reply *rp);
void op_pool_report(struct request *rq, struct reply *rp);
void op_pool_dashboard(struct request *rq, struct reply *rp);
void op_pool_stuck(struct request *rq, struct reply *rp);
void op_notice_list(struct request *rq, struct reply *rp);
void op_pool_override(struct request *rq, struct reply *rp);
void op_pool_round(struct request *rq, struct reply *rp);

#endif
