/*
 * gm-fuzz.c — a deterministic mutation fuzzer for gm's commands and the LAVA log extractor
 * (issue 22; docs/testing.md, "Fuzzing").  tests/fuzz/run.sh prepares a corpus (one
 * folder of valid inputs per target group) and runs this.
 *
 *   gm-fuzz --gm GM --corpus DIR --work DIR [--seed S] [--runs N | --time SEC]
 *           [--timeout SEC] [--only NAME] [--replay I] [--keep DIR] [--build LABEL] [--report FILE]
 *
 * Run I of a campaign takes target I mod (number of targets) and a PRNG seeded from (S, I):
 * any run replays alone (--replay I).  Each run copies the target's corpus folder into a
 * fresh work folder, replaces one input with a mutant (byte flips, truncation, special
 * numbers, deep nesting, repeated lines, CRLF, bad UTF-8, a folder, a symlink loop, no
 * file...), runs the command there under a CPU and a wall-clock limit, and classifies it:
 *   refusal   non-zero exit, a message, nothing new in the work folder
 *   accepted  exit 0, no temporary left, no nan/inf in what it printed or wrote
 *   crash     killed by a signal, or a sanitizer's report
 *   hang      over the CPU or wall-clock limit
 *   partial   a refusal that left a file or folder, or a temporary (.tmp.) left
 *   nonfinite nan or inf printed or written by a run that exited 0
 *   silent    non-zero exit without a word (stdout and stderr empty)
 * Exit status: 0 when every run is of the first two classes, 1 otherwise, 2 on usage.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mutate.h"
#include "targets.h"

enum cls { C_REFUSAL, C_ACCEPTED, C_CRASH, C_HANG, C_PARTIAL, C_NONFINITE, C_SILENT, NCLS };
static const char *const cls_name[NCLS] = { "refusal", "accepted", "crash", "hang", "partial", "nonfinite",
					    "silent" };

void fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "gm-fuzz: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

/* ------------------------------------------------------------------ the work folder */
static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	if (remove(p) != 0) {
		chmod(p, 0700);
		remove(p);
	}
	return 0;
}
static void rm_rf(const char *p)
{
	nftw(p, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

static const char *copy_src, *copy_dst;
static int copy_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	char d[4096];
	snprintf(d, sizeof d, "%s%s", copy_dst, p + strlen(copy_src));
	if (flag == FTW_D)
		mkdir(d, 0777);
	else if (flag == FTW_SL) {
		char l[4096];
		ssize_t n = readlink(p, l, sizeof l - 1);
		if (n >= 0) {
			l[n] = 0;
			if (symlink(l, d) != 0)
				fail("symlink %s: %s", d, strerror(errno));
		}
	} else if (flag == FTW_F) {
		struct buf b = { 0 };
		if (read_file(p, &b) != 0)
			fail("cannot read %s", p);
		write_file(d, b.p, b.n);
		chmod(d, st->st_mode & 0777);
		free(b.p);
	}
	return 0;
}
static void copy_tree(const char *src, const char *dst)
{
	copy_src = src, copy_dst = dst;
	if (nftw(src, copy_one, 32, FTW_PHYS) != 0)
		fail("cannot copy %s", src);
}

/* the work folder's entries, as a newline-separated list of paths */
static struct buf listing;
static size_t list_root;
static int list_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	size_t l = strlen(p + list_root);
	reserve(&listing, listing.n + l + 1);
	memcpy(listing.p + listing.n, p + list_root, l);
	listing.n += l;
	listing.p[listing.n++] = '\n';
	listing.p[listing.n] = 0;
	return 0;
}
static char *list_tree(const char *root)
{
	listing.n = 0;
	reserve(&listing, 0);
	listing.p[0] = 0;
	list_root = strlen(root);
	nftw(root, list_one, 32, FTW_PHYS);
	return strdup(listing.p);
}
static int listed(const char *list, const char *path)
{
	size_t l = strlen(path);
	for (const char *s = list; (s = strstr(s, path)); s++)
		if ((s == list || s[-1] == '\n') && s[l] == '\n')
			return 1;
	return 0;
}

/* "nan" or "inf" as a word: a non-finite number printed */
static int has_nonfinite(const char *p, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++) {
		if (i && (isalnum((unsigned char)p[i - 1]) || p[i - 1] == '_'))
			continue;
		size_t w = 0;
		if (!strncasecmp(p + i, "nan", 3))
			w = 3;
		else if (!strncasecmp(p + i, "infinity", 8))
			w = 8;
		else if (!strncasecmp(p + i, "inf", 3))
			w = 3;
		if (w && (i + w == n || !(isalnum((unsigned char)p[i + w]) || p[i + w] == '_')) &&
		    !(i && p[i - 1] == '"' && i + w < n && p[i + w] == '"'))	/* "NaN": a string, not a number */
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ one run */
static volatile sig_atomic_t alarmed, stopped;
static void on_stop(int sig)
{
	(void)sig;
	stopped = 1;
}
static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

struct opts {
	const char *gm, *corpus, *work, *only, *keep, *build, *report, *extract;
	uint64_t seed;
	long runs, replay, from;	/* from: a campaign's first run (shards of one campaign) */
	int seeds;	/* the corpus unmutated: how each target takes its valid input */
	double time_limit, timeout;
};

struct outcome {
	enum cls c;
	int names_nan;	/* the mutant holds the string "NaN", or is text with a nan/inf word: a
			 * name echoed in the output is no number */
	int status;
	char what[512], note[512];
};

static const char *subst(const char *a, const struct opts *o)
{
	if (!strcmp(a, "@GM@"))
		return o->gm;
	if (!strcmp(a, "@EXTRACT@"))
		return o->extract;
	return a;
}

static int scan_new_files(const char *w, const char *before, const char *after, int *tmp_left, char *note,
			  size_t nlen)
{
	int nf = 0;
	struct buf b = { 0 };
	for (const char *s = after; *s;) {
		const char *e = strchr(s, '\n');
		char rel[4096];
		snprintf(rel, sizeof rel, "%.*s", (int)(e - s), s);
		s = e + 1;
		if (strstr(rel, ".tmp.")) {
			*tmp_left = 1;
			snprintf(note, nlen, "temporary left: %.400s", rel);
		}
		if (listed(before, rel))
			continue;
		char p[8192];
		snprintf(p, sizeof p, "%s%s", w, rel);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && read_file(p, &b) == 0 && has_nonfinite(b.p, b.n)) {
			nf = 1;
			snprintf(note, nlen, "nan/inf in %.400s", rel);
		}
	}
	free(b.p);
	return nf;
}

static void run_one(const struct opts *o, const struct target *t, long i, struct outcome *r)
{
	char w[4096], in[8192], outp[4200], errp[4200];
	snprintf(w, sizeof w, "%s/w", o->work);
	snprintf(outp, sizeof outp, "%s/stdout", o->work);
	snprintf(errp, sizeof errp, "%s/stderr", o->work);
	rm_rf(w);
	char src[8192];
	snprintf(src, sizeof src, "%s/%s", o->corpus, t->corpus);
	copy_tree(src, w);
	snprintf(in, sizeof in, "%s/%s", w, t->input);
	rs = o->seed * 0x100000001b3ull + (uint64_t)i * 0x9e3779b97f4a7c15ull;
	rnd();
	memset(r, 0, sizeof *r);
	size_t kind = o->seeds ? 100 : below(100);
	if (kind == 100) {
		snprintf(r->what, sizeof r->what, "the valid input (no mutation)");
	} else if (kind < 3 || (t->stdin_input && kind < 8)) {
		remove(in);
		mkdir(in, 0777);
		snprintf(r->what, sizeof r->what, "the input is a folder");
	} else if (kind < 6) {
		remove(in);
		const char *base = strrchr(in, '/') + 1;
		if (symlink(base, in) != 0)
			fail("symlink: %s", strerror(errno));
		snprintf(r->what, sizeof r->what, "the input is a symlink loop");
	} else if (kind < 8) {
		remove(in);
		snprintf(r->what, sizeof r->what, "the input is missing");
	} else {
		struct buf b = { 0 };
		if (read_file(in, &b) != 0)
			fail("corpus: no %s", in);
		int n = 1 + (int)below(3);
		size_t u = 0;
		for (int k = 0; k < n; k++) {
			char m[200];
			mutate(&b, m, sizeof m);
			u += (size_t)snprintf(r->what + u, sizeof r->what - u, "%s%s", k ? "; " : "", m);
			if (u >= sizeof r->what)
				u = sizeof r->what - 1;
		}
		write_file(in, b.p, b.n);
		r->names_nan = memmem(b.p, b.n, "\"NaN\"", 5) != NULL;
		/* a text input (records, traces, tables): a special number put inside a name
		 * ("x86_64" -> "x86_inf") comes back as that name; JSON keeps names in strings */
		size_t f0 = strspn(b.p, " \t\r\n");
		if (f0 < b.n && b.p[f0] != '{' && b.p[f0] != '[' && has_nonfinite(b.p, b.n))
			r->names_nan = 1;
		free(b.p);
	}
	char *before = list_tree(w);
	pid_t pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		setpgid(0, 0);
		if (chdir(w) != 0)
			_exit(126);
		int fi = open(t->stdin_input ? in : "/dev/null", O_RDONLY);
		int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0666), fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fi < 0 || fo < 0 || fe < 0)
			_exit(126);
		dup2(fi, 0), dup2(fo, 1), dup2(fe, 2);
		struct rlimit cpu = { (rlim_t)o->timeout, (rlim_t)o->timeout + 1 };
		setrlimit(RLIMIT_CPU, &cpu);
		const char *argv[32];
		int n = 0;
		for (; t->argv[n] && n < 31; n++)
			argv[n] = subst(t->argv[n], o);
		argv[n] = NULL;
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	/* the wall-clock limit is generous (the machine may be loaded; the CPU limit decides):
	 * a timer interrupts the blocking wait */
	int st = 0, timed_out = 0;
	alarmed = 0;
	struct itimerval it = { { 1, 0 }, { (time_t)(o->timeout * 10), 0 } }, off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (waitpid(pid, &st, 0) != pid) {
		if (errno != EINTR)
			fail("waitpid: %s", strerror(errno));
		if (alarmed) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			timed_out = 1;
			break;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	kill(-pid, SIGKILL);	/* anything it left running */
	r->status = st;
	struct buf so = { 0 }, se = { 0 };
	read_file(outp, &so);
	read_file(errp, &se);
	char *after = list_tree(w);
	int tmp_left = 0;
	int nf_files = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? scan_new_files(w, before, after, &tmp_left, r->note,
									      sizeof r->note) : 0;
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		for (const char *s = after; *s; s = strchr(s, '\n') + 1) {
			char rel[4096];
			snprintf(rel, sizeof rel, "%.*s", (int)(strchr(s, '\n') - s), s);
			if (!listed(before, rel)) {
				tmp_left = 1;
				snprintf(r->note, sizeof r->note, "refused, yet left %.400s", rel);
				break;
			}
		}
	int san = se.p && (strstr(se.p, "Sanitizer") || strstr(se.p, "runtime error:"));
	if (timed_out || (WIFSIGNALED(st) && WTERMSIG(st) == SIGXCPU)) {
		r->c = C_HANG;
		snprintf(r->note, sizeof r->note, "over the limit of %g s CPU (%g s wall)", o->timeout, o->timeout * 10);
	} else if (WIFSIGNALED(st) || san) {
		r->c = C_CRASH;
		if (WIFSIGNALED(st))
			snprintf(r->note, sizeof r->note, "signal %d", WTERMSIG(st));
		else
			snprintf(r->note, sizeof r->note, "sanitizer: %.400s", strstr(se.p, "Sanitizer") ?
				 strstr(se.p, "Sanitizer") : strstr(se.p, "runtime error:"));
	} else if (WEXITSTATUS(st) == 126 || WEXITSTATUS(st) == 127) {
		fail("cannot run %s (exit %d): %s", t->argv[0], WEXITSTATUS(st), se.p ? se.p : "");
	} else if (tmp_left) {
		r->c = C_PARTIAL;
	} else if (!r->names_nan && (nf_files || (WIFEXITED(st) && WEXITSTATUS(st) == 0 && t->stdin_input != 2 && so.p &&
				has_nonfinite(so.p, so.n)))) {
		/* a refusal's message may quote the input: only what an accepted run printed
		 * or wrote is a result */
		r->c = C_NONFINITE;
		if (!nf_files)
			snprintf(r->note, sizeof r->note, "nan/inf on stdout");
	} else if (WEXITSTATUS(st) == 0) {
		r->c = C_ACCEPTED;
	} else if (!so.n && !se.n) {
		r->c = C_SILENT;
		snprintf(r->note, sizeof r->note, "exit %d without a message", WEXITSTATUS(st));
	} else {
		r->c = C_REFUSAL;
	}
	if (r->c >= C_CRASH && o->keep) {
		char d[8192];
		snprintf(d, sizeof d, "%s/%s-%ld", o->keep, cls_name[r->c], i);
		rm_rf(d);
		mkdir(o->keep, 0777);
		copy_tree(w, d);
		char f[8300];
		snprintf(f, sizeof f, "%s.stderr", d);
		write_file(f, se.p ? se.p : "", se.n);
		snprintf(f, sizeof f, "%s.stdout", d);
		write_file(f, so.p ? so.p : "", so.n);
	}
	free(so.p), free(se.p), free(before), free(after);
}

/* ------------------------------------------------------------------ main */
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void machine(char *out, size_t n)
{
	char model[256] = "?", line[512];
	FILE *f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "model name", 10) && strchr(line, ':')) {
			snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = 0;
			break;
		}
	if (f)
		fclose(f);
	struct utsname u;
	uname(&u);
	snprintf(out, n, "%s, %ld CPUs online, %s %s", model, sysconf(_SC_NPROCESSORS_ONLN), u.sysname, u.release);
}

int main(int argc, char **argv)
{
	struct opts o = { .seed = 22, .runs = -1, .replay = -1, .timeout = 10, .build = "normal" };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (!strcmp(a, name) && v && ++i)
		if (OPT("--gm")) o.gm = v;
		else if (OPT("--corpus")) o.corpus = v;
		else if (OPT("--work")) o.work = v;
		else if (OPT("--only")) o.only = v;
		else if (OPT("--keep")) o.keep = v;
		else if (OPT("--build")) o.build = v;
		else if (OPT("--report")) o.report = v;
		else if (OPT("--extract")) o.extract = v;
		else if (OPT("--seed")) o.seed = strtoull(v, NULL, 10);
		else if (OPT("--runs")) o.runs = atol(v);
		else if (OPT("--replay")) o.replay = atol(v);
		else if (OPT("--from")) o.from = atol(v);
		else if (OPT("--time")) o.time_limit = atof(v);
		else if (OPT("--timeout")) o.timeout = atof(v);
		else if (!strcmp(a, "--seeds")) o.seeds = 1, o.runs = NTARGETS;
		else if (!strcmp(a, "--list")) {
			for (size_t k = 0; k < NTARGETS; k++)
				printf("%s\n", targets[k].name);
			return 0;
		} else
			fail("usage: gm-fuzz --gm GM --corpus DIR --work DIR --extract SCRIPT [--seed S] [--runs N | --time SEC] "
			     "[--timeout SEC] [--only NAME] [--replay I] [--from I] [--keep DIR] [--build LABEL] [--report FILE]");
#undef OPT
	}
	if (!o.gm || !o.corpus || !o.work || !o.extract)
		fail("--gm, --corpus, --work and --extract are required");
	if (o.runs < 0 && o.time_limit <= 0 && o.replay < 0)
		o.runs = 100;
	if (o.timeout < 1)
		fail("--timeout: at least 1 second");
	mkdir(o.work, 0777);
	struct sigaction sa = { 0 };
	sa.sa_handler = on_alarm;	/* no SA_RESTART: the alarm interrupts waitpid */
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_stop;	/* a campaign stopped early still reports what ran */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	const struct target *sel[NTARGETS];
	size_t nsel = 0;
	for (size_t k = 0; k < NTARGETS; k++)
		if (!o.only || strstr(targets[k].name, o.only))
			sel[nsel++] = &targets[k];
	if (!nsel)
		fail("--only %s: no such target (--list)", o.only);
	long count[NTARGETS][NCLS] = { { 0 } }, total[NCLS] = { 0 };
	struct buf fails = { 0 };
	reserve(&fails, 0);
	fails.p[0] = 0;
	double t0 = now_s();
	long first = o.replay >= 0 ? o.replay : o.from, n = 0;
	for (long i = first;; i++, n++) {
		if (stopped || (o.replay >= 0 ? n == 1 : o.runs >= 0 ? n == o.runs : now_s() - t0 >= o.time_limit))
			break;
		size_t ti = (size_t)i % nsel;
		struct outcome r;
		run_one(&o, sel[ti], i, &r);
		if (!o.seeds && o.replay < 0 && n && n % 1000 == 0)
			fprintf(stderr, "gm-fuzz: %ld runs, %.0f s\n", n, now_s() - t0);
		count[sel[ti] - targets][r.c]++;
		total[r.c]++;
		if (r.c >= C_CRASH || o.replay >= 0 || o.seeds) {
			char line[2048];
			int l = snprintf(line, sizeof line, "%-9s run %ld, %s: %s [%s]\n", cls_name[r.c], i, sel[ti]->name,
					 r.what, r.note);
			reserve(&fails, fails.n + (size_t)l);
			memcpy(fails.p + fails.n, line, (size_t)l + 1);
			fails.n += (size_t)l;
			if (r.c >= C_CRASH)
				fprintf(stderr, "gm-fuzz: %s", line);
		}
	}
	double dt = now_s() - t0;
	char mach[512];
	machine(mach, sizeof mach);
	FILE *rep = o.report ? fopen(o.report, "w") : stdout;
	if (!rep)
		fail("cannot write %s", o.report);
	fprintf(rep, "gm-fuzz report: build %s, seed %llu, %ld runs (from run %ld) in %.0f s, %zu targets; CPU limit %g s\n",
		o.build, (unsigned long long)o.seed, n, first, dt, nsel, o.timeout);
	if (stopped)
		fprintf(rep, "STOPPED by a signal after %ld runs (of %ld asked)\n", n, o.runs);
	fprintf(rep, "machine: %s\n\n%-28s", mach, "target");
	for (int c = 0; c < NCLS; c++)
		fprintf(rep, " %9s", cls_name[c]);
	fputc('\n', rep);
	for (size_t k = 0; k < nsel; k++) {
		fprintf(rep, "%-28s", sel[k]->name);
		for (int c = 0; c < NCLS; c++)
			fprintf(rep, " %9ld", count[sel[k] - targets][c]);
		fputc('\n', rep);
	}
	fprintf(rep, "%-28s", "total");
	long bad = 0;
	for (int c = 0; c < NCLS; c++) {
		fprintf(rep, " %9ld", total[c]);
		bad += c >= C_CRASH ? total[c] : 0;
	}
	fprintf(rep, "\n\n%s%s", bad ? "FAILED: runs outside refusal and accepted (replay one with --replay I):\n" :
		"ok: every run was a clean refusal or a sane acceptance\n", fails.p);
	if (rep != stdout)
		fclose(rep);
	rm_rf(o.work);
	return bad ? 1 : 0;
}
