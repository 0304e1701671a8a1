/* clientapi: decode, authorise, dispatch, reply. */
#include "api/clientapi.h"
#include "api/repeat.h"
#include "api/request.h"
#include "base/ids.h"
#include "base/text.h"
#include "journey/journey.h"
#include "node/audit.h"
#include "wire/args.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "member/outbox.h"
#include "mpool.pb-c.h"
#include "store/store.h"
#include "node/zap.h"

#define ST(x) MPOOL__V1__REPLY_STATUS__REPLY_STATUS_##x
#define ANY   (ROLE_HR | ROLE_MEDIATOR | ROLE_COORDINATOR | ROLE_ADMIN | ROLE_AUDITOR | ROLE_PRIVACY)

enum where { ON_MEMBER = 1, ON_COORDINATOR = 2, ON_ANY = 3 };

static void op_whoami(struct request *rq, struct reply *rp);

/* The arguments of the operations that are no step of the case journey;
 * those of the steps are in the journey table (shared/journey). */
static const char *const relationship_kinds[] = {"person", "unit", "municipality", NULL};
static const struct arg_spec none[] = {ARG_SPEC_END};
static const struct arg_spec page_args[] = {PAGE_ARGS, ARG_SPEC_END};
static const struct arg_spec case_id_only[] = {ARG_SPEC_CASE_ID, ARG_SPEC_END};
static const struct arg_spec list_args[] = {
    {"state", ARG_TEXT, false, 20, 0, 0, NULL, NULL}, PAGE_ARGS, ARG_SPEC_END};
static const struct arg_spec register_args[] = {
    {"specialties", ARG_TEXTS, true, SPECIALTY_MAX, 0, 16, NULL, NULL},
    {"languages", ARG_TEXTS, true, LANGUAGE_MAX, 1, 8, NULL, NULL},
    {"mfn_number", ARG_TEXT, true, MFN_NUMBER_MAX, 0, 0, NULL, NULL},
    {"mfn_expiry", ARG_TEXT, true, 10, 0, 0, NULL, NULL},
    {"capacity", ARG_INT, true, 0, 0, CAPACITY_MAX, NULL, NULL},
    {"lat", ARG_NUMBER, false, 0, -90, 90, NULL, NULL},
    {"lon", ARG_NUMBER, false, 0, -180, 180, NULL, NULL},
    {"display_name", ARG_TEXT, false, 4 * DISPLAY_NAME_MAX, 0, 0, NULL, NULL},
    {"about", ARG_LINES, false, ABOUT_MAX, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec profile_args[] = {
    {"display_name", ARG_TEXT, false, 4 * DISPLAY_NAME_MAX, 0, 0, NULL, NULL},
    {"about", ARG_LINES, false, ABOUT_MAX, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec window_args[] = {{"from", ARG_TEXT, true, 10, 0, 0, NULL, NULL},
                                              {"to", ARG_TEXT, true, 10, 0, 0, NULL, NULL},
                                              ARG_SPEC_END};
static const struct arg_spec availability_args[] = {
    {"windows", ARG_OBJECTS, true, 0, 0, 64, NULL, window_args}, ARG_SPEC_END};
static const struct arg_spec relationship_args[] = {
    {"kind", ARG_CHOICE, true, 0, 0, 0, relationship_kinds, NULL},
    {"value", ARG_TEXT, true, 200, 0, 0, NULL, NULL},
    {"remove", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec audit_args[] = {
    {"since", ARG_TEXT, false, 10, 0, 0, NULL, NULL},
    {"case_id", ARG_TEXT, false, ID_MAX + 12, 0, 0, NULL, NULL},
    {"user", ARG_TEXT, false, ID_MAX - 1, 0, 0, NULL, NULL},
    PAGE_ARGS,
    ARG_SPEC_END,
};
/* case.due and pool.stuck: how near a decision date counts. */
static const struct arg_spec due_args[] = {
    {"within", ARG_INT, false, 0, 0, 3650, NULL, NULL}, PAGE_ARGS, ARG_SPEC_END};
static const struct arg_spec report_args[] = {
    {"year", ARG_INT, true, 0, 2000, 2999, NULL, NULL},
    {"municipality", ARG_TEXT, false, ID_MAX - 1, 0, 0, NULL, NULL},
    ARG_SPEC_END};
static const char *const subject_kinds[] = {"person", "unit", NULL};
static const struct arg_spec subject_args[] = {
    {"kind", ARG_CHOICE, true, 0, 0, 0, subject_kinds, NULL},
    {"value", ARG_TEXT, true, 200, 0, 0, NULL, NULL},
    ARG_SPEC_END,
};
static const struct arg_spec since_args[] = {
    {"since", ARG_TEXT, false, 10, 0, 0, NULL, NULL}, PAGE_ARGS, ARG_SPEC_END};
static const struct arg_spec notice_args[] = {
    {"after", ARG_INT, false, 0, 0, INT32_MAX, NULL, NULL}, ARG_SPEC_END};
static const struct arg_spec capacity_args[] = {
    {"capacity", ARG_INT, true, 0, 0, CAPACITY_MAX, NULL, NULL}, ARG_SPEC_END};
static const struct arg_spec away_args[] = {{"from", ARG_TEXT, false, 10, 0, 0, NULL, NULL},
                                            {"until", ARG_TEXT, false, 10, 0, 0, NULL, NULL},
                                            {"clear", ARG_BOOL, false, 0, 0, 0, NULL, NULL},
                                            ARG_SPEC_END};
static const struct arg_spec offer_list_args[] = {
    {"all", ARG_BOOL, false, 0, 0, 0, NULL, NULL}, PAGE_ARGS, ARG_SPEC_END};

/* An operation: who may call it where, and with which arguments. A step
 * of the case journey takes its role and arguments from the journey
 * table, so node and coordinator read them from the same row. */
static const struct op {
    const char *name;
    unsigned roles;
    enum where where;
    void (*fn)(struct request *, struct reply *);
    const struct arg_spec *args;
    bool step;
} ops[] = {
#define OP(name, roles, where, fn, args)                                                           \
    {                                                                                              \
        name, roles, where, fn, args, false                                                        \
    }
#define STEP(name, fn)                                                                             \
    {                                                                                              \
        name, 0, 0, fn, NULL, true                                                                 \
    }
    OP("whoami", ANY, ON_ANY, op_whoami, none),
    STEP("case.post", op_case_post),
    OP("case.list", ROLE_HR, ON_MEMBER, op_case_list, list_args),
    OP("case.show", ROLE_HR, ON_MEMBER, op_case_show, case_id_only),
    STEP("case.choose", op_case_choose),
    STEP("case.veto", op_case_veto),
    STEP("case.consent", op_case_consent),
    STEP("case.withdraw", op_case_withdraw),
    STEP("case.close", op_case_close),
    STEP("case.deadline", op_case_deadline),
    STEP("case.reassign", op_case_reassign),
    STEP("case.edit", op_case_edit),
    OP("case.due", ROLE_HR, ON_MEMBER, op_case_due, due_args),
    OP("mediator.register", ROLE_MEDIATOR, ON_MEMBER, op_mediator_register, register_args),
    OP("mediator.profile", ROLE_MEDIATOR, ON_MEMBER, op_mediator_profile, profile_args),
    OP("mediator.availability", ROLE_MEDIATOR, ON_MEMBER, op_mediator_availability,
       availability_args),
    OP("mediator.relationship", ROLE_MEDIATOR, ON_MEMBER, op_mediator_relationship,
       relationship_args),
    OP("mediator.show", ROLE_MEDIATOR, ON_MEMBER, op_mediator_show, none),
    OP("mediator.capacity", ROLE_MEDIATOR, ON_MEMBER, op_mediator_capacity, capacity_args),
    OP("mediator.away", ROLE_MEDIATOR, ON_MEMBER, op_mediator_away, away_args),
    OP("offer.list", ROLE_MEDIATOR, ON_MEMBER, op_offer_list, offer_list_args),
    OP("offer.show", ROLE_MEDIATOR, ON_MEMBER, op_offer_show, case_id_only),
    STEP("offer.accept", op_offer_accept),
    STEP("offer.decline", op_offer_decline),
    STEP("offer.step_back", op_offer_step_back),
    OP("offer.narrative", ROLE_MEDIATOR, ON_MEMBER, op_offer_narrative, case_id_only),
    OP("notice.list", ANY, ON_ANY, op_notice_list, notice_args),
    OP("audit.list", ROLE_AUDITOR | ROLE_ADMIN, ON_ANY, op_audit_list, audit_args),
    OP("privacy.export", ROLE_PRIVACY | ROLE_ADMIN, ON_MEMBER, op_privacy_export, subject_args),
    OP("privacy.erase", ROLE_PRIVACY | ROLE_ADMIN, ON_MEMBER, op_privacy_erase, subject_args),
    OP("audit.destroyed", ROLE_AUDITOR | ROLE_ADMIN, ON_ANY, op_audit_destroyed, since_args),
    OP("pool.status", ROLE_COORDINATOR, ON_COORDINATOR, op_pool_status, page_args),
    OP("pool.ledger", ROLE_COORDINATOR, ON_COORDINATOR, op_pool_ledger, none),
    OP("pool.report", ROLE_COORDINATOR, ON_COORDINATOR, op_pool_report, report_args),
    OP("pool.dashboard", ROLE_COORDINATOR, ON_COORDINATOR, op_pool_dashboard, none),
    OP("pool.stuck", ROLE_COORDINATOR, ON_COORDINATOR, op_pool_stuck, due_args),
    STEP("pool.override", op_pool_override),
    STEP("pool.round", op_pool_round),
#undef OP
#undef STEP
};

static void op_whoami(struct request *rq, struct reply *rp)
{
    json_t *roles = json_array();
    for (unsigned bit = 1; bit != 0 && bit <= rq->user->roles; bit <<= 1)
        if (rq->user->roles & bit)
            json_array_append_new(roles, json_string(role_name(bit)));
    char mediator[2 * ID_MAX];
    snprintf(mediator, sizeof mediator, "%s:%s", rq->n->cfg.node_id, rq->user->id);
    rp->result = json_pack("{sssosssb}", "user", rq->user->id, "roles", roles, "node",
                           rq->n->cfg.node_id, "coordinator", rq->n->cfg.coordinator);
    if (rq->user->roles & ROLE_MEDIATOR)
        json_object_set_new(rp->result, "mediator_id", json_string(mediator));
}

/* Role, place and arguments of op, from its row or its journey step. */
static void op_needs(const struct op *op, unsigned *roles, enum where *where,
                     const struct arg_spec **args)
{
    *roles = op->roles;
    *where = op->where;
    *args = op->args;
    if (!op->step)
        return;
    const struct journey_step *s = journey_step_of_op(op->name);
    if (!s)
        fatal("clientapi: %s is listed as a journey step but the table has none", op->name);
    *roles = s->role;
    *where = s->by == BY_COORDINATOR ? ON_COORDINATOR : ON_MEMBER;
    *args = s->args;
}

/* The op of that name, or NULL. */
static const struct op *op_named(const char *name)
{
    for (size_t i = 0; name && i < sizeof ops / sizeof *ops; i++)
        if (strcmp(ops[i].name, name) == 0)
            return &ops[i];
    return NULL;
}

/* An operation that only shows what the node holds: its audit row is
 * committed before the answer is built, and no row, no answer. A person's
 * own notices (notice.list) are not among them: a watch that found
 * nothing leaves no row. */
static bool op_reads(const char *name)
{
    static const char *const reads[] = {
        "case.list",   "case.show",       "case.due",    "mediator.show",  "offer.list",
        "offer.show",  "offer.narrative", "audit.list",  "privacy.export", "audit.destroyed",
        "pool.status", "pool.ledger",     "pool.report", "pool.dashboard", "pool.stuck"};
    for (size_t i = 0; i < sizeof reads / sizeof *reads; i++)
        if (strcmp(name, reads[i]) == 0)
            return true;
    return false;
}

/* The mpool command that sends op, for messages: "pool status". */
static void op_command(const char *op, char *out, size_t len)
{
    static const char *const special[][2] = {{"audit.list", "audit"}, {"notice.list", "watch"}};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        if (strcmp(op, special[i][0]) == 0) {
            snprintf(out, len, "%s", special[i][1]);
            return;
        }
    snprintf(out, len, "%s", op);
    for (char *p = out; *p; p++)
        *p = *p == '.' ? ' ' : *p == '_' ? '-' : *p;
}

void clientapi_dispatch(struct request *rq, struct reply *rp, const char *op_name)
{
    const struct op *op = op_named(op_name);
    if (!op) {
        fail(rp, ST(BAD_REQUEST), "unknown operation '%.40s'; is mpool newer than this node?",
             op_name);
        return;
    }
    unsigned roles;
    enum where where;
    const struct arg_spec *args;
    op_needs(op, &roles, &where, &args);
    /* Every operation of the node's but whoami is on the audit trail,
     * refusals included: the row goes with a change, or after it. */
    const char *case_id = json_string_value(json_object_get(rq->args, "case_id"));
    if (strcmp(op->name, "whoami") != 0)
        audit_request_start(rq->n, rq->user->id, op->name,
                            case_id && case_id_valid(case_id) ? case_id : "");
    rq->n->audit.request_id = rq->request_id;
    char why[300], command[48];
    op_command(op->name, command, sizeof command);
    if (!(rq->user->roles & roles)) {
        char needed[64], has[64];
        role_format(roles, needed, sizeof needed);
        role_format(rq->user->roles, has, sizeof has);
        fail(rp, ST(REFUSED),
             "'mpool %s' is for the %s role; you, %s, have %s (mpool --help lists what each "
             "role does)",
             command, needed, rq->user->id, has);
    } else if ((where == ON_MEMBER && !rq->n->cfg.member) ||
               (where == ON_COORDINATOR && !rq->n->cfg.coordinator)) {
        fail(rp, ST(REFUSED), "'mpool %s' works at %s; this node is %s", command,
             where == ON_MEMBER ? "a municipality's node" : "the pool coordinator's node",
             where == ON_MEMBER ? "the pool's coordinator only" : "a municipality's node");
    } else if (args_check(args, rq->args, why, sizeof why) < 0) {
        fail(rp, ST(BAD_REQUEST), "%s: %s", op_name, why);
    } else if (op_reads(op->name) && audit_request_read(rq->n) < 0) {
        fail(rp, ST(INTERNAL), "the node cannot record this read; try again");
    } else if (!repeat_answer(rq, rp, op->name)) {
        rp->status = ST(OK);
        op->fn(rq, rp);
        store_rollback(rq->n->db); /* a handler that failed midway changes nothing */
    }
    audit_request_done(rq->n, rp->status);
}

static void send_reply(struct node *n, zframe_t *rid, uint64_t request_id, struct reply *rp)
{
    Mpool__V1__ClientReply r = MPOOL__V1__CLIENT_REPLY__INIT;
    r.request_id = request_id;
    r.status = (Mpool__V1__ReplyStatus)rp->status;
    r.error = rp->status == ST(OK) ? "" : rp->error;
    char *json = rp->result ? json_dumps(rp->result, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    r.result_json = json ? json : "{}";
    r.blob.data = rp->blob;
    r.blob.len = rp->blob_len;
    size_t len = mpool__v1__client_reply__get_packed_size(&r);
    uint8_t *buf = malloc(len ? len : 1);
    if (buf) {
        mpool__v1__client_reply__pack(&r, buf);
        zmsg_t *m = zmsg_new();
        zmsg_append(m, &(zframe_t *){zframe_dup(rid)});
        zmsg_addmem(m, buf, len);
        if (zmsg_send(&m, n->clients) < 0)
            zmsg_destroy(&m);
    }
    free(buf);
    free(json);
}

static void serve(struct node *n, zframe_t *rid, zframe_t *payload)
{
    struct reply rp = {.status = ST(OK)};
    const char *who = zframe_meta(payload, "User-Id");
    const struct user *user = who ? users_find(&n->users, who) : NULL;
    if (user && !zap_frame_has_key(payload, user->pk))
        user = NULL; /* the id now has another key: this connection is stale */
    Mpool__V1__ClientRequest *req =
        mpool__v1__client_request__unpack(NULL, zframe_size(payload), zframe_data(payload));
    uint64_t request_id = req ? req->request_id : 0;
    json_t *args = NULL;
    if (!user) {
        /* Let in by ZAP, but removed from users.ini since (SIGHUP). */
        fail(&rp, ST(REFUSED), "your key is no longer on this node's list of people");
    } else if (!req || req->schema_version != 1) {
        fail(&rp, ST(BAD_REQUEST), "malformed request or unknown schema version");
    } else if (!(args = json_loads(req->args_json, JSON_REJECT_DUPLICATES, NULL)) ||
               !json_is_object(args)) {
        fail(&rp, ST(BAD_REQUEST), "arguments are not a JSON object");
    } else {
        struct request rq = {n, user, args, req->blob.data, req->blob.len, req->request_id};
        clientapi_dispatch(&rq, &rp, req->op);
    }
    if (rp.status != ST(OK))
        /* The error may quote what the person typed: status and a known
         * op's name only. */
        log_info("%s: %s answered with status %d", user ? user->id : "?",
                 req && op_named(req->op) ? req->op : "?", rp.status);
    send_reply(n, rid, request_id, &rp);
    json_decref(rp.result);
    free(rp.blob);
    json_decref(args);
    if (req)
        mpool__v1__client_request__free_unpacked(req, NULL);
}

void clientapi_handle(struct node *n)
{
    zmsg_t *msg = zmsg_recv(n->clients);
    if (!msg)
        return;
    if (zmsg_size(msg) == 2) {
        zframe_t *rid = zmsg_pop(msg);
        zframe_t *payload = zmsg_pop(msg);
        serve(n, rid, payload);
        zframe_destroy(&rid);
        zframe_destroy(&payload);
    } else {
        log_warn("ignored a client message of %zu frames", zmsg_size(msg));
    }
    zmsg_destroy(&msg);
}
