/*
 * Finding a path in the tree of entries, and reading or writing the file found (fs/proc/generic.c,
 * fs/namei.c in miniature). See include/mmlab/procfs.h for how entries name their paths.
 */
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include <errno.h>
#include <string.h>

#include "fs/proc/internal.h"

/* The longest dynamic name an entry is asked about, NUL included. */
#define PROC_NAME_MAX 64

struct component {
	const char *name;
	size_t len;
};

enum proc_match {
	MATCH_NONE,
	MATCH_DIR,	/* the path names a directory on the way to the entry */
	MATCH_FILE,
};

/* next_component: the next name of the path at *p, slashes skipped; false at the end. */
static bool next_component(const char **p, struct component *c)
{
	const char *s = *p;

	while (*s == '/')
		s++;
	if (!*s)
		return false;
	c->name = s;
	while (*s && *s != '/')
		s++;
	c->len = (size_t)(s - c->name);
	*p = s;
	return true;
}

/* match_component: does name c match pattern pc? What a trailing '*' stands for goes to arg. */
static bool match_component(struct component pc, struct component c, char *arg)
{
	if (pc.len && pc.name[pc.len - 1] == '*') {
		size_t fixed = pc.len - 1, rest = c.len - fixed;

		if (c.len <= fixed || rest >= PROC_NAME_MAX || memcmp(pc.name, c.name, fixed))
			return false;
		memcpy(arg, c.name + fixed, rest);
		arg[rest] = '\0';
		return true;
	}
	return pc.len == c.len && !memcmp(pc.name, c.name, c.len);
}

/* proc_match: is path the entry's file, one of its directories, or neither? */
static enum proc_match proc_match(struct machine *m, const struct proc_entry *e, const char *path,
				  char *arg)
{
	const char *pp = e->path, *p = path;
	struct component pc, c;

	arg[0] = '\0';
	while (next_component(&p, &c)) {
		if (!next_component(&pp, &pc) || !match_component(pc, c, arg))
			return MATCH_NONE;
	}
	if (arg[0] && e->lookup && !e->lookup(m, arg))
		return MATCH_NONE;
	return next_component(&pp, &pc) ? MATCH_DIR : MATCH_FILE;
}

/* proc_open: the entry whose file path is, if it can be read (or written): else NULL with *err set
 * to -ENOENT, -EISDIR or -EACCES. */
static const struct proc_entry *proc_open(struct machine *m, const char *path, bool write, char *arg, int *err)
{
	*err = -ENOENT;
	if (path[0] != '/')
		return NULL;
	for (const struct proc_entry *const *t = proc_tables; *t; t++) {
		for (const struct proc_entry *e = *t; e->path; e++) {
			enum proc_match match = proc_match(m, e, path, arg);

			if (match == MATCH_DIR)
				*err = -EISDIR;
			if (match != MATCH_FILE)
				continue;
			if (write ? e->write != NULL : e->show != NULL)
				return e;
			*err = -EACCES;
			return NULL;
		}
	}
	return NULL;
}

int procfs_read(struct machine *m, const char *path, struct seq_file *out)
{
	char arg[PROC_NAME_MAX];
	int err;
	const struct proc_entry *e = proc_open(m, path, false, arg, &err);
	size_t start = out->count;

	if (!e)
		return err;
	err = e->show(m, out, arg);
	if (err) {
		out->count = start;
		if (out->buf)
			out->buf[start] = '\0';
	}
	return err;
}

int procfs_write(struct machine *m, const char *path, const char *text, size_t len)
{
	char arg[PROC_NAME_MAX];
	int err;
	const struct proc_entry *e = proc_open(m, path, true, arg, &err);

	return e ? e->write(m, arg, text, len) : err;
}
