/*
 * out.c — the atomic writer of every gm command (util.h): a result file is written to
 * .NAME.tmp.PID in its own folder and renamed when complete; a run folder (gm xreport)
 * is filled under .NAME.tmp.PID beside it and renamed whole.  Everything open is in one
 * registry that die() empties, so a reader never sees half a result and an error never
 * leaves a temporary behind.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static struct gm_out *open_outs[32];
static int nopen;
static char *dir_tmp, *dir_final;	/* the run folder being written, if any */

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* .NAME.tmp.PID in PATH's folder */
static char *tmp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path + 1) : 0;
	size_t n = strlen(path) + 32;
	char *t = xmalloc(n);
	snprintf(t, n, "%.*s.%s.tmp.%d", (int)dl, path, slash ? slash + 1 : path, (int)getpid());
	return t;
}

struct gm_out *gm_out_open(const char *path)
{
	if (nopen == (int)(sizeof open_outs / sizeof open_outs[0]))
		die("too many output files at once");
	struct gm_out *o = xcalloc(1, sizeof *o);
	o->final = xstrdup(path);
	o->tmp = tmp_name(path);
	int fd = open(o->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0 || !(o->f = fdopen(fd, "w")))
		die("cannot write %s: %s", o->tmp, strerror(errno));
	open_outs[nopen++] = o;
	return o;
}

struct gm_out *gm_out_open_in(const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct gm_out *o = gm_out_open(p);
	free(p);
	return o;
}

static void out_free(struct gm_out *o)
{
	free(o->tmp);
	free(o->final);
	free(o);
}

void gm_out_commit_all(void)
{
	for (int i = 0; i < nopen; i++) {
		struct gm_out *o = open_outs[i];
		int bad = fflush(o->f) != 0 || ferror(o->f);
		if (!bad && fsync(fileno(o->f)) != 0 && errno != EINVAL && errno != EROFS)
			bad = 1;
		if (bad)
			die("writing %s failed: %s", o->tmp, strerror(errno));
	}
	for (int i = 0; i < nopen; i++) {
		struct gm_out *o = open_outs[i];
		FILE *f = o->f;
		o->f = NULL;
		if (fclose(f) != 0)
			die("writing %s failed: %s", o->tmp, strerror(errno));
	}
	for (int i = 0; i < nopen; i++) {
		struct gm_out *o = open_outs[i];
		if (rename(o->tmp, o->final) != 0) {
			int e = errno;
			for (int k = 0; k < i; k++)	/* undo: nothing partial */
				unlink(open_outs[k]->final);
			for (int k = 0; k < i; k++)
				out_free(open_outs[k]);
			memmove(open_outs, open_outs + i, (size_t)(nopen - i) * sizeof *open_outs);
			nopen -= i;
			die("rename %s: %s", open_outs[0]->final, strerror(e));
		}
	}
	for (int i = 0; i < nopen; i++)
		out_free(open_outs[i]);
	nopen = 0;
}

void gm_write_file(const char *dir, const char *name, const char *data, size_t len)
{
	struct gm_out *o = gm_out_open_in(dir, name);
	if (fwrite(data, 1, len, o->f) != len)
		die("writing %s failed: %s", o->tmp, strerror(errno));
	gm_out_commit_all();
}

void gm_mkdir_p(const char *dir, const char *what)
{
	char *p = xstrdup(dir);
	size_t len = strlen(p);
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			die("%s %s: cannot create directory: %s", what, dir, strerror(errno));
		p[i] = c;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		die("%s %s: cannot create directory: %s", what, dir, strerror(ENOTDIR));
}

/* ---- a run folder */

void gm_dir_begin(const char *final)
{
	dir_final = xstrdup(final);
	size_t n = strlen(final);
	while (n > 1 && final[n - 1] == '/')
		dir_final[--n] = 0;
	dir_tmp = tmp_name(dir_final);
	if (mkdir(dir_tmp, 0777) != 0) {
		int e = errno;
		free(dir_tmp);
		dir_tmp = NULL;
		die("cannot create %s: %s", final, strerror(e));
	}
}

FILE *gm_dir_open(const char *name)
{
	char *p = join(dir_tmp, name);
	FILE *f = fopen(p, "w");
	if (!f)
		die("cannot write %s/%s: %s", dir_final, name, strerror(errno));
	free(p);
	return f;
}

void gm_dir_mkdir(const char *name)
{
	char *p = join(dir_tmp, name);
	if (mkdir(p, 0777) != 0)
		die("cannot create %s/%s: %s", dir_final, name, strerror(errno));
	free(p);
}

void gm_dir_close(FILE *f, const char *name)
{
	if (fflush(f) || ferror(f) || fclose(f))
		die("writing %s/%s failed", dir_final, name);
}

void gm_dir_commit(void)
{
	struct stat st;
	/* rename() would replace an empty folder: the final name must be new */
	if (lstat(dir_final, &st) == 0)
		die("%s exists already", dir_final);
	if (rename(dir_tmp, dir_final) != 0)
		die("cannot create %s: %s", dir_final, strerror(errno));
	free(dir_tmp);
	free(dir_final);
	dir_tmp = dir_final = NULL;
}

/* ---- cleanup (die) */

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	remove(p);
	return 0;
}

void gm_out_cleanup(void)
{
	for (int i = 0; i < nopen; i++) {
		if (open_outs[i]->f)
			fclose(open_outs[i]->f);
		unlink(open_outs[i]->tmp);
	}
	nopen = 0;
	if (dir_tmp)
		nftw(dir_tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir_tmp = NULL;
}

void gm_write_files(const char *dir, const char *what, const char *const *names, const char *const *data)
{
	gm_mkdir_p(dir, what);
	for (size_t i = 0; names[i]; i++)
		fputs(data[i], gm_out_open_in(dir, names[i])->f);
	gm_out_commit_all();
}
