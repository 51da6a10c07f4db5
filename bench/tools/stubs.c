int cmd_peers(int argc, char **argv) { (void)argc; (void)argv; return 0; }
int cmd_icount(int argc, char **argv) { (void)argc; (void)argv; return 0; }
int cmd_kind(int argc, char **argv) { (void)argc; (void)argv; return 0; }
