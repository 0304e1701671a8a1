/* cmd_whoami: who the node takes this key for, and what they may do. */
#include <stdio.h>

#include "args.h"
#include "cmd.h"
#include "out.h"

/* ctx: the cli, for the node's endpoint in the configuration. */
static void print_whoami(const json_t *result, const void *ctx)
{
    const struct cli *cli = ctx;
    char roles[256];

    out_join(json_object_get(result, "roles"), roles, sizeof roles);
    out_line("user      %s", out_str(result, "user"));
    out_line("node      %s (%s)", out_str(result, "node"), cli->cfg.node);
    out_line("roles     %s", roles);
    out_line("mediator  %s", out_or(out_str(result, "mediator_id"), "-"));
}

static int whoami(struct cli *cli, const struct command *cmd, int argc, char **argv)
{
    return cli_query(cli, cmd, argc, argv, "whoami", print_whoami, cli);
}

const struct command whoami_commands[] = {
    {NULL, "whoami", "", "Shows who your node takes you for: user, node, roles and mediator id.",
     args_no_flags, whoami, NULL},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};
