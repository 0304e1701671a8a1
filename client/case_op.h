/* case_op: the commands that send one op about one case. They take CASE,
 * or CASE MEDIATOR, after a few flags out of one set, and most print the
 * case's new state, so that a command only says what is its own: its op,
 * the flags it must have, and the arguments it sends. */
#ifndef MPOOL_CLIENT_CASE_OP_H
#define MPOOL_CLIENT_CASE_OP_H

#include <jansson.h>
#include <stdbool.h>

#include "args.h"
#include "cli.h"

/* The keys of the flags in the commands' tables. */
enum case_flag_key {
    CF_REASON = 1,
    CF_REFUSE,
    CF_OUTCOME,
    CF_HOURS,
    CF_NO_CONFLICT,
    CF_DISCLOSE,
    CF_NOTE,
    CF_OUT,
    CF_REASON_CODE,
    CF_REPLACE,
};

/* What was given of the flags; a command's table says which it takes. */
struct case_flags {
    const char *reason;      /* --reason */
    const char *reason_code; /* --reason-code */
    bool refuse;             /* --refuse */
    const char *outcome;     /* --outcome */
    bool has_hours;          /* --hours H */
    double hours;
    /* --hours MEDIATOR=H, once for each mediator of a two-seat case */
    const char *hours_of[2];
    double hours_each[2];
    int n_hours_of;
    const char *replace;  /* --replace MEDIATOR */
    bool no_conflict;     /* --no-conflict */
    const char *disclose; /* --disclose */
    const char *note;     /* --note */
    const char *out_file; /* --out */
};

/* --reason-code CODE (required) and --reason TEXT, which stays at this node. */
extern const struct flag case_reason_flags[];

struct case_op {
    const char *op;
    int nwords;            /* 1: CASE; 2: CASE MEDIATOR; 3: CASE MEDIATOR [MEDIATOR] */
    const char *need_code; /* the usage error without --reason-code, or NULL */
    /* The command's own checks after the ids: RC_OK, or the exit code
     * after printing why not. NULL when it has none. */
    int (*check)(const struct args *a, const struct case_flags *f);
    /* The op's arguments. NULL: case_id, mediator_id (with CASE MEDIATOR),
     * reason_code and reason (when given). */
    json_t *(*build)(char *const *ids, const struct case_flags *f);
    cli_print_fn print; /* NULL: what the step did, in words (done.c) */
    /* A mediator may be named by their number on the case's shortlist,
     * the # column of case show. */
    bool by_rank;
};

/* Reads the flags into f, then the ids. NULL with the exit code in *rc
 * when the command must stop (after --help, or a usage error). */
char **case_flags_read(struct args *a, struct case_flags *f, int nwords, int *rc);

/* The run of every command whose table entry names a case_op: flags,
 * ids, checks, the request and its result, as cmd->case_op says. */
int case_op_command(struct cli *cli, const struct command *cmd, int argc, char **argv);

/* Adds reason_code and reason to args when they were given. */
void case_reason_args(json_t *args, const struct case_flags *f);
/* case_id, mediator_id (nwords 2), reason_code and reason when given. */
json_t *case_default_args(char *const *ids, int nwords, const struct case_flags *f);
/* The same with "minutes" from --hours, when given: a mediator leaving a
 * case with the hours they gave it. */
json_t *case_given_args(char *const *ids, int nwords, const struct case_flags *f);
/* --hours H for a mediator who leaves a case: the hours they gave it. */
#define CASE_GIVEN_FLAG                                                                            \
    {                                                                                              \
        CF_HOURS, "hours", "H",                                                                    \
            "hours the mediator gave the case so far (for the ledger; default 0)"                  \
    }

#endif
