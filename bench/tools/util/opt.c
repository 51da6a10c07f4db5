/*
 * opt.c — the one option parser of gm: every command takes --opt value and --opt=value
 * (docs/tools/gm.md).  Commands walk argv themselves and ask, option by option,
 * because their positional arguments differ too much for one table (OLD -- NEW files,
 * files after options, options after files).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int gm_optn(int argc, char **argv, int *i, const char *name, int n, const char **vals)
{
	const char *a = argv[*i];
	size_t l = strlen(name);
	if (strncmp(a, name, l) || (a[l] && a[l] != '='))
		return 0;
	int k = 0;
	if (a[l] == '=')
		vals[k++] = a + l + 1;
	if (*i + (n - k) >= argc)
		die_usage("option %s needs %s", name, n == 1 ? "a value" : "more values");
	for (; k < n; k++)
		vals[k] = argv[++*i];
	return 1;
}

int gm_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	return gm_optn(argc, argv, i, name, 1, val);
}

int gm_flag(char **argv, int i, const char *name)
{
	return !strcmp(argv[i], name);
}

double gm_parse_double(const char *opt, const char *text, const char *what)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (!*text || *end || errno || !isfinite(v))
		die_usage("%s %s: %s", opt, text, what);
	return v;
}

int gm_run_mode(int argc, char **argv, int (*dflt)(int, char **), const struct gm_mode *modes)
{
	if (argc >= 2)
		for (size_t i = 0; modes[i].word; i++)
			if (!strcmp(argv[1], modes[i].word))
				return modes[i].fn(argc - 1, argv + 1);
	if (dflt)
		return dflt(argc, argv);
	if (argc < 2)
		die_usage("which mode?");
	die_usage("unknown mode '%s'", argv[1]);
}

int gm_split(char *line, const char *sep, char **fld, int max)
{
	int nf = 0;
	line[strcspn(line, "\n")] = 0;
	for (char *s = line, *t; nf < max && (t = strsep(&s, sep));)
		fld[nf++] = t;
	return nf;
}

const char *gm_one_arg(int argc, char **argv, const char *opt, const char **val, const char *what)
{
	const char *arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, opt, val))
			continue;
		if (arg)
			die_usage("%s takes one %s", argv[0], what);
		arg = argv[i];
	}
	if (!arg)
		die_usage("%s takes one %s", argv[0], what);
	return arg;
}
