/*
 * cmd-kind.c — gm kind (docs/tools/kind.md): the kind of a result file, one word (and
 * for a comparison its mode), so scripts ask the tool instead of grepping JSON.  The
 * kinds are the loaders' formats (util/load.h): a file is of a kind when its loader
 * would take it.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "util/load.h"
#include "util/util.h"

int cmd_kind(int argc, char **argv)
{
	if (argc != 2)
		die_usage("kind takes one FILE");
	struct gm_lerr e;
	json_t *j = gm_load(argv[1], GM_GB, &e);
	if (!j)
		die("%s: %s (line %d)", argv[1], e.text, e.line);
	const char *kind = gm_jstr0(j, "kind");
	json_t *machine = json_object_get(j, "machine");
	if (!strcmp(kind, "gmbench-pathlen"))
		printf("pathlen\n");
	else if (!strcmp(kind, "gmbench-predict"))
		printf("predict\n");
	else if (!strcmp(gm_jstr0(j, "tool"), "gmcompare"))
		/* a count-only comparison has no timing mode */
		printf("compare %s\n", gm_jstr(j, "mode") ? gm_jstr(j, "mode") : "count");
	else if (json_is_integer(json_object_get(j, "gmpair")))
		printf("pair\n");
	else if (json_is_array(json_object_get(j, "benchmarks")) && json_is_object(json_object_get(j, "context")))
		printf("bench\n");
	else if (json_object_get(j, "cpu_measured") && json_object_get(j, "warnings"))
		printf("machine\n");
	else if (json_is_string(json_object_get(j, "gm_port")) && json_is_object(machine))
		printf("context\n");
	else
		printf("unknown\n");
	json_decref(j);
	return 0;
}
