/* cmd_whoami: who the node takes this key for, and what they may do. */
#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "out.h"

static const struct flag no_flags[] = {{0, NULL, NULL, NULL}};

static int whoami(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    struct args a;
    struct reply r;
    char roles[256];
    int key;

    args_init(&a, cli, "whoami", cmd, argc, argv);
    while ((key = args_next(&a)) > 0)
        ;
    if (key != ARGS_END)
        return args_exit(key);
    if (!args_positional(&a, 0, 0, "", NULL))
        return RC_USAGE;
    json_t *args = json_object();
    int rc = cli_call(cli, "whoami", args, NULL, 0, &r);
    json_decref(args);
    if (rc != RC_OK)
        return rc;
    if (cli->json) {
        out_json(r.result);
    } else {
        out_join(json_object_get(r.result, "roles"), roles, sizeof roles);
        out_line("user      %s", out_str(r.result, "user"));
        out_line("node      %s (%s)", out_str(r.result, "node"), cli->cfg.node);
        out_line("roles     %s", roles);
        out_line("mediator  %s", out_or(out_str(r.result, "mediator_id"), "-"));
    }
    reply_free(&r);
    return RC_OK;
}

const struct command whoami_commands[] = {
    {NULL, "whoami", "", "Shows who your node takes you for: user, node, roles and mediator id.",
     no_flags, whoami},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};
