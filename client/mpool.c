/* mpool: the command-line client of mpoold for HR staff, mediators and
 * coordinators. main reads the global flags, finds the command from one or
 * two words, and hands it the rest of the line. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "base/nodump.h"
#include "cli.h"
#include "cmd.h"
#include "out.h"

static const struct command *const command_tables[] = {
    whoami_commands,   case_commands,  mediator_commands, offer_commands,
    pool_commands,     match_commands, audit_commands,    privacy_commands,
    deadline_commands, watch_commands, edit_commands,     report_commands,
};

#define NTABLES (sizeof command_tables / sizeof command_tables[0])

static const struct command *find_command(const char *group, const char *name)
{
    for (size_t t = 0; t < NTABLES; t++)
        for (const struct command *c = command_tables[t]; c->name; c++) {
            bool same_group = group ? c->group && strcmp(c->group, group) == 0 : !c->group;
            if (same_group && strcmp(c->name, name) == 0)
                return c;
        }
    return NULL;
}

static bool is_group(const char *word)
{
    for (size_t t = 0; t < NTABLES; t++)
        for (const struct command *c = command_tables[t]; c->name; c++)
            if (c->group && strcmp(c->group, word) == 0)
                return true;
    return false;
}

static void print_commands(const char *group)
{
    char words[48];

    for (size_t t = 0; t < NTABLES; t++)
        for (const struct command *c = command_tables[t]; c->name; c++) {
            if (group && (!c->group || strcmp(c->group, group) != 0))
                continue;
            snprintf(words, sizeof words, "%s%s%s", c->group ? c->group : "", c->group ? " " : "",
                     c->name);
            args_print_item(words, 21, c->summary);
        }
}

static void print_usage(const char *group)
{
    if (group)
        printf("usage: mpool %s COMMAND [flags] [arguments]\n\ncommands:\n", group);
    else
        printf("usage: mpool [global flags] COMMAND [flags] [arguments]\n\n"
               "The client of mpoold, your municipality's node in the mediator pool.\n\n"
               "commands:\n");
    print_commands(group);
    printf("\nglobal flags (before or after the command):\n");
    args_print_global_help();
    printf("\nRun 'mpool %s%sCOMMAND --help' for a command's flags.\n"
           "Exit status: 0 done, 1 other error, 2 usage error or bad request, 3 refused,\n"
           "4 not found, 5 no answer from the node.\n",
           group ? group : "", group ? " " : "");
}

/* Reads the global flags before a word; returns the word's index in argv,
 * argc when there is none, or -1 with *rc set when mpool must stop. */
static int read_globals(struct cli *cli, const char *where, int argc, char **argv, bool *help,
                        int *rc)
{
    struct args a;

    args_init_global(&a, cli, where, argc, argv);
    int key = args_next(&a);
    if (key != ARGS_END) {
        *rc = args_exit(key);
        return -1;
    }
    *help = *help || a.help;
    return optind;
}

static int run_command(struct cli *cli, const struct command *cmd, bool help, int argc, char **argv)
{
    if (help) {
        args_print_help(cmd);
        return RC_OK;
    }
    return cmd->run(cli, cmd, argc, argv);
}

/* No command word after mpool, or after a group word. */
static int command_missing(const char *group, bool help)
{
    if (help) {
        print_usage(group);
        return RC_OK;
    }
    if (group)
        out_error(RC_USAGE, "'%s' needs a command; see 'mpool %s --help'", group, group);
    else
        out_error(RC_USAGE, "a command is missing; see 'mpool --help'");
    return RC_USAGE;
}

/* The words of the line after mpool (group NULL) or after a group word
 * (argv[0] is that word): global flags, then a command or a group. */
static int run_words(struct cli *cli, const char *group, bool help, int argc, char **argv)
{
    int rc = RC_OK;

    int i = read_globals(cli, group ? group : "", argc, argv, &help, &rc);
    if (i < 0)
        return rc;
    if (i >= argc)
        return command_missing(group, help);
    if (!group && is_group(argv[i]))
        return run_words(cli, argv[i], help, argc - i, argv + i);
    const struct command *cmd = find_command(group, argv[i]);
    if (!cmd) {
        out_error(RC_USAGE, "'%s%s%s' is not a command; see 'mpool %s%s--help'", group ? group : "",
                  group ? " " : "", argv[i], group ? group : "", group ? " " : "");
        return RC_USAGE;
    }
    return run_command(cli, cmd, help, argc - i, argv + i);
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    char err[256];

    /* Before the person's key is read: a core file would hold it. */
    if (nodump_process(err, sizeof err) < 0) {
        out_error(RC_ERROR, "%s", err);
        return RC_ERROR;
    }
    if (sodium_init() < 0) {
        out_error(RC_ERROR, "libsodium cannot start");
        return RC_ERROR;
    }
    int rc = run_words(&cli, NULL, false, argc, argv);
    cli_close(&cli);
    if (fflush(stdout) != 0 && rc == RC_OK) {
        perror("mpool: cannot write the output");
        rc = RC_ERROR;
    }
    return rc;
}
