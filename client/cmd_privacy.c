/* cmd_privacy: a data subject's requests, answered at their municipality's
 * node by a person with the privacy role. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"
#include "partyfile.h"
#include "wire/names.h"

enum { F_PERSON_FILE = 1, F_UNIT_FILE, F_PERSON, F_UNIT };

static const struct flag subject_flags[] = {
    {F_PERSON_FILE, "person-file", "FILE",
     "a file holding the person's name, or staff number, as HR used it, on one line; - reads "
     "it from standard input"},
    {F_UNIT_FILE, "unit-file", "FILE", "or a file holding an organisation unit's name"},
    {F_PERSON, "person", "NAME",
     "refused: a name on the command line shows in ps and the "
     "shell's history; use --person-file"},
    {F_UNIT, "unit", "NAME", "refused likewise; use --unit-file"},
    {0, NULL, NULL, NULL},
};

struct subject {
    const char *kind;
    char *value;
};

static bool subject_flag(struct args *a, void *opts, int key)
{
    struct subject *s = opts;
    bool person = key == F_PERSON || key == F_PERSON_FILE;

    if (key == F_PERSON || key == F_UNIT)
        return args_fail(a,
                         "%s: a name must not be on the command line, where ps and the shell's "
                         "history show it; put it in a file and give %s FILE, or %s - to give "
                         "it on standard input",
                         person ? "--person" : "--unit", person ? "--person-file" : "--unit-file",
                         person ? "--person-file" : "--unit-file"),
               false;
    if (s->kind)
        return args_fail(a, "give one --person-file or --unit-file"), false;
    s->kind = person ? "person" : "unit";
    s->value = partyfile_name(a, person ? "--person-file" : "--unit-file", a->value);
    return s->value != NULL;
}

static void export_row(struct table *t, size_t i, const json_t *c)
{
    char parties[512] = "";
    size_t k;
    json_t *p;

    (void)i;
    json_array_foreach(json_object_get(c, "parties"), k, p)
    {
        size_t used = strlen(parties);
        snprintf(parties + used, sizeof parties - used, "%s%s", used ? "; " : "",
                 out_str(p, "label")[0] ? out_str(p, "label") : "(name destroyed)");
    }
    table_row(t, out_str(c, "case_id"), case_state_words(out_str(c, "state")), out_str(c, "domain"),
              parties);
}

static void print_export(const json_t *result, const void *ctx)
{
    (void)ctx;
    out_line("pseudonym %s", out_str(result, "pseudonym"));
    struct table *t = table_new(4, "CASE", "STATE", "DOMAIN", "PARTIES");
    table_add_each(t, json_object_get(result, "cases"), export_row);
    table_finish(t, NULL, "", "no case at this node names them");
    size_t n = json_array_size(json_object_get(result, "relationships"));
    if (n)
        out_line("%zu relationship(s) with them declared by this node's mediators", n);
    long long bare = (long long)out_int(result, "unlabelled");
    if (bare > 0)
        out_line("%lld of these case(s) no longer hold the name (blanked or erased before); they "
                 "are found only under the spelling used then: look up that spelling too",
                 bare);
    out_line("note: %s", out_str(result, "review"));
}

static void print_erase(const json_t *result, const void *ctx)
{
    char erased[1024];
    size_t i;
    const json_t *k;

    (void)ctx;
    out_join(json_object_get(result, "erased"), erased, sizeof erased);
    out_line("erased     %s", erased[0] ? erased : "-");
    if (erased[0])
        out_line("           (the name, the narrative and every note, disclosure notes too)");
    json_array_foreach(json_object_get(result, "kept"), i, k)
    {
        if (strcmp(out_str(k, "what"), "case") == 0)
            out_line("kept       case %s: %s", out_str(k, "case_id"), out_str(k, "why"));
        else
            out_line("kept       the relationship %s declared: %s", out_str(k, "mediator"),
                     out_str(k, "why"));
    }
}

static int subject_command(struct cli *cli, const struct command *cmd, int argc, char **argv,
                           const char *op, cli_print_fn print)
{
    struct args a;
    struct subject s = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    bool flags_ok = args_flags_only(&a, subject_flag, &s, &rc);
    if (flags_ok && !s.kind)
        rc = args_fail(&a, "--person-file or --unit-file is missing");
    else if (flags_ok)
        rc = cli_request(cli, op, json_pack("{s:s, s:s}", "kind", s.kind, "value", s.value), print,
                         NULL);
    if (s.value) {
        sodium_memzero(s.value, strlen(s.value));
        free(s.value);
    }
    return rc;
}

static int privacy_export(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return subject_command(cli, cmd, argc, argv, "privacy.export", print_export);
}

static int privacy_erase(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return subject_command(cli, cmd, argc, argv, "privacy.erase", print_erase);
}

const struct command privacy_commands[] = {
    {"privacy", "export", "--person-file FILE | --unit-file FILE",
     "Lists every case at this node in which the person is a party, others redacted (privacy "
     "or admin role).",
     subject_flags, privacy_export, NULL},
    {"privacy", "erase", "--person-file FILE | --unit-file FILE",
     "Removes the person's name, and the narrative and notes, from every ended case that names "
     "them, and says what it kept and why (privacy or admin role).",
     subject_flags, privacy_erase, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
