/*
 * gmpathlen.c — host tool of `make pathlen` and `make predict`.
 *
 *   gmpathlen qemu [--begin SYM] [--end SYM] [--tstart SYM[,SYM...] --tstop SYM] [--maps FILE] [--nm NM]
 *       Reads a QEMU exec trace (qemu-* -singlestep -d nochain,exec: one "Trace CPU: HOST
 *       [FLAGS/PC/...] SYMBOL" line per executed guest instruction) on stdin, streaming, and
 *       writes one record per marked region: instructions of the marking thread ("main",
 *       from the first instruction of BEGIN to the first of END) and of other threads while
 *       inside TSTART until they reach TSTOP ("others"), each with a per-symbol tally.
 *       Code without a symbol in the trace (shared objects) is named from the guest's
 *       /proc/self/maps copy (--maps) and NM's symbol table of the object.
 *   gmpathlen callgrind [--end SYM] FILE...
 *       The same records from callgrind dumps (one dump per region; --separate-threads=yes
 *       files NAME.PART-TID): the thread that ran END is "main", the others "others".
 *   gmpathlen report --arch A --port P --k K --reps R --method TEXT --cases FILE
 *                    --gm LABELS COUNTS METHOD... [--go-method TEXT] [--go LABELS COUNTS]...
 *                    [--go-unavailable WHY] [--meta KEY VALUE]... --json F --txt F --dat F
 *       Pairs regions with counts, differences the K and 2K regions of every case, writes
 *       pathlen.json, the table pathlen.txt and the plot data.
 *   gmpathlen check-pathlen FILE | check-predict FILE
 *       Checks the shape of a pathlen.json / predict.json; prints ok/not ok lines.
 *   gmpathlen same-counts A.json B.json
 *       ok/not ok per case: identical instructions per operation in two runs.
 *   gmpathlen mca-input < llvm-objdump-output
 *       Turns one symbol's disassembly into llvm-mca input: the path from the entry to
 *       the first return or tail jump, comments and addresses removed, branch targets
 *       replaced by a local label.
 *   gmpathlen predict-report --json F --txt F --dat F --meta KEY VALUE... RECORDS...
 *       Collects llvm-mca results (lines written by scripts/predict.sh) into predict.*.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "gmpathlen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		die("out of memory");
	return d;
}

/* ------------------------------------------------------------------ interned names */

static char **names;
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

static size_t intern(const char *s)
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
	fclose(f);
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

static int cmd_qemu(int argc, char **argv)
{
	/* tstart: the thread entries a new thread is counted from (comma-separated) */
	const char *begin = "gm_pl_begin", *end = "gm_pl_end", *tstart = "gm_thread_entry,gm_thread_entry_seed",
		   *tstop = "threadentry";
	for (int i = 0; i < argc; i++) {
		if (i + 1 >= argc)
			die("qemu: %s needs a value", argv[i]);
		if (!strcmp(argv[i], "--begin"))
			begin = argv[++i];
		else if (!strcmp(argv[i], "--end"))
			end = argv[++i];
		else if (!strcmp(argv[i], "--tstart"))
			tstart = argv[++i];
		else if (!strcmp(argv[i], "--tstop"))
			tstop = argv[++i];
		else if (!strcmp(argv[i], "--maps"))
			maps_path = argv[++i];
		else if (!strcmp(argv[i], "--nm"))
			nm_tool = argv[++i];
		else
			die("qemu: unknown option %s", argv[i]);
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
		int cpu = (int)strtol(p, &p, 10);
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
	fprintf(stderr, "gmpathlen: qemu trace: %" PRIu64 " instructions read, %ld regions\n", lines, seq);
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
			long n = -1;
			if (*v == '(') {
				n = strtol(v + 1, &v, 10);
				if (*v == ')')
					v++;
				while (*v == ' ')
					v++;
			}
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
			if (*v == '(') {
				long n = strtol(v + 1, &v, 10);
				if (*v == ')')
					v++;
				while (*v == ' ')
					v++;
				if (*v && n >= 0 && n < 4096)
					obmap[n] = obj_by_path(v);
			}
			continue;
		}
		int isfn = !strncmp(line, "fn=", 3), iscfn = !strncmp(line, "cfn=", 4);
		if (isfn || iscfn) {
			char *v = line + (isfn ? 3 : 4);
			size_t id;
			if (*v == '(') {
				long n = strtol(v + 1, &v, 10);
				if (*v == ')')
					v++;
				while (*v == ' ')
					v++;
				if (n < 0)
					n = 0;
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
	fclose(f);
	return saw_end;
}

/* Dumps NAME.PART[-TID], in part order.  gm_pl_begin dumps (the region starts) and
 * gm_pl_end dumps ("Client Request: gm_pl_region") bracket a region; dumps in between
 * (--dump-after=gm_thread_entry: a new thread's costs while it is alive) belong to it.
 * main = the marking thread's costs over the region's parts; others = the other threads'. */
static int cmd_callgrind(int argc, char **argv)
{
	const char *end = "gm_pl_end", *begin_trig = "gm_pl_begin", *end_trig = "gm_pl_region";
	struct cgfile *fs = NULL;
	size_t nfs = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--end") && i + 1 < argc) {
			end = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--begin-trigger") && i + 1 < argc) {
			begin_trig = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--end-trigger") && i + 1 < argc) {
			end_trig = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--maps") && i + 1 < argc) {
			maps_path = argv[++i];
			continue;
		}
		if (!strcmp(argv[i], "--nm") && i + 1 < argc) {
			nm_tool = argv[++i];
			continue;
		}
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
			long tid = fs[k].tid < 64 ? fs[k].tid : 63;
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
	fprintf(stderr, "gmpathlen: callgrind: %ld regions\n", seq);
	return 0;
}

/* ------------------------------------------------------------------ report mode */

struct rsym { size_t id; uint64_t n; };
struct region {
	char name[200];
	const char *method;
	long n;
	uint64_t main, others;
	struct rsym *m, *o;
	size_t nm, no;
};

struct rlist { struct region *r; size_t n; };

static void read_pair(const char *labels, const char *counts, const char *method, struct rlist *out)
{
	FILE *fl = fopen(labels, "r"), *fc = fopen(counts, "r");
	if (!fl)
		die("report: %s: %s", labels, strerror(errno));
	if (!fc)
		die("report: %s: %s", counts, strerror(errno));
	char line[2048];
	size_t start = out->n;
	while (fgets(line, sizeof line, fl)) {
		char w[16], name[200];
		long n;
		if (sscanf(line, "%15s %199s %ld", w, name, &n) != 3 || strcmp(w, "region"))
			continue;
		out->r = xrealloc(out->r, (out->n + 1) * sizeof *out->r);
		struct region *r = &out->r[out->n++];
		memset(r, 0, sizeof *r);
		snprintf(r->name, sizeof r->name, "%s", name);
		r->method = method;
		r->n = n;
	}
	fclose(fl);
	size_t i = start;
	struct region *cur = NULL;
	size_t nrec = 0;
	while (fgets(line, sizeof line, fc)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] == 'R') {
			long seq;
			unsigned long long m, o;
			if (sscanf(line, "R %ld %llu %llu", &seq, &m, &o) != 3)
				die("report: %s: bad record '%s'", counts, line);
			nrec++;
			if (i >= out->n) {
				cur = NULL;
				continue;
			}
			cur = &out->r[i++];
			cur->main = m;
			cur->others = o;
		} else if (line[0] == 'S' && cur) {
			char tag;
			unsigned long long v;
			int off = 0;
			if (sscanf(line, "S %c %llu %n", &tag, &v, &off) < 2 || !off)
				continue;
			struct rsym s = { intern(line + off), v };
			if (tag == 'm') {
				cur->m = xrealloc(cur->m, (cur->nm + 1) * sizeof *cur->m);
				cur->m[cur->nm++] = s;
			} else {
				cur->o = xrealloc(cur->o, (cur->no + 1) * sizeof *cur->o);
				cur->o[cur->no++] = s;
			}
		}
	}
	fclose(fc);
	if (nrec != out->n - start)
		die("report: %s has %zu regions but %s counted %zu: the run is incomplete or the markers "
		    "were not seen", labels, out->n - start, counts, nrec);
}

static uint64_t region_value(const struct region *r, int thread)
{
	return thread ? r->others : r->main;
}

/* Per-op result of a case from its regions. */
struct result {
	int ok;            /* had K and 2K regions */
	int exact;         /* all repetitions agree and the difference divides by K */
	double perop;
	long long diff;    /* I(2K) - I(K) */
	uint64_t ik, i2k, spread;
	const char *method;
	int unit;
	json_t *syms;      /* name -> per-op */
};

static int rsym_cmp_desc(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	double u = json_number_value(json_array_get(x, 1)), v = json_number_value(json_array_get(y, 1));
	return u < v ? 1 : u > v ? -1 : 0;
}

static struct result compute(const struct rlist *rl, const char *name, long k, int thread, int unit)
{
	struct result res = { 0 };
	const struct region *bk = NULL, *b2 = NULL;
	uint64_t mink = UINT64_MAX, maxk = 0, min2 = UINT64_MAX, max2 = 0;
	for (size_t i = 0; i < rl->n; i++) {
		const struct region *r = &rl->r[i];
		if (strcmp(r->name, name))
			continue;
		uint64_t v = region_value(r, thread);
		if (r->n == k) {
			if (v < mink) { mink = v; bk = r; }
			if (v > maxk) maxk = v;
		} else if (r->n == 2 * k) {
			if (v < min2) { min2 = v; b2 = r; }
			if (v > max2) max2 = v;
		}
	}
	if (!bk || !b2)
		return res;
	res.ok = 1;
	res.method = bk->method;
	res.ik = mink;
	res.i2k = min2;
	res.diff = (long long)min2 - (long long)mink;
	res.perop = (double)res.diff / (double)k;
	res.spread = (maxk - mink) > (max2 - min2) ? maxk - mink : max2 - min2;
	res.exact = res.spread == 0 && (res.diff * unit) % k == 0;
	res.unit = unit;
	/* per symbol: 2K tally minus K tally, per op */
	json_t *acc = json_object();
	const struct rsym *s1 = thread ? bk->o : bk->m, *s2 = thread ? b2->o : b2->m;
	size_t n1 = thread ? bk->no : bk->nm, n2 = thread ? b2->no : b2->nm;
	for (size_t i = 0; i < n2; i++) {
		json_t *v = json_object_get(acc, names[s2[i].id]);
		double x = (v ? json_number_value(v) : 0) + (double)s2[i].n;
		json_object_set_new(acc, names[s2[i].id], json_real(x));
	}
	for (size_t i = 0; i < n1; i++) {
		json_t *v = json_object_get(acc, names[s1[i].id]);
		double x = (v ? json_number_value(v) : 0) - (double)s1[i].n;
		json_object_set_new(acc, names[s1[i].id], json_real(x));
	}
	/* sorted by cost, zero entries dropped */
	size_t na = json_object_size(acc), m = 0;
	json_t **arr = calloc(na + 1, sizeof *arr);
	const char *key;
	json_t *val;
	json_object_foreach(acc, key, val) {
		double x = json_number_value(val) / (double)k;
		if (fabs(x) < 1e-9)
			continue;
		arr[m++] = json_pack("[s f]", key, x);
	}
	qsort(arr, m, sizeof *arr, rsym_cmp_desc);
	res.syms = json_object();
	for (size_t i = 0; i < m; i++) {
		double x = json_number_value(json_array_get(arr[i], 1));
		json_t *num = (x == floor(x)) ? json_integer((json_int_t)x) : json_real(round(x * 100) / 100);
		json_object_set_new(res.syms, json_string_value(json_array_get(arr[i], 0)), num);
		json_decref(arr[i]);
	}
	free(arr);
	json_decref(acc);
	return res;
}

static json_t *perop_json(const struct result *r)
{
	if (!r->ok)
		return json_null();
	if (r->exact && r->perop == floor(r->perop))
		return json_integer((json_int_t)llround(r->perop));
	if (r->exact)
		return json_real(r->perop);
	return json_real(round(r->perop * 10) / 10);
}

struct gmcase {
	char name[200], suite[48], transition[64], variant[64], flags[64], measure[16];
	int unit;          /* operations per repeating unit (2: a switch round trip) */
};

static int has_flag(const struct gmcase *c, const char *f)
{
	char buf[80];
	snprintf(buf, sizeof buf, ",%s,", c->flags);
	char pat[40];
	snprintf(pat, sizeof pat, ",%s,", f);
	return strstr(buf, pat) != NULL;
}

/* gmbench transition -> the Go program's case */
static const struct { const char *transition, *gocase, *what; } go_map[] = {
	{ "switch/reschedule", "gosched", "runtime.Gosched, one goroutine (one reschedule)" },
	{ "cgocall/cgocall", "cgocall", "cgo call of an empty C function" },
	{ "callback/crosscall2", "callback", "C -> Go callback of an exported Go function, per callback" },
	{ "callback/go-c-go", "gocgo", "Go -> C -> Go round trip" },
};

static const char *fmt_val(char *buf, size_t len, const struct result *r)
{
	if (!r || !r->ok)
		snprintf(buf, len, "-");
	else if (r->exact && r->perop == floor(r->perop))
		snprintf(buf, len, "%lld", (long long)llround(r->perop));
	else if (r->exact)
		snprintf(buf, len, "%.1f", r->perop);
	else
		snprintf(buf, len, "~%.1f", r->perop);
	return buf;
}

static int cmd_report(int argc, char **argv)
{
	const char *arch = NULL, *port = NULL, *method = "", *go_method = "", *cases_path = NULL,
		   *json_path = NULL, *txt_path = NULL, *dat_path = NULL, *go_unavail = NULL;
	long k = 0, reps = 0;
	struct rlist gm = { 0 }, go = { 0 };
	json_t *meta = json_object();
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
#define ARG1(opt, var) else if (!strcmp(a, opt) && i + 1 < argc) var = argv[++i]
		if (0) {}
		ARG1("--arch", arch);
		ARG1("--port", port);
		ARG1("--method", method);
		ARG1("--go-method", go_method);
		ARG1("--cases", cases_path);
		ARG1("--json", json_path);
		ARG1("--txt", txt_path);
		ARG1("--dat", dat_path);
		ARG1("--go-unavailable", go_unavail);
		else if (!strcmp(a, "--k") && i + 1 < argc)
			k = atol(argv[++i]);
		else if (!strcmp(a, "--reps") && i + 1 < argc)
			reps = atol(argv[++i]);
		else if (!strcmp(a, "--gm") && i + 3 < argc) {
			read_pair(argv[i + 1], argv[i + 2], argv[i + 3], &gm);
			i += 3;
		} else if (!strcmp(a, "--go") && i + 2 < argc) {
			read_pair(argv[i + 1], argv[i + 2], go_method, &go);
			i += 2;
		} else if (!strcmp(a, "--meta") && i + 2 < argc) {
			json_object_set_new(meta, argv[i + 1], json_string(argv[i + 2]));
			i += 2;
		} else
			die("report: bad argument '%s'", a);
#undef ARG1
	}
	if (!arch || !port || !cases_path || !json_path || !txt_path || k < 1)
		die("report: --arch, --port, --cases, --k, --json and --txt are required");

	/* the cases and the unavailable ones, from the driver's output */
	struct gmcase *cs = NULL;
	size_t ncs = 0;
	json_t *unavail = json_array(), *context = json_object();
	FILE *f = fopen(cases_path, "r");
	if (!f)
		die("report: %s: %s", cases_path, strerror(errno));
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *fld[8] = { 0 };
		int nf = 0;
		for (char *s = line, *t; nf < 8 && (t = strsep(&s, "\t"));)
			fld[nf++] = t;
		if (nf >= 7 && !strcmp(fld[0], "case")) {
			cs = xrealloc(cs, (ncs + 1) * sizeof *cs);
			struct gmcase *c = &cs[ncs++];
			snprintf(c->name, sizeof c->name, "%s", fld[1]);
			snprintf(c->suite, sizeof c->suite, "%s", fld[2]);
			snprintf(c->transition, sizeof c->transition, "%s", fld[3]);
			snprintf(c->variant, sizeof c->variant, "%s", fld[4]);
			snprintf(c->flags, sizeof c->flags, "%s", fld[5]);
			snprintf(c->measure, sizeof c->measure, "%s", fld[6]);
			c->unit = nf >= 8 ? atoi(fld[7]) : 1;
			if (c->unit < 1)
				c->unit = 1;
		} else if (nf >= 3 && !strcmp(fld[0], "unavailable"))
			json_array_append_new(unavail, json_pack("{s:s s:s}", "name", fld[1], "why", fld[2]));
		else if (nf >= 3 && !strcmp(fld[0], "context"))
			json_object_set_new(context, fld[1], json_string(fld[2]));
	}
	fclose(f);
	if (!ncs)
		die("report: %s lists no case", cases_path);

	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string("gmbench-pathlen"));
	json_object_set_new(root, "what", json_string("exact instructions executed per operation, counted "
		"under emulation/instrumentation: not timings, not cycles"));
	json_object_set_new(root, "arch", json_string(arch));
	json_object_set_new(root, "port", json_string(port));
	json_object_set_new(root, "method", json_string(method));
	json_object_set_new(root, "k", json_integer(k));
	json_object_set_new(root, "reps", json_integer(reps));
	json_object_set_new(root, "meta", meta);
	json_t *jcases = json_array();
	struct result *res = calloc(ncs, sizeof *res);
	int nexact = 0;
	for (size_t i = 0; i < ncs; i++) {
		struct gmcase *c = &cs[i];
		int thread = !strcmp(c->measure, "thread");
		res[i] = compute(&gm, c->name, k, thread, c->unit);
		json_t *flags = json_array();
		char fl[64];
		snprintf(fl, sizeof fl, "%s", c->flags);
		for (char *s = fl, *t; (t = strsep(&s, ","));)
			if (*t && strcmp(t, "-"))
				json_array_append_new(flags, json_string(t));
		json_t *jc = json_pack("{s:s s:s s:s s:s s:s s:s s:o s:s s:o s:b}",
			"source", "gmbench", "port", port, "name", c->name, "suite", c->suite,
			"transition", c->transition, "variant", c->variant, "flags", flags,
			"counted", thread ? "the new thread, from entering its thread entry (gm_thread_entry, or "
					    "the variant's) until it returns" : "the calling thread",
			"instructions_per_op", perop_json(&res[i]), "exact", res[i].exact);
		json_object_set_new(jc, "method", json_string(res[i].method ? res[i].method : method));
		if (c->unit > 1) {
			json_object_set_new(jc, "ops_per_unit", json_integer(c->unit));
			json_object_set_new(jc, "unit", json_string("a round trip of two different switches (A to B, B to A)"));
			if (res[i].ok)
				json_object_set_new(jc, "instructions_per_unit", res[i].exact ?
					json_integer((json_int_t)llround(res[i].perop * c->unit)) : json_real(res[i].perop * c->unit));
		}
		if (res[i].ok) {
			json_object_set_new(jc, "region_instructions",
				json_pack("{s:I s:I}", "k", (json_int_t)res[i].ik, "2k", (json_int_t)res[i].i2k));
			json_object_set_new(jc, "repetition_spread", json_integer((json_int_t)res[i].spread));
			json_object_set_new(jc, "symbols", res[i].syms);
		} else
			json_object_set_new(jc, "error", json_string("no K/2K regions were counted for this case"));
		nexact += res[i].exact;
		json_array_append_new(jcases, jc);
	}
	json_object_set_new(root, "cases", jcases);
	json_object_set_new(root, "context", context);
	json_object_set_new(root, "unavailable", unavail);

	/* Go */
	json_t *jgo = json_object();
	struct result gores[sizeof go_map / sizeof go_map[0]];
	memset(gores, 0, sizeof gores);
	if (go_unavail) {
		json_object_set_new(jgo, "available", json_false());
		json_object_set_new(jgo, "why", json_string(go_unavail));
	} else {
		json_object_set_new(jgo, "available", json_true());
		json_object_set_new(jgo, "method", json_string(go_method));
		json_t *gc = json_array();
		for (size_t g = 0; g < sizeof go_map / sizeof go_map[0]; g++) {
			gores[g] = compute(&go, go_map[g].gocase, k, 0, 1);
			json_t *jc = json_pack("{s:s s:s s:s s:o s:b}", "source", "go", "name", go_map[g].gocase,
				"what", go_map[g].what, "instructions_per_op", perop_json(&gores[g]),
				"exact", gores[g].exact);
			if (gores[g].ok) {
				json_object_set_new(jc, "repetition_spread", json_integer((json_int_t)gores[g].spread));
				json_object_set_new(jc, "symbols", gores[g].syms);
			} else
				json_object_set_new(jc, "error", json_string("not counted (the Go program failed?)"));
			json_array_append_new(gc, jc);
		}
		json_object_set_new(jgo, "cases", gc);
	}
	json_object_set_new(root, "go", jgo);

	/* the per-transition table: gmbench (its Go-today variant, else its first that is not
	 * the seed's) / seed (the case its suite flagged as the 2012 seed's sequence; the
	 * column exists only where some case is: the seed is Linux/ARM code) / Go */
	int seed_column = 0;
	for (size_t i = 0; i < ncs; i++)
		seed_column |= has_flag(&cs[i], "seed");
	json_object_set_new(root, "seed_column", json_boolean(seed_column));
	if (!seed_column)
		json_object_set_new(root, "seed_note", json_string("no case of this port runs the 2012 seed's "
			"sequence: the seed (Go CL 5989057) is Linux/ARM code, modelled on the arm port only"));
	json_t *table = json_array();
	FILE *ft = fopen(txt_path, "w"), *fd = dat_path ? fopen(dat_path, "w") : NULL;
	if (!ft || (dat_path && !fd))
		die("report: cannot write %s", ft ? dat_path : txt_path);
	fprintf(ft, "gmbench path lengths: %s port (%s)\n", port, arch);
	fprintf(ft, "EXACT INSTRUCTIONS EXECUTED PER OPERATION, counted under emulation/instrumentation.\n"
		    "Not timings and not cycles: see docs/pathlen.md for what to trust when.\n");
	fprintf(ft, "method: %s\n", method);
	fprintf(ft, "K = %ld, %ld repetitions of the K and 2K regions; per op = (I(2K) - I(K)) / K; "
		    "'~' marks a count that was not exactly repeatable.\n\n", k, reps);
	if (seed_column) {
		fprintf(ft, "%-24s %-22s %-22s %s\n", "transition", "gmbench (variant)", "seed 2012 (variant)", "Go 1.19");
		fprintf(ft, "%-24s %-22s %-22s %s\n", "----------", "-----------------", "-------------------", "-------");
	} else {
		fprintf(ft, "%-24s %-22s %s\n", "transition", "gmbench (variant)", "Go 1.19");
		fprintf(ft, "%-24s %-22s %s\n", "----------", "-----------------", "-------");
	}
	if (fd)
		fprintf(fd, "# %s: instructions per operation (exact counts, not timings); '-' = none\n"
			    "# transition gmbench%s go\n", port, seed_column ? " seed" : "");
	char seen[64][160];
	int nseen = 0;
	for (size_t i = 0; i < ncs; i++) {
		char key[160];
		snprintf(key, sizeof key, "%s/%s", cs[i].suite, cs[i].transition);
		if (!strcmp(cs[i].suite, "peer"))
			continue;	/* other code: listed below, not a gmbench transition */
		int dup = 0;
		for (int s = 0; s < nseen; s++)
			dup |= !strcmp(seen[s], key);
		if (dup || nseen == 64)
			continue;
		snprintf(seen[nseen++], sizeof seen[0], "%s", key);
		ssize_t pick = -1, seed = -1;
		for (size_t j = 0; j < ncs; j++) {
			char kj[160];
			snprintf(kj, sizeof kj, "%s/%s", cs[j].suite, cs[j].transition);
			if (strcmp(kj, key))
				continue;
			if (!has_flag(&cs[j], "seed") &&
			    (pick < 0 || (has_flag(&cs[j], "gotoday") && !has_flag(&cs[pick], "gotoday"))))
				pick = (ssize_t)j;
			if (seed < 0 && has_flag(&cs[j], "seed"))
				seed = (ssize_t)j;
		}
		ssize_t g = -1;
		for (size_t x = 0; x < sizeof go_map / sizeof go_map[0]; x++)
			if (!strcmp(go_map[x].transition, key))
				g = (ssize_t)x;
		json_t *row = json_pack("{s:s}", "transition", key);
		/* a transition only the seed's sequence has: nothing of gmbench's own to show */
		json_object_set_new(row, "gmbench", pick < 0 ? json_null() : json_pack("{s:s s:o}", "variant",
			cs[pick].variant, "instructions_per_op", perop_json(&res[pick])));
		if (seed_column) {
			json_object_set_new(row, "seed", seed < 0 ? json_null() :
				json_pack("{s:s s:o}", "variant", cs[seed].variant, "instructions_per_op",
					  perop_json(&res[seed])));
			if (seed < 0)
				json_object_set_new(row, "seed_note", json_string("no case of this transition runs "
					"the seed's sequence (the suite flags the ones that do, GM_VF_SEED2012)"));
		}
		if (go_unavail)
			json_object_set_new(row, "go", json_null());
		else if (g < 0)
			json_object_set_new(row, "go", json_null());
		else
			json_object_set_new(row, "go", json_pack("{s:s s:o s:b}", "what", go_map[g].what,
				"instructions_per_op", perop_json(&gores[g]), "exact", gores[g].exact));
		if (g < 0 && !go_unavail)
			json_object_set_new(row, "go_note", json_string("no isolated Go equivalent"));
		json_array_append_new(table, row);
		char b1[64], b2[64], b3[64], c1[96], c2[96];
		if (pick >= 0)
			snprintf(c1, sizeof c1, "%s (%s)", fmt_val(b1, sizeof b1, &res[pick]), cs[pick].variant);
		else
			snprintf(c1, sizeof c1, "-");
		if (seed >= 0)
			snprintf(c2, sizeof c2, "%s (%s)", fmt_val(b2, sizeof b2, &res[seed]), cs[seed].variant);
		else
			snprintf(c2, sizeof c2, "-");
		const char *c3 = go_unavail ? "n/a" : g < 0 ? "-" : fmt_val(b3, sizeof b3, &gores[g]);
		if (seed_column)
			fprintf(ft, "%-24s %-22s %-22s %s\n", key, c1, c2, c3);
		else
			fprintf(ft, "%-24s %-22s %s\n", key, c1, c3);
		if (fd) {
			char d1[64], d2[64], d3[64];
			fprintf(fd, "\"%s\" %s%s%s %s\n", key,
				pick >= 0 && res[pick].ok ? (snprintf(d1, sizeof d1, "%.2f", res[pick].perop), d1) : "-",
				seed_column ? " " : "",
				!seed_column ? "" : seed >= 0 && res[seed].ok ? (snprintf(d2, sizeof d2, "%.2f", res[seed].perop), d2) : "-",
				!go_unavail && g >= 0 && gores[g].ok ? (snprintf(d3, sizeof d3, "%.2f", gores[g].perop), d3) : "-");
		}
	}
	json_object_set_new(root, "table", table);
	if (!seed_column)
		fprintf(ft, "\nNo seed column: no case of the %s port runs the 2012 seed's sequence. The seed (Go CL "
			    "5989057) is Linux/ARM code; its protocol is built on the arm port (docs/seed.md).\n", port);
	else
		fprintf(ft, "\nSeed column: the cases whose suite flags them as the 2012 seed's sequence "
			    "(docs/seed.md), '-' where the seed has no routine for the transition.\n");
	int npeer = 0;
	for (size_t i = 0; i < ncs; i++) {
		if (strcmp(cs[i].suite, "peer"))
			continue;
		char b[64];
		if (!npeer++)
			fprintf(ft, "\nPeers (C code in the same process, same method; switches per switch):\n");
		fprintf(ft, "  %-30s %s\n", cs[i].name, fmt_val(b, sizeof b, &res[i]));
	}
	{
		const char *ck;
		json_t *cv;
		json_object_foreach(context, ck, cv)
			fprintf(ft, "  (%s: %s)\n", ck, json_string_value(cv));
	}
	if (go_unavail)
		fprintf(ft, "\nGo column: unavailable: %s\n", go_unavail);
	else {
		fprintf(ft, "\nGo column: %s\n", go_method);
		for (size_t g = 0; g < sizeof go_map / sizeof go_map[0]; g++) {
			char b[64];
			fprintf(ft, "  %-10s %-10s %s%s\n", go_map[g].gocase, fmt_val(b, sizeof b, &gores[g]), go_map[g].what,
				gores[g].ok && !gores[g].exact ? " (not exactly repeatable: the minimum over the repetitions)" : "");
		}
	}
	fprintf(ft, "\nEvery case (%d of %zu exact):\n", nexact, ncs);
	fprintf(ft, "%-36s %10s  %s\n", "case", "instr/op", "per symbol (instructions/op)");
	for (size_t i = 0; i < ncs; i++) {
		char b[64];
		fprintf(ft, "%-36s %10s ", cs[i].name, fmt_val(b, sizeof b, &res[i]));
		if (cs[i].flags[0] && strcmp(cs[i].flags, "-"))
			fprintf(ft, " [%s]", cs[i].flags);
		if (res[i].ok) {
			const char *key;
			json_t *val;
			int shown = 0;
			json_object_foreach(res[i].syms, key, val) {
				if (shown++ == 8) {
					fprintf(ft, " ...");
					break;
				}
				fprintf(ft, " %s=%g", key, json_number_value(val));
			}
		}
		fputc('\n', ft);
	}
	if (json_array_size(json_object_get(root, "unavailable"))) {
		fprintf(ft, "\nUnavailable here:\n");
		size_t ix;
		json_t *u;
		json_array_foreach(json_object_get(root, "unavailable"), ix, u)
			fprintf(ft, "  %s: %s\n", json_string_value(json_object_get(u, "name")),
				json_string_value(json_object_get(u, "why")));
	}
	if (fclose(ft) != 0 || (fd && fclose(fd) != 0))
		die("report: write error");
	if (json_dump_file(root, json_path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
		die("report: cannot write %s", json_path);
	json_decref(root);
	return 0;
}

/* ------------------------------------------------------------------ checks */

static int nok, nnotok;

static void check(int cond, const char *fmt, ...)
{
	va_list ap;
	printf(cond ? "ok - " : "not ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		nok++;
	else
		nnotok++;
}

static json_t *load(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	if (!j) {
		check(0, "%s parses as JSON (%s, line %d)", path, err.text, err.line);
		return NULL;
	}
	return j;
}

static int cmd_check_pathlen(const char *path)
{
	json_t *j = load(path);
	if (!j)
		return 1;
	check(!strcmp(json_string_value(json_object_get(j, "kind")) ?: "", "gmbench-pathlen"),
	      "%s: kind is gmbench-pathlen", path);
	check(json_is_string(json_object_get(j, "port")) && json_is_string(json_object_get(j, "method")) &&
	      json_is_integer(json_object_get(j, "k")), "%s: port, method and k present", path);
	json_t *cases = json_object_get(j, "cases");
	check(json_is_array(cases) && json_array_size(cases) > 0, "%s: has cases", path);
	size_t i;
	json_t *c;
	int shape = 1, ints = 1, nsyms = 0, empty_zero = 1, have_empty = 0;
	json_array_foreach(cases, i, c) {
		json_t *v = json_object_get(c, "instructions_per_op");
		shape &= json_is_string(json_object_get(c, "name")) && json_is_string(json_object_get(c, "port")) &&
			 json_is_string(json_object_get(c, "method")) && json_is_boolean(json_object_get(c, "exact")) &&
			 (json_is_number(v) || json_is_null(v));
		json_t *u = json_object_get(c, "instructions_per_unit");
		if (json_is_true(json_object_get(c, "exact")))
			ints &= (json_is_integer(v) && json_integer_value(v) >= 0) ||
				(json_is_number(v) && json_is_integer(u) && json_integer_value(u) >= 0);
		else
			ints = 0;
		nsyms += json_is_object(json_object_get(c, "symbols")) && json_object_size(json_object_get(c, "symbols")) > 0;
		if (!strcmp(json_string_value(json_object_get(c, "name")) ?: "", "counter/empty/batch")) {
			have_empty = 1;
			empty_zero = json_is_integer(v) && json_integer_value(v) == 0;
		}
	}
	check(shape, "%s: every case has name, port, method, exact and instructions_per_op", path);
	check(ints, "%s: every gmbench case is exact: a non-negative integer count per operation (per round trip for switches)", path);
	check(nsyms > 0, "%s: per-symbol breakdowns present (%d cases)", path, nsyms);
	if (have_empty)
		check(empty_zero, "%s: known answer: counter/empty/batch costs 0 instructions per operation", path);
	json_t *table = json_object_get(j, "table");
	int tshape = json_is_array(table) && json_array_size(table) > 0;
	int seed_column = json_is_true(json_object_get(j, "seed_column"));
	int distinct = 1;
	json_array_foreach(table, i, c) {
		json_t *gb = json_object_get(c, "gmbench");
		tshape &= json_is_string(json_object_get(c, "transition")) && (json_is_object(gb) || json_is_null(gb)) &&
			  (json_object_get(c, "seed") != NULL) == seed_column && json_object_get(c, "go") != NULL;
		json_t *sd = json_object_get(c, "seed");
		const char *sv = json_string_value(json_object_get(sd, "variant"));
		const char *gv = json_string_value(json_object_get(json_object_get(c, "gmbench"), "variant"));
		if (sv && gv && !strcmp(sv, gv))
			distinct = 0;
	}
	check(tshape && json_is_boolean(json_object_get(j, "seed_column")), "%s: table rows have transition, "
	      "gmbench and go, and seed exactly when the port has a seed column (%s)", path, seed_column ? "it has" : "it has not");
	check(distinct, "%s: no row puts the same case in the gmbench and the seed column", path);
	json_t *go = json_object_get(j, "go");
	check(json_is_boolean(json_object_get(go, "available")) &&
	      (json_is_true(json_object_get(go, "available")) ? json_is_array(json_object_get(go, "cases"))
							    : json_is_string(json_object_get(go, "why"))),
	      "%s: the Go column is there or says why not", path);
	json_decref(j);
	return nnotok != 0;
}

static int cmd_same(const char *a, const char *b)
{
	json_t *x = load(a), *y = load(b);
	if (!x || !y)
		return 1;
	json_t *cx = json_object_get(x, "cases"), *cy = json_object_get(y, "cases");
	size_t i;
	json_t *c;
	int n = 0, same = 1;
	json_array_foreach(cx, i, c) {
		const char *name = json_string_value(json_object_get(c, "name"));
		json_t *v1 = json_object_get(c, "instructions_per_op"), *v2 = NULL;
		size_t j2;
		json_t *d;
		json_array_foreach(cy, j2, d)
			if (!strcmp(json_string_value(json_object_get(d, "name")) ?: "", name ?: ""))
				v2 = json_object_get(d, "instructions_per_op");
		int eq = v2 && json_equal(v1, v2) && json_is_number(v1) &&
			 json_is_true(json_object_get(c, "exact"));
		if (!eq) {
			char *s1 = json_dumps(v1, JSON_ENCODE_ANY), *s2 = v2 ? json_dumps(v2, JSON_ENCODE_ANY) : NULL;
			check(0, "%s: same instructions/op in both runs (%s vs %s)", name, s1, s2 ? s2 : "missing");
			free(s1);
			free(s2);
		}
		same &= eq;
		n++;
	}
	check(same && n == (int)json_array_size(cy), "%d cases: identical exact counts in two runs of %s", n,
	      json_string_value(json_object_get(x, "port")) ?: "?");
	return !same;
}

static int cmd_check_predict(const char *path)
{
	json_t *j = load(path);
	if (!j)
		return 1;
	const char *lbl = json_string_value(json_object_get(j, "label")) ?: "";
	check(strstr(lbl, "static prediction, not a measurement") != NULL,
	      "%s: labelled 'static prediction, not a measurement'", path);
	json_t *rs = json_object_get(j, "results");
	check(json_is_array(rs) && json_array_size(rs) > 0, "%s: has results", path);
	size_t i;
	json_t *r;
	int shape = 1, some = 0;
	json_array_foreach(rs, i, r) {
		shape &= json_is_string(json_object_get(r, "symbol")) && json_is_string(json_object_get(r, "cpu")) &&
			 json_is_string(json_object_get(r, "arch")) && json_is_array(json_object_get(r, "uncosted"));
		some |= json_is_number(json_object_get(r, "cycles_one_pass"));
	}
	check(shape, "%s: every result names arch, cpu, symbol and the uncosted instructions", path);
	check(some, "%s: at least one prediction has cycles", path);
	json_decref(j);
	return nnotok != 0;
}

/* ------------------------------------------------------------------ llvm-mca input */

/* Is this mnemonic + operands the end of the transition's straight path? */
static int is_path_end(const char *mn, const char *ops)
{
	if (!strcmp(mn, "ret") || !strcmp(mn, "retq") || !strcmp(mn, "br") || !strcmp(mn, "ud2") ||
	    !strcmp(mn, "udf") || !strcmp(mn, "brk"))
		return 1;
	if ((!strcmp(mn, "bx") || !strncmp(mn, "bx", 2)) && strlen(mn) <= 3)
		return 1;
	if ((!strncmp(mn, "pop", 3) || !strncmp(mn, "ldm", 3)) && strstr(ops, "pc"))
		return 1;
	if (!strncmp(mn, "ldr", 3) && !strncmp(ops, "pc,", 3))
		return 1;
	if (!strcmp(mn, "jmp") || !strcmp(mn, "jmpq"))
		return 1;
	return 0;
}

static int cmd_mca_input(void)
{
	char line[1024];
	int n = 0;
	printf("Lpl_target:\n");
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		/* instruction lines of llvm-objdump --no-show-raw-insn: "  addr:\tmnemonic\toperands" */
		char *colon = strchr(line, ':');
		if (!colon || colon == line)
			continue;
		int hex = 1;
		for (char *p = line; p < colon; p++)
			if (!isxdigit((unsigned char)*p) && *p != ' ')
				hex = 0;
		if (!hex)
			continue;
		char *ins = colon + 1;
		while (*ins == ' ' || *ins == '\t')
			ins++;
		if (!*ins || *ins == '<')
			continue;
		/* drop comments and the symbolic target "<sym+off>" */
		char *c;
		if ((c = strstr(ins, "//")))
			*c = 0;
		if ((c = strchr(ins, '@')) && !strstr(ins, "@tpoff") && !strstr(ins, "@GOT") && !strstr(ins, "@PLT"))
			*c = 0;
		if ((c = strchr(ins, '<')))
			*c = 0;
		char mn[64] = "", ops[512] = "";
		sscanf(ins, "%63s %511[^\n]", mn, ops);
		for (int i = (int)strlen(ops) - 1; i >= 0 && isspace((unsigned char)ops[i]); i--)
			ops[i] = 0;
		/* branch/call to an address: point it at the local label */
		int isbranch = (mn[0] == 'b' && strcmp(mn, "bic") && strcmp(mn, "bics") && strcmp(mn, "bfi") &&
				strcmp(mn, "bfxil") && strcmp(mn, "bfc") && strcmp(mn, "bif") && strcmp(mn, "bit") &&
				strcmp(mn, "bsl") && strcmp(mn, "brk") && strncmp(mn, "bx", 2) && strcmp(mn, "blx") && strcmp(mn, "br") &&
				strcmp(mn, "blr")) ||
			       !strncmp(mn, "cb", 2) || !strncmp(mn, "tb", 2) || (mn[0] == 'j' && strcmp(mn, "jmpq") &&
			       strchr(ops, '*') == NULL) || ((!strcmp(mn, "call") || !strcmp(mn, "callq")) &&
			       strchr(ops, '*') == NULL);
		if (isbranch) {
			char *last = strrchr(ops, ',');
			char *tgt = last ? last + 1 : ops;
			while (*tgt == ' ')
				tgt++;
			if (!strncmp(tgt, "0x", 2) || isxdigit((unsigned char)*tgt) || *tgt == '#') {
				*tgt = 0;
				strncat(ops, "Lpl_target", sizeof ops - strlen(ops) - 1);
			}
		}
		/* jmp to an absolute address (tail jump): path end */
		if ((!strcmp(mn, "jmp") || !strcmp(mn, "jmpq")) && strchr(ops, '*') == NULL)
			snprintf(ops, sizeof ops, "Lpl_target");
		/* calls of a fatal path (gm_bad*) are not on the path */
		if (strstr(line, "<gm_bad") || strstr(line, "<gm_fatal"))
			break;
		/* GNU spellings of coprocessor operands: mrc 15, 0, r0, cr13, cr0, {3} */
		if (!strncmp(mn, "mrc", 3) || !strncmp(mn, "mcr", 3)) {
			int cp, op1, crn, crm, op2;
			char rt[16];
			if (sscanf(ops, "%d, %d, %15[^,], cr%d, cr%d, {%d}", &cp, &op1, rt, &crn, &crm, &op2) == 6)
				snprintf(ops, sizeof ops, "p%d, #%d, %s, c%d, c%d, #%d", cp, op1, rt, crn, crm, op2);
		}
		/* calls: llvm-mca models a call as 100 cycles of latency; the callee is not part of
		 * this symbol's path either.  Left out, and said so. */
		if (!strcmp(mn, "bl") || !strcmp(mn, "blr") || !strcmp(mn, "blx") || !strcmp(mn, "call") ||
		    !strcmp(mn, "callq")) {
			fprintf(stderr, "left out: %s %s\n", mn, ops);
			continue;
		}
		printf("\t%s\t%s\n", mn, ops);
		n++;
		if (is_path_end(mn, ops))
			break;
	}
	while (fgets(line, sizeof line, stdin))
		;	/* drain: the writer must not die of SIGPIPE */
	fprintf(stderr, "gmpathlen: mca-input: %d instructions\n", n);
	return n ? 0 : 1;
}

/* ------------------------------------------------------------------ predict report */

/* Records from scripts/predict.sh, one per line, tab-separated:
 *   R arch port cpu triple symbol ninsns cycles_one_pass rthroughput_per_pass ipc uncosted(;-list) note */
static int cmd_predict_report(int argc, char **argv)
{
	const char *json_path = NULL, *txt_path = NULL, *dat_path = NULL;
	json_t *meta = json_object(), *results = json_array();
	int nrec = 0;
	char **files = NULL;
	int nfiles = 0;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json_path = argv[++i];
		else if (!strcmp(argv[i], "--txt") && i + 1 < argc)
			txt_path = argv[++i];
		else if (!strcmp(argv[i], "--dat") && i + 1 < argc)
			dat_path = argv[++i];
		else if (!strcmp(argv[i], "--meta") && i + 2 < argc) {
			json_object_set_new(meta, argv[i + 1], json_string(argv[i + 2]));
			i += 2;
		} else {
			files = xrealloc(files, (size_t)(nfiles + 1) * sizeof *files);
			files[nfiles++] = argv[i];
		}
	}
	if (!json_path || !txt_path)
		die("predict-report: --json and --txt are required");
	for (int fi = 0; fi < nfiles; fi++) {
		FILE *f = fopen(files[fi], "r");
		if (!f)
			die("predict-report: %s: %s", files[fi], strerror(errno));
		char line[8192];
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = 0;
			char *fld[12] = { 0 };
			int nf = 0;
			for (char *s = line, *t; nf < 12 && (t = strsep(&s, "\t"));)
				fld[nf++] = t;
			if (nf < 12 || strcmp(fld[0], "R"))
				continue;
			json_t *unc = json_array();
			char *u = fld[10];
			for (char *t; (t = strsep(&u, ";"));)
				if (*t)
					json_array_append_new(unc, json_string(t));
			json_t *r = json_pack("{s:s s:s s:s s:s s:s s:i}", "arch", fld[1], "port", fld[2], "cpu", fld[3],
					      "triple", fld[4], "symbol", fld[5], "instructions", atoi(fld[6]));
			json_object_set_new(r, "cycles_one_pass", *fld[7] ? json_real(atof(fld[7])) : json_null());
			json_object_set_new(r, "rthroughput", *fld[8] ? json_real(atof(fld[8])) : json_null());
			json_object_set_new(r, "ipc", *fld[9] ? json_real(atof(fld[9])) : json_null());
			json_object_set_new(r, "uncosted", unc);
			json_object_set_new(r, "note", json_string(fld[11]));
			json_array_append_new(results, r);
			nrec++;
		}
		fclose(f);
	}
	if (!nrec)
		die("predict-report: no llvm-mca results");
	json_t *root = json_object();
	json_object_set_new(root, "kind", json_string("gmbench-predict"));
	json_object_set_new(root, "label", json_string("static prediction, not a measurement: llvm-mca's "
		"scheduling model of each core, run over the transition's straight-line path (entry to first "
		"return or tail jump), with warm caches, perfect branch prediction and no memory stalls"));
	json_object_set_new(root, "meta", meta);
	json_object_set_new(root, "results", results);

	FILE *ft = fopen(txt_path, "w"), *fd = dat_path ? fopen(dat_path, "w") : NULL;
	if (!ft || (dat_path && !fd))
		die("predict-report: cannot write the outputs");
	fprintf(ft, "gmbench predicted cycles: STATIC PREDICTION, NOT A MEASUREMENT\n"
		    "llvm-mca over each transition's straight-line path (entry to its first return or tail jump;\n"
		    "forward branches not taken), warm caches, perfect prediction, no memory stalls.\n"
		    "one-pass = cycles of one pass alone (-iterations=1); rthru = block reciprocal throughput\n"
		    "(cycles per pass when passes run back to back).  '*' = some instructions were not costed.\n");
	/* group by arch, then rows = symbols, columns = cpus */
	size_t i;
	json_t *r;
	char archs[8][32];
	int narch = 0;
	json_array_foreach(results, i, r) {
		const char *a = json_string_value(json_object_get(r, "arch"));
		int have = 0;
		for (int x = 0; x < narch; x++)
			have |= !strcmp(archs[x], a);
		if (!have && narch < 8)
			snprintf(archs[narch++], sizeof archs[0], "%s", a);
	}
	if (fd)
		fprintf(fd, "# static prediction, not a measurement: llvm-mca cycles of one pass\n");
	for (int x = 0; x < narch; x++) {
		char cpus[16][32], syms[128][64];
		int ncpu = 0, nsym = 0;
		json_array_foreach(results, i, r) {
			if (strcmp(json_string_value(json_object_get(r, "arch")), archs[x]))
				continue;
			const char *c = json_string_value(json_object_get(r, "cpu")),
				   *s = json_string_value(json_object_get(r, "symbol"));
			int hc = 0, hs = 0;
			for (int y = 0; y < ncpu; y++)
				hc |= !strcmp(cpus[y], c);
			for (int y = 0; y < nsym; y++)
				hs |= !strcmp(syms[y], s);
			if (!hc && ncpu < 16)
				snprintf(cpus[ncpu++], sizeof cpus[0], "%s", c);
			if (!hs && nsym < 128)
				snprintf(syms[nsym++], sizeof syms[0], "%s", s);
		}
		fprintf(ft, "\n%s — cycles one-pass / rthru\n%-26s %5s", archs[x], "symbol", "insns");
		for (int y = 0; y < ncpu; y++)
			fprintf(ft, " %16s", cpus[y]);
		fputc('\n', ft);
		if (fd) {
			fprintf(fd, "\n\n# arch %s\n# symbol", archs[x]);
			for (int y = 0; y < ncpu; y++)
				fprintf(fd, " %s", cpus[y]);
			fputc('\n', fd);
		}
		for (int s = 0; s < nsym; s++) {
			int ni = 0;
			char cells[16][40];
			for (int y = 0; y < ncpu; y++)
				snprintf(cells[y], sizeof cells[y], "-");
			json_array_foreach(results, i, r) {
				if (strcmp(json_string_value(json_object_get(r, "arch")), archs[x]) ||
				    strcmp(json_string_value(json_object_get(r, "symbol")), syms[s]))
					continue;
				ni = (int)json_integer_value(json_object_get(r, "instructions"));
				for (int y = 0; y < ncpu; y++) {
					if (strcmp(json_string_value(json_object_get(r, "cpu")), cpus[y]))
						continue;
					json_t *c1 = json_object_get(r, "cycles_one_pass"), *c2 = json_object_get(r, "rthroughput");
					int unc = json_array_size(json_object_get(r, "uncosted")) > 0;
					if (json_is_number(c1))
						snprintf(cells[y], sizeof cells[y], "%.0f / %.1f%s", json_number_value(c1),
							 json_is_number(c2) ? json_number_value(c2) : NAN, unc ? "*" : "");
				}
			}
			fprintf(ft, "%-26s %5d", syms[s], ni);
			for (int y = 0; y < ncpu; y++)
				fprintf(ft, " %16s", cells[y]);
			fputc('\n', ft);
			if (fd) {
				fprintf(fd, "\"%s\"", syms[s]);
				for (int y = 0; y < ncpu; y++) {
					double v = NAN;
					if (strcmp(cells[y], "-"))
						v = atof(cells[y]);
					if (isnan(v))
						fprintf(fd, " -");
					else
						fprintf(fd, " %.0f", v);
				}
				fputc('\n', fd);
			}
		}
	}
	/* what the models could not cost */
	int any = 0;
	json_array_foreach(results, i, r) {
		json_t *u = json_object_get(r, "uncosted");
		if (!json_array_size(u))
			continue;
		if (!any++)
			fprintf(ft, "\nInstructions the models could not cost (left out of the prediction):\n");
		fprintf(ft, "  %s %s %s:", json_string_value(json_object_get(r, "arch")),
			json_string_value(json_object_get(r, "cpu")), json_string_value(json_object_get(r, "symbol")));
		size_t j;
		json_t *v;
		json_array_foreach(u, j, v)
			fprintf(ft, " [%s]", json_string_value(v));
		fputc('\n', ft);
	}
	if (!any)
		fprintf(ft, "\nEvery instruction was costed by the models.\n");
	if (fclose(ft) != 0 || (fd && fclose(fd) != 0))
		die("predict-report: write error");
	if (json_dump_file(root, json_path, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0)
		die("predict-report: cannot write %s", json_path);
	json_decref(root);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: gmpathlen qemu|callgrind|report|check-pathlen|check-predict|same-counts|mca-input|predict-report ...");
	const char *c = argv[1];
	if (!strcmp(c, "qemu"))
		return cmd_qemu(argc - 2, argv + 2);
	if (!strcmp(c, "callgrind"))
		return cmd_callgrind(argc - 2, argv + 2);
	if (!strcmp(c, "report"))
		return cmd_report(argc - 2, argv + 2);
	if (!strcmp(c, "check-pathlen") && argc == 3)
		return cmd_check_pathlen(argv[2]);
	if (!strcmp(c, "check-predict") && argc == 3)
		return cmd_check_predict(argv[2]);
	if (!strcmp(c, "same-counts") && argc == 4)
		return cmd_same(argv[2], argv[3]);
	if (!strcmp(c, "mca-input"))
		return cmd_mca_input();
	if (!strcmp(c, "predict-report"))
		return cmd_predict_report(argc - 2, argv + 2);
	die("unknown command '%s'", c);
}
