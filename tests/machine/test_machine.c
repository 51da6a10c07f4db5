/*
 * test_machine.c — bench/host/machine.c on made-up machines (tests/machine/run.sh builds them
 * under a temporary folder and points GM_SYSFS / GM_PROCFS there).
 *
 *   test_machine cpus                  the CPUs, the default choice, one per core type
 *   test_machine judge BEFORE AFTER N  read CPU N's state under BEFORE then AFTER (each a
 *                                      folder holding sys/ and proc/), print the warnings
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../bench/host/machine.h"

static void use_root(const char *root)
{
	char s[4096], p[4096];
	snprintf(s, sizeof s, "%s/sys", root);
	snprintf(p, sizeof p, "%s/proc", root);
	setenv("GM_SYSFS", s, 1);
	setenv("GM_PROCFS", p, 1);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "cpus")) {
		static struct gm_cpus c;
		if (gm_cpus_read(&c) != 0) {
			printf("no cpus\n");
			return 1;
		}
		for (int i = 0; i < c.n; i++)
			printf("cpu %d: %s [%s] capacity %ld max %ld\n", c.cpu[i].cpu, c.cpu[i].type, c.cpu[i].id,
			       c.cpu[i].capacity, c.cpu[i].max_khz);
		char why[400];
		printf("default %d: %s\n", gm_cpu_choose(&c, why, sizeof why), why);
		int t[GM_MAXCPUS], n = gm_cpu_types(&c, t, GM_MAXCPUS);
		printf("types");
		for (int i = 0; i < n; i++)
			printf(" %d", t[i]);
		printf("\n");
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "judge")) {
		int cpu = atoi(argv[4]);
		struct gm_mstate b, a;
		use_root(argv[2]);
		gm_mstate_read(cpu, &b);
		use_root(argv[3]);
		gm_mstate_read(cpu, &a);
		char warn[4096];
		int n = gm_mstate_judge(&b, &a, warn, sizeof warn);
		printf("%d warnings\n%s%s", n, warn, n ? "\n" : "");
		static struct gm_cpus c;
		gm_cpus_read(&c);
		gm_mstate_json(stderr, &c, cpu, "test", 1, &b, &a, warn);
		return 0;
	}
	fprintf(stderr, "usage: test_machine cpus | judge BEFORE AFTER CPU\n");
	return 2;
}
