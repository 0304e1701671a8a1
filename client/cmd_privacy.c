/* cmd_privacy: a data subject's requests, answered at their municipality's
 * node by a person with the privacy role. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "out.h"
#include "wire/names.h"

enum { F_PERSON = 1, F_UNIT };

static const struct flag subject_flags[] = {
    {F_PERSON, "person", "NAME", "the person, by the name or staff number HR used"},
    {F_UNIT, "unit", "NAME", "or an organisation unit"},
    {0, NULL, NULL, NULL},
};

struct subject {
    const char *kind, *value;
};

static bool subject_flag(struct args *a, void *opts, int key)
{
    struct subject *s = opts;

    if (s->kind)
        return args_fail(a, "give one --person or --unit"), false;
    s->kind = key == F_PERSON ? "person" : "unit";
    s->value = a->value;
    return args_text(a, key == F_PERSON ? "--person" : "--unit", a->value);
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
    char erased[1024], kept[1024];

    (void)ctx;
    out_join(json_object_get(result, "erased"), erased, sizeof erased);
    out_join(json_object_get(result, "kept_running"), kept, sizeof kept);
    out_line("erased     %s", erased[0] ? erased : "-");
    out_line("still open %s%s", kept[0] ? kept : "-",
             kept[0] ? " (erase again once they have ended)" : "");
}

static int subject_command(struct cli *cli, const struct command *cmd, int argc, char **argv,
                           const char *op, cli_print_fn print)
{
    struct args a;
    struct subject s = {0};
    int rc;

    args_init(&a, cli, cmd, argc, argv);
    if (!args_flags_only(&a, subject_flag, &s, &rc))
        return rc;
    if (!s.kind)
        return args_fail(&a, "--person or --unit is missing");
    return cli_request(cli, op, json_pack("{s:s, s:s}", "kind", s.kind, "value", s.value), print,
                       NULL);
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
    {"privacy", "export", "--person NAME | --unit NAME",
     "Lists every case at this node in which the person is a party, others redacted (privacy "
     "or admin role).",
     subject_flags, privacy_export, NULL},
    {"privacy", "erase", "--person NAME | --unit NAME",
     "Removes the person's name, and the narrative and notes, from every ended case that names "
     "them (privacy or admin role).",
     subject_flags, privacy_erase, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
