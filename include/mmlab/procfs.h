/*
 * /proc and /sys of the machine (fs/proc, fs/sysfs, kernel/sysctl.c). Files are rendered from the
 * machine's accounting when read, in the kernel's formats byte for byte; writable files change
 * tunables through the same handlers the kernel runs.
 *
 * The tree is a list of entries (struct proc_entry), each naming one file by its absolute path.
 * A path component that ends in '*' is a directory of dynamic names: "node*" matches "node0",
 * "node1", ... and "*" matches any name; the part the '*' stands for is handed to the entry's
 * lookup, show and write as arg ("0", "min_free_kbytes", "1234"). An entry is found when every
 * component of the path matches and lookup (when the entry has one) accepts arg; a path that
 * stops at a directory of some entry is -EISDIR. The first entry that matches wins.
 *
 * Adding files: define a `const struct proc_entry NAME[]` ending with an entry whose path is NULL,
 * declare it in src/fs/proc/internal.h and list it in proc_tables[] (src/fs/proc/root.c).
 */
#ifndef MMLAB_PROCFS_H
#define MMLAB_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

struct machine;
struct seq_file;

struct proc_entry {
	const char *path;	/* absolute, "/proc/meminfo"; a '*' component as described above */
	/* lookup: does the dynamic name arg exist? NULL: any name does. */
	bool (*lookup)(struct machine *m, const char *arg);
	/* show: render the file into s; 0 or a negative errno. NULL: the file cannot be read. */
	int (*show)(struct machine *m, struct seq_file *s, const char *arg);
	/* write: take len bytes of text; 0 or a negative errno. NULL: the file is read-only. */
	int (*write)(struct machine *m, const char *arg, const char *text, size_t len);
};

/* procfs_read: render PATH into out. 0, or -ENOENT (no such file), -EISDIR, -EACCES (write-only). */
int procfs_read(struct machine *m, const char *path, struct seq_file *out);
/* next_tgid: the smallest pid above pid that has a /proc/PID directory (a process or a kernel
 * thread), 0 when there is none: readdir of /proc lists them in this order (fs/proc/base.c). */
int next_tgid(struct machine *m, int pid);
/* procfs_write: what `echo TEXT > PATH` does. 0, or -ENOENT, -EACCES (read-only), -EINVAL (bad value). */
int procfs_write(struct machine *m, const char *path, const char *text, size_t len);
/* sysctl_path: "vm.min_free_kbytes" -> "/proc/sys/vm/min_free_kbytes" into buf. */
void sysctl_path(const char *key, size_t keylen, char *buf, size_t buflen);

#endif
