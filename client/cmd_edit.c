/* cmd_edit: `mpool case edit`, changing a case before any offer. */
#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "out.h"
#include "partyfile.h"
#include "base/text.h"

enum {
    E_URGENCY = 1,
    E_LANGUAGE,
    E_SEATS,
    E_CERTIFIED,
    E_ANY,
    E_PARTY,
    E_PARTIES,
    E_START,
    E_COMMITTEE
};

static const char *const urgencies[] = {"low", "normal", "high", NULL};

static const struct flag edit_flags[] = {
    {E_URGENCY, "urgency", "LEVEL", "low, normal or high"},
    {E_LANGUAGE, "language", "LANG", "the language of the mediation, one of the pool's"},
    {E_SEATS, "seats", "N", "1 mediator, or 2 for co-mediation"},
    {E_CERTIFIED, "certified", NULL, "only MfN-certified mediators from now on"},
    {E_ANY, "any-mediator", NULL, "certification no longer required"},
    {E_PARTY, "party", "ID", "a municipality among the parties anew, as with case post"},
    {E_PARTIES, "parties", "FILE",
     "the parties anew, one KIND:NAME a line, as with case post (- reads standard input); "
     "with --party, they replace the list"},
    {E_START, "period-start", "DATE",
     "the legal period's start anew (YYYY-MM-DD); the decision date is computed afresh"},
    {E_COMMITTEE, "committee", NULL, "an advisory or complaints committee advises"},
    {0, NULL, NULL, NULL},
};

struct edit {
    json_t *args;
    json_t *parties;
};

static bool edit_flag(struct args *a, void *opts, int key)
{
    struct edit *e = opts;
    long seats;
    const char *code;
    json_t *party;

    switch (key) {
    case E_URGENCY:
        return args_enum(a, "--urgency", a->value, urgencies) &&
               json_object_set_new(e->args, "urgency", json_string(a->value)) == 0;
    case E_LANGUAGE:
        return args_language(a, "--language", a->value, &code) &&
               json_object_set_new(e->args, "language", json_string(code)) == 0;
    case E_SEATS:
        return args_long(a, "--seats", a->value, 1, 2, &seats) &&
               json_object_set_new(e->args, "seats", json_integer(seats)) == 0;
    case E_START: {
        int64_t ms;
        return args_date(a, "--period-start", a->value, &ms) &&
               json_object_set_new(e->args, "period_start", json_string(a->value)) == 0;
    }
    case E_COMMITTEE:
        return json_object_set_new(e->args, "committee", json_true()) == 0;
    case E_CERTIFIED:
    case E_ANY:
        return json_object_set_new(e->args, "requires_certified",
                                   json_boolean(key == E_CERTIFIED)) == 0;
    case E_PARTIES:
        return partyfile_parties(a, "--parties", a->value, e->parties);
    default:
        party = partyfile_argv_party(a, "--party", a->value);
        return party && json_array_append_new(e->parties, party) == 0;
    }
}

static int case_edit(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct edit e = {json_object(), json_array()};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (args_flags(&a, edit_flag, &e, &rc)) {
        char **ids = args_ids(&a, 1);
        if (!ids) {
            rc = RC_USAGE;
        } else if (json_object_size(e.args) == 0 && json_array_size(e.parties) == 0) {
            rc = args_fail(&a, "nothing to change: give --urgency, --language, --seats, "
                               "--certified, --any-mediator, --parties, --party or --period-start");
        } else {
            json_object_set_new(e.args, "case_id", json_string(ids[0]));
            if (json_array_size(e.parties) > 0)
                json_object_set(e.args, "parties", e.parties);
            rc = cli_request(cli, "case.edit", json_incref(e.args), cli_print_state, NULL);
        }
    }
    json_decref(e.args);
    json_decref(e.parties);
    return rc;
}

const struct command edit_commands[] = {
    {"case", "edit",
     "CASE [--urgency L] [--language L] [--seats N] [--certified] [--parties FILE] [--party ID...]",
     "Changes a case until an offer is made; it is shortlisted again and the history says what "
     "changed.",
     edit_flags, case_edit, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
