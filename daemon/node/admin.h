/* admin: the node administrator's one-off commands (keys and people). */
#ifndef MPOOL_ADMIN_H
#define MPOOL_ADMIN_H

/* Each returns a process exit status and prints one line on error. */
int admin_keygen(int argc, char **argv);
int admin_pool_secret(int argc, char **argv);
int admin_show_keys(const char *config_path);
int admin_user_add(const char *config_path, int argc, char **argv);
int admin_user_remove(const char *config_path, int argc, char **argv);

#endif
