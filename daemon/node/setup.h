/* setup: a node's first configuration, and the pool's roster.
 *
 * `mpoold init` writes the layout the systemd unit expects: DIR (default
 * /etc/mpoold) with mpoold.conf, users.ini and roster.ini, and the node key
 * in DIR/credentials, the folder the unit hands over as credentials. It
 * prints the node's section for the pool's roster.
 *
 * `mpoold roster add FILE...` appends such sections to the roster named by
 * the configuration; `mpoold roster check` says whether the roster holds
 * this node with its keys, and the coordinator. */
#ifndef MPOOL_SETUP_H
#define MPOOL_SETUP_H

/* Each returns a process exit status and prints one line on error. */
int setup_init(int argc, char **argv);
int setup_roster(const char *config_path, int argc, char **argv);

#endif
