/*
 * cmd-peers.h — the parts of gm peers (docs/tools/peers.md): a run's bench.json read
 * and rewritten (cmd-peers.c, with the go and unavailable modes) and the table
 * (cmd-peers-table.c).
 */
#ifndef GM_CMD_PEERS_H
#define GM_CMD_PEERS_H

#include <jansson.h>
#include <stddef.h>

json_t *load_run(const char *rundir, char *path, size_t pathlen);
const char *ctx_str(json_t *root, const char *key);
int is_go_peer(const char *run_name);
int peers_table(int argc, char **argv);

#endif
