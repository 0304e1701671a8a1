/* cmd: the tables of mpool's commands, one per group; each ends with {0}. */
#ifndef MPOOL_CLIENT_CMD_H
#define MPOOL_CLIENT_CMD_H

#include "args.h"
#include "cli.h"
#include "page.h"

extern const struct command whoami_commands[];   /* cmd_whoami.c */
extern const struct command case_commands[];     /* cmd_case.c */
extern const struct command mediator_commands[]; /* cmd_mediator.c */
extern const struct command offer_commands[];    /* cmd_offer.c */
extern const struct command pool_commands[];     /* cmd_pool.c */
extern const struct command match_commands[];    /* cmd_match.c */
extern const struct command audit_commands[];    /* cmd_audit.c */
extern const struct command privacy_commands[];  /* cmd_privacy.c */
extern const struct command deadline_commands[]; /* cmd_deadline.c */
extern const struct command watch_commands[];    /* watch.c */
extern const struct command edit_commands[];     /* cmd_edit.c */
extern const struct command report_commands[];   /* cmd_report.c */

/* --within DAYS (cmd_deadline.c): how near a decision date counts, 14
 * unless given, with --limit and --after; opts is a struct within.
 * within_request parses them as a command's only flags and sends op with
 * {"within": days} and the page. */
struct within {
    long days;
    struct page_opts page;
};
extern const struct flag within_flags[];
bool within_flag(struct args *a, void *opts, int key);
int within_request(struct cli *cli, const struct command *cmd, int argc, char **argv,
                   const char *op, cli_print_fn print);

#endif
