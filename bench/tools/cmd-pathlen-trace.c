/*
 * cmd-pathlen-trace.c — gm pathlen qemu and gm pathlen callgrind (docs/tools/pathlen.md):
 * instruction traces and callgrind dumps into per-region records with a tally per
 * symbol.  The QEMU trace is read as a stream (billions of lines): names are interned
 * once, consecutive instructions of one symbol reuse its id, and code without a trace
 * symbol is named from the guest's maps and nm, cached per pc.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-pathlen.h"
#include "util/util.h"

/* ------------------------------------------------------------------ interned names */

char **names;
static size_t nnames, cap_names;
static size_t *htab;          /* id + 1, 0 = empty */
static size_t hcap;

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

size_t intern(const char *s)
{
	if (nnames * 2 >= hcap) {
		size_t ncap = hcap ? hcap * 2 : 4096;
		size_t *nt = calloc(ncap, sizeof *nt);
		if (!nt)
			die("out of memory");
		for (size_t i = 0; i < nnames; i++) {
			size_t j = hash_str(names[i]) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = i + 1;
		}
		free(htab);
		htab = nt;
		hcap = ncap;
	}
	size_t j = hash_str(s) & (hcap - 1);
	while (htab[j]) {
		if (!strcmp(names[htab[j] - 1], s))
			return htab[j] - 1;
		j = (j + 1) & (hcap - 1);
	}
	if (nnames == cap_names) {
		cap_names = cap_names ? cap_names * 2 : 1024;
		names = xrealloc(names, cap_names * sizeof *names);
	}
	names[nnames] = xstrdup(s);
	htab[j] = nnames + 1;
	return nnames++;
}

/* A per-region tally of counts by name id. */
struct tally {
	uint64_t *cnt;
	size_t cap;
	size_t *touched;
	size_t ntouched, captouched;
	uint64_t total;
};

static void tally_add(struct tally *t, size_t id, uint64_t n)
{
	if (id >= t->cap) {
		size_t ncap = t->cap ? t->cap : 1024;
		while (ncap <= id)
			ncap *= 2;
		t->cnt = xrealloc(t->cnt, ncap * sizeof *t->cnt);
		memset(t->cnt + t->cap, 0, (ncap - t->cap) * sizeof *t->cnt);
		t->cap = ncap;
	}
	if (!t->cnt[id]) {
		if (t->ntouched == t->captouched) {
			t->captouched = t->captouched ? t->captouched * 2 : 256;
			t->touched = xrealloc(t->touched, t->captouched * sizeof *t->touched);
		}
		t->touched[t->ntouched++] = id;
	}
	t->cnt[id] += n;
	t->total += n;
}

static void tally_reset(struct tally *t)
{
	for (size_t i = 0; i < t->ntouched; i++)
		t->cnt[t->touched[i]] = 0;
	t->ntouched = 0;
	t->total = 0;
}

static void tally_print(FILE *f, const struct tally *t, char tag)
{
	for (size_t i = 0; i < t->ntouched; i++) {
		size_t id = t->touched[i];
		fprintf(f, "S %c %" PRIu64 " %s\n", tag, t->cnt[id], names[id]);
	}
}

/* ------------------------------------------------------------------ guest maps + nm */

struct gsym { uint64_t addr, size; size_t id; };
struct gobj {
	char *path, *base_name;
	uint64_t base;
	struct gsym *syms;
	size_t nsyms;
	int loaded;
};
struct gmap { uint64_t lo, hi; struct gobj *obj; };

static struct gmap *maps;
static size_t nmaps;
static struct gobj **objs;
static size_t nobjs;
static const char *nm_tool = "nm";

static int gsym_cmp(const void *a, const void *b)
{
	const struct gsym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void obj_load_syms(struct gobj *o)
{
	o->loaded = 1;
	for (int pass = 0; pass < 2 && !o->nsyms; pass++) {
		char cmd[4096];
		snprintf(cmd, sizeof cmd, "%s %s --defined-only -S '%s' 2>/dev/null", nm_tool,
			 pass ? "-D" : "", o->path);
		FILE *p = popen(cmd, "r");
		if (!p)
			continue;
		char line[1024];
		size_t cap = 0;
		while (fgets(line, sizeof line, p)) {
			char a[64], s[64], ty[8], nm[900];
			if (sscanf(line, "%63s %63s %7s %899s", a, s, ty, nm) != 4)
				continue;
			if (!strchr("TtWwi", ty[0]))
				continue;
			if (o->nsyms == cap) {
				cap = cap ? cap * 2 : 256;
				o->syms = xrealloc(o->syms, cap * sizeof *o->syms);
			}
			nm[strcspn(nm, "@")] = 0;	/* name@@GLIBC_2.17 -> name */
			char full[1100];
			/* shared objects' names carry the object; the executable's stand alone */
			if (strstr(o->base_name, ".so"))
				snprintf(full, sizeof full, "%s@%s", nm, o->base_name);
			else
				snprintf(full, sizeof full, "%s", nm);
			o->syms[o->nsyms].addr = strtoull(a, NULL, 16);
			o->syms[o->nsyms].size = strtoull(s, NULL, 16);
			o->syms[o->nsyms].id = intern(full);
			o->nsyms++;
		}
		pclose(p);
	}
	/* an object nm cannot read has no symbols (and qsort of NULL is undefined) */
	if (o->nsyms)
		qsort(o->syms, o->nsyms, sizeof *o->syms, gsym_cmp);
}

static void load_maps(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		unsigned long long lo, hi, off;
		char perms[8];
		int n = 0;
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &lo, &hi, perms, &off, &n) < 4 || !n)
			continue;
		char *p = line + n;
		p[strcspn(p, "\n")] = 0;
		if (*p != '/')
			continue;
		struct gobj *o = NULL;
		for (size_t i = 0; i < nobjs; i++)
			if (!strcmp(objs[i]->path, p))
				o = objs[i];
		if (!o) {
			o = calloc(1, sizeof *o);
			if (!o)
				die("out of memory");
			o->path = xstrdup(p);
			const char *b = strrchr(p, '/');
			o->base_name = xstrdup(b ? b + 1 : p);
			o->base = lo - off;
			objs = xrealloc(objs, (nobjs + 1) * sizeof *objs);
			objs[nobjs++] = o;
		}
		if (off == 0 && lo < o->base + off)
			o->base = lo;
		maps = xrealloc(maps, (nmaps + 1) * sizeof *maps);
		maps[nmaps].lo = lo;
		maps[nmaps].hi = hi;
		maps[nmaps].obj = o;
		nmaps++;
	}
	gm_read_end(f, path);
}

/* The name of the code at virtual address va of object o (nm symbol, else the object). */
static size_t obj_name(struct gobj *o, uint64_t va)
{
	if (!o->loaded)
		obj_load_syms(o);
	size_t lo = 0, hi = o->nsyms;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->syms[mid].addr <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && va < o->syms[lo - 1].addr + (o->syms[lo - 1].size ? o->syms[lo - 1].size : 1))
		return o->syms[lo - 1].id;
	char buf[600];
	snprintf(buf, sizeof buf, "(%s, no symbol: PLT or local code)", o->base_name);
	return intern(buf);
}

/* An object by path (callgrind names objects; its addresses are relative to them). */
static struct gobj *obj_by_path(const char *p)
{
	for (size_t i = 0; i < nobjs; i++)
		if (!strcmp(objs[i]->path, p))
			return objs[i];
	struct gobj *o = calloc(1, sizeof *o);
	if (!o)
		die("out of memory");
	o->path = xstrdup(p);
	const char *b = strrchr(p, '/');
	o->base_name = xstrdup(b ? b + 1 : p);
	objs = xrealloc(objs, (nobjs + 1) * sizeof *objs);
	objs[nobjs++] = o;
	return o;
}

static size_t resolve_pc(uint64_t pc)
{
	static size_t unknown = (size_t)-1;
	for (size_t i = 0; i < nmaps; i++)
		if (pc >= maps[i].lo && pc < maps[i].hi)
			return obj_name(maps[i].obj, pc - maps[i].obj->base);
	if (pc >= 0xffff0000u && pc < 0xffff1000u)	/* arm32 vector page: the kuser helpers */
		return intern("(kuser helper page: QEMU emulates each helper call as 1 traced instruction; __kuser_get_tls is 2 on hardware)");
	if (unknown == (size_t)-1)
		unknown = intern("(no file mapping: e.g. the signal-return trampoline)");
	return unknown;
}

/* A small direct-mapped cache pc -> name id for code without a trace symbol. */
#define PCCACHE 65536
static uint64_t pc_key[PCCACHE];
static size_t pc_val[PCCACHE];
static int maps_loaded;
static const char *maps_path;

static size_t name_unnamed(uint64_t pc)
{
	if (!maps_loaded && maps_path) {
		load_maps(maps_path);
		maps_loaded = 1;
	}
	size_t h = (size_t)((pc >> 2) ^ (pc >> 18)) & (PCCACHE - 1);
	if (pc_key[h] == pc + 1)
		return pc_val[h];
	size_t id = resolve_pc(pc);
	pc_key[h] = pc + 1;
	pc_val[h] = id;
	return id;
}

/* ------------------------------------------------------------------ qemu mode */

struct cpust { int counting; };

static int is_tstart(const size_t *ids, size_t n, size_t id)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

int pathlen_qemu(int argc, char **argv)
{
	/* tstart: the thread entries a new thread is counted from (comma-separated) */
	const char *begin = "gm_pl_begin", *end = "gm_pl_end", *tstart = "gm_thread_entry,gm_thread_entry_seed",
		   *tstop = "threadentry";
	for (int i = 1; i < argc; i++) {
		if (!gm_opt(argc, argv, &i, "--begin", &begin) && !gm_opt(argc, argv, &i, "--end", &end) &&
		    !gm_opt(argc, argv, &i, "--tstart", &tstart) && !gm_opt(argc, argv, &i, "--tstop", &tstop) &&
		    !gm_opt(argc, argv, &i, "--maps", &maps_path) && !gm_opt(argc, argv, &i, "--nm", &nm_tool))
			die_usage("qemu: unknown option %s", argv[i]);
	}
	size_t id_begin = intern(begin), id_end = intern(end);
	size_t id_unnamed = intern("(no symbol)");
	size_t id_tstarts[8], ntstart = 0, id_tstop = *tstop ? intern(tstop) : (size_t)-1;
	{
		char tl[512];
		snprintf(tl, sizeof tl, "%s", tstart);
		for (char *sp = tl, *t; (t = strsep(&sp, ",")) && ntstart < 8;)
			if (*t)
				id_tstarts[ntstart++] = intern(t);
	}
	size_t id_tstart = ntstart ? id_tstarts[0] : (size_t)-1;
#define IS_TSTART(id) is_tstart(id_tstarts, ntstart, (id))
	struct tally tm = { 0 }, to = { 0 };
	struct cpust *cpus = NULL;
	size_t ncpus = 0;
	int in = 0, mcpu = -1;
	long seq = 0;
	uint64_t lines = 0;
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	/* the symbol of the previous line: consecutive instructions share it */
	char last[512] = "";
	size_t last_id = 0;
	int have_last = 0;
	while ((len = getline(&line, &lcap, stdin)) > 0) {
		if (strncmp(line, "Trace ", 6))
			continue;
		lines++;
		char *p = line + 6;
		/* QEMU's vCPU index: bounded before it sizes the per-CPU array */
		long lcpu = strtol(p, &p, 10);
		if (lcpu < -1 || lcpu > 4095)
			die("qemu: trace line %" PRIu64 ": CPU %ld (0 to 4095)", lines, lcpu);
		int cpu = (int)lcpu;
		char *br = strchr(p, '[');
		if (!br)
			continue;
		char *slash = strchr(br, '/');
		if (!slash)
			continue;
		uint64_t pc = strtoull(slash + 1, NULL, 16);
		char *rb = strchr(slash, ']');
		if (!rb)
			continue;
		char *sym = rb + 1;
		while (*sym == ' ')
			sym++;
		sym[strcspn(sym, "\r\n")] = 0;
		size_t id;
		if (!*sym) {
			/* code of shared objects: named only where it is counted, once the driver
			 * has written its maps (before its first region) */
			int mine = (size_t)cpu < ncpus && cpu >= 0 && cpus[cpu].counting;
			id = (in || mine) ? name_unnamed(pc) : id_unnamed;
		}
		else if (have_last && !strcmp(sym, last))
			id = last_id;
		else {
			id = intern(sym);
			snprintf(last, sizeof last, "%s", sym);
			last_id = id;
			have_last = 1;
		}
		if (cpu < 0)
			continue;
		if ((size_t)cpu >= ncpus) {
			size_t n = ncpus ? ncpus : 16;
			while (n <= (size_t)cpu)
				n *= 2;
			cpus = xrealloc(cpus, n * sizeof *cpus);
			memset(cpus + ncpus, 0, (n - ncpus) * sizeof *cpus);
			ncpus = n;
		}
		if (!in) {
			if (id == id_begin) {
				in = 1;
				mcpu = cpu;
				tally_reset(&tm);
				tally_reset(&to);
				tally_add(&tm, id, 1);
			} else if (id_tstart != (size_t)-1) {
				/* keep other threads' state current outside regions too */
				if (!cpus[cpu].counting && IS_TSTART(id))
					cpus[cpu].counting = 1;
				else if (cpus[cpu].counting && id == id_tstop)
					cpus[cpu].counting = 0;
			}
			continue;
		}
		if (cpu == mcpu) {
			if (id == id_end) {
				printf("R %ld %" PRIu64 " %" PRIu64 "\n", seq++, tm.total, to.total);
				tally_print(stdout, &tm, 'm');
				tally_print(stdout, &to, 'o');
				printf("E\n");
				in = 0;
				continue;
			}
			tally_add(&tm, id, 1);
			continue;
		}
		if (id_tstart == (size_t)-1)
			continue;
		if (!cpus[cpu].counting && IS_TSTART(id))
			cpus[cpu].counting = 1;
		else if (cpus[cpu].counting && id == id_tstop)
			cpus[cpu].counting = 0;
		if (cpus[cpu].counting)
			tally_add(&to, id, 1);
	}
	free(line);
	gm_read_end(stdin, "qemu: the trace (standard input)");
	fprintf(stderr, "%s: qemu trace: %" PRIu64 " instructions read, %ld regions\n", gm_prog, lines, seq);
	if (in)
		die("qemu: the trace ended inside a region (the program died?)");
	return 0;
}

/* ------------------------------------------------------------------ callgrind mode */

struct cgfile { char *path; long part; long tid; };

static int cgfile_cmp(const void *a, const void *b)
{
	const struct cgfile *x = a, *y = b;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* "(n) rest" of a callgrind compressed name: n, or -1 without one; *v past it and its spaces */
static long cg_ref(char **v)
{
	long n = -1;
	if (**v == '(') {
		n = strtol(*v + 1, v, 10);
		if (**v == ')')
			(*v)++;
		while (**v == ' ')
			(*v)++;
	}
	return n;
}

/* Self cost per function of one callgrind dump; returns whether END appears by name. */
/* One callgrind dump file: self cost per function (or, with --dump-instr=yes and the
 * guest's maps, per symbol containing each instruction address: callgrind's own function
 * attribution follows its shadow call stack, which goroutine stack switches confuse).
 * Returns whether END appears by name; *trigger receives the dump's trigger. */
static int cg_read(const char *path, struct tally *t, const char *end, char *trigger, size_t tlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("callgrind: %s: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	size_t *cmap = NULL, ncmap = 0;   /* compressed names: (n) -> id */
	size_t cur = intern("(unknown)");
	int after_calls = 0, saw_end = 0, byaddr = 0;
	uint64_t addr = 0;
	trigger[0] = 0;
	static struct gobj *obmap[4096];
	struct gobj *curob = NULL;
	while (getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\r\n")] = 0;
		if (!strncmp(line, "positions:", 10)) {
			byaddr = strstr(line, "instr") != NULL;
			continue;
		}
		if (!strncmp(line, "desc: Trigger:", 14)) {
			snprintf(trigger, tlen, "%s", line + 14);
			continue;
		}
		if (!strncmp(line, "ob=", 3)) {
			/* the object the following addresses are relative to: ob=(n) path / ob=(n) */
			char *v = line + 3;
			long n = cg_ref(&v);
			if (n >= 0 && n < 4096) {
				if (*v)
					obmap[n] = obj_by_path(v);
				curob = obmap[n];
			} else if (*v)
				curob = obj_by_path(v);
			continue;
		}
		if (!strncmp(line, "cob=", 4)) {	/* names a called object: define it */
			char *v = line + 4;
			long n = cg_ref(&v);
			if (*v && n >= 0 && n < 4096)
				obmap[n] = obj_by_path(v);
			continue;
		}
		int isfn = !strncmp(line, "fn=", 3), iscfn = !strncmp(line, "cfn=", 4);
		if (isfn || iscfn) {
			char *v = line + (isfn ? 3 : 4);
			size_t id;
			if (*v == '(') {
				long n = cg_ref(&v);
				if (n < 0)
					n = 0;
				if (n > 1 << 24)	/* it sizes cmap: a corrupted dump, not a name table */
					die("callgrind: %s: compressed name (%ld) out of range", path, n);
				if ((size_t)n >= ncmap) {
					size_t nn = (size_t)n + 64;
					cmap = xrealloc(cmap, nn * sizeof *cmap);
					for (size_t i = ncmap; i < nn; i++)
						cmap[i] = (size_t)-1;
					ncmap = nn;
				}
				if (*v) {
					/* fn'2: callgrind's recursion context; the same function */
					char *q = strrchr(v, '\'');
					if (q && isdigit((unsigned char)q[1]))
						*q = 0;
					cmap[n] = intern(v);
				}
				id = cmap[n] == (size_t)-1 ? intern("(unknown)") : cmap[n];
			} else {
				char *q = strrchr(v, '\'');
				if (q && isdigit((unsigned char)q[1]))
					*q = 0;
				id = intern(v);
			}
			if (end && !strcmp(names[id], end))
				saw_end = 1;
			if (isfn)
				cur = id;
			continue;
		}
		if (!strncmp(line, "calls=", 6)) {
			after_calls = 1;
			continue;
		}
		char c = line[0];
		if (isdigit((unsigned char)c) || c == '+' || c == '-' || c == '*') {
			/* first position: the instruction address (absolute, +/- relative, or *) */
			char *p = line;
			if (byaddr) {
				if (*p == '+')
					addr += strtoull(p + 1, &p, 0);
				else if (*p == '-')
					addr -= strtoull(p + 1, &p, 0);
				else if (*p == '*')
					p++;
				else
					addr = strtoull(p, &p, 0);
			}
			if (after_calls) {	/* inclusive cost of a call: not self cost */
				after_calls = 0;
				continue;
			}
			char *last = strrchr(line, ' ');
			if (!last)
				continue;
			uint64_t v = strtoull(last + 1, NULL, 10);
			if (v)
				tally_add(t, byaddr && curob ? obj_name(curob, addr) : cur, v);
		}
	}
	free(line);
	free(cmap);
	gm_read_end(f, path);
	return saw_end;
}

/* Dumps NAME.PART[-TID], in part order.  gm_pl_begin dumps (the region starts) and
 * gm_pl_end dumps ("Client Request: gm_pl_region") bracket a region; dumps in between
 * (--dump-after=gm_thread_entry: a new thread's costs while it is alive) belong to it.
 * main = the marking thread's costs over the region's parts; others = the other threads'. */
int pathlen_callgrind(int argc, char **argv)
{
	const char *end = "gm_pl_end", *begin_trig = "gm_pl_begin", *end_trig = "gm_pl_region";
	struct cgfile *fs = NULL;
	size_t nfs = 0;
	for (int i = 1; i < argc; i++) {
		if (gm_opt(argc, argv, &i, "--end", &end) || gm_opt(argc, argv, &i, "--begin-trigger", &begin_trig) ||
		    gm_opt(argc, argv, &i, "--end-trigger", &end_trig) || gm_opt(argc, argv, &i, "--maps", &maps_path) ||
		    gm_opt(argc, argv, &i, "--nm", &nm_tool))
			continue;
		/* NAME.PART or NAME.PART-TID; NAME alone is the final dump at exit: skip it */
		const char *dot = strrchr(argv[i], '.');
		if (!dot || !isdigit((unsigned char)dot[1]))
			continue;
		char *e;
		long part = strtol(dot + 1, &e, 10);
		long tid = 1;
		if (*e == '-')
			tid = strtol(e + 1, &e, 10);
		if (*e)
			continue;
		fs = xrealloc(fs, (nfs + 1) * sizeof *fs);
		fs[nfs].path = argv[i];
		fs[nfs].part = part;
		fs[nfs].tid = tid;
		nfs++;
	}
	qsort(fs, nfs, sizeof *fs, cgfile_cmp);
	char bt[200], et[200];
	snprintf(bt, sizeof bt, "Client Request: %s", begin_trig);
	snprintf(et, sizeof et, "Client Request: %s", end_trig);
	/* tallies per thread id over the current region */
	struct tally th[64];
	memset(th, 0, sizeof th);
	int in = 0;
	long seq = 0, mtid = -1;
	for (size_t i = 0; i < nfs;) {
		size_t j = i;
		while (j < nfs && fs[j].part == fs[i].part)
			j++;
		char trig[256] = "";
		int isbegin = 0, isend = 0;
		for (size_t k = i; k < j; k++) {
			struct tally tmp = { 0 };
			char tg[256];
			int saw = cg_read(fs[k].path, &tmp, end, tg, sizeof tg);
			if (tg[0])
				snprintf(trig, sizeof trig, "%s", tg);
			isbegin |= strstr(tg, bt) != NULL;
			isend |= strstr(tg, et) != NULL;
			long tid = fs[k].tid < 0 ? 0 : fs[k].tid < 64 ? fs[k].tid : 63;
			if (in && !isbegin) {
				for (size_t x = 0; x < tmp.ntouched; x++)
					tally_add(&th[tid], tmp.touched[x], tmp.cnt[tmp.touched[x]]);
				if (saw && isend)
					mtid = tid;
			}
			free(tmp.cnt);
			free(tmp.touched);
		}
		if (isbegin) {
			for (int x = 0; x < 64; x++)
				tally_reset(&th[x]);
			in = 1;
			mtid = -1;
		} else if (isend && in) {
			if (mtid < 0) {	/* END not named: the busiest thread */
				mtid = 0;
				for (int x = 1; x < 64; x++)
					if (th[x].total > th[mtid].total)
						mtid = x;
			}
			uint64_t others = 0;
			for (int x = 0; x < 64; x++)
				if (x != mtid)
					others += th[x].total;
			printf("R %ld %" PRIu64 " %" PRIu64 "\n", seq++, th[mtid].total, others);
			tally_print(stdout, &th[mtid], 'm');
			for (int x = 0; x < 64; x++)
				if (x != mtid)
					tally_print(stdout, &th[x], 'o');
			printf("E\n");
			in = 0;
		}
		i = j;
	}
	free(fs);
	fprintf(stderr, "%s: callgrind: %ld regions\n", gm_prog, seq);
	return 0;
}

