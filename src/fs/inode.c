/*
 * Inodes and open files (fs/inode.c, fs/open.c, fs/file_table.c): a path names the machine's own
 * file (in the host directory the machine owns, opened read-write) or else a host file (opened
 * read-only). Each distinct host file, by (st_dev, st_ino), has one inode and so one page cache,
 * however many times and by whomever it is opened. The machine's own files show as on a device of
 * the machine's (MACHINE_FS_DEV), numbered in order, so that a scenario's output does not depend
 * on the host's temporary directory. Inodes stay cached when their last file is
 * closed, with their pages, until drop_caches 2 (prune_icache) or shutdown.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/vmscan.h>
#include <mmlab/machine.h>
#include <mmlab/swap.h>

int fs_init(struct machine *m)
{
	m->fs = calloc(1, sizeof(*m->fs));
	if (!m->fs)
		return -ENOMEM;
	INIT_LIST_HEAD(&m->fs->inodes);
	return bdi_init(m);
}

/* evict: the inode's pages and the inode go (fs/inode.c). */
static void evict(struct machine *m, struct inode *inode)
{
	truncate_inode_pages(m, &inode->i_data);
	xa_destroy(&inode->i_data.i_pages);
	list_del(&inode->i_sb_list);
	m->fs->nr_inodes--;
	close(inode->fd);
	free(inode->path);
	free(inode);
}

void fs_exit(struct machine *m)
{
	if (!m->fs)
		return;
	while (!list_empty(&m->fs->inodes))
		evict(m, list_entry(m->fs->inodes.next, struct inode, i_sb_list));
	bdi_exit(m);
	free(m->fs);
	m->fs = NULL;
}

/* open_host: the machine's file of that name read-write, else the host's read-only. */
static int open_host(struct machine *m, const char *path, bool *writable)
{
	int fd = machine_file_open(m, path, false);

	*writable = fd >= 0;
	if (fd >= 0 || (fd != -ENOENT && fd != -EINVAL))
		return fd;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* The name /proc/PID/maps prints: the machine's path, or the host file's real path (d_path). */
static char *inode_path(const char *path, bool writable)
{
	char real[PATH_MAX];

	if (!writable && realpath(path, real))
		return strdup(real);
	return strdup(path);
}

/* find_inode_fast: the cached inode of (dev, ino), or NULL. */
static struct inode *find_inode(struct machine *m, const struct stat *st)
{
	struct inode *inode;

	list_for_each_entry(inode, &m->fs->inodes, i_sb_list)
		if (inode->host_dev == st->st_dev && inode->host_ino == st->st_ino)
			return inode;
	return NULL;
}

/* iget_locked: the inode of (dev, ino), made from fd when there is none (fd is then the inode's). */
static struct inode *iget(struct machine *m, const struct stat *st, int fd, const char *path, bool writable)
{
	struct inode *inode = find_inode(m, st);

	if (inode) {
		close(fd);
		return inode;
	}
	inode = calloc(1, sizeof(*inode));
	if (!inode || !(inode->path = inode_path(path, writable)) ||
	    !(inode->i_bdi = bdi_get(m, writable ? MACHINE_FS_DEV : st->st_dev))) {
		if (inode)
			free(inode->path);
		free(inode);
		return NULL;
	}
	inode->host_dev = st->st_dev;
	inode->host_ino = st->st_ino;
	inode->i_dev = writable ? MACHINE_FS_DEV : st->st_dev;
	inode->i_ino = writable ? ++m->fs->last_ino : st->st_ino;
	inode->i_size = st->st_size;
	inode->fd = fd;
	inode->writable = writable;
	inode->i_data.host = inode;
	xa_init(&inode->i_data.i_pages);
	xa_set_update(&inode->i_data.i_pages, workingset_update_node, m);	/* mapping_set_update */
	inode->i_data.i_mmap = RB_ROOT;
	list_add_tail(&inode->i_sb_list, &m->fs->inodes);
	m->fs->nr_inodes++;
	return inode;
}

struct file *filp_open(struct machine *m, const char *path, int *err)
{
	bool writable;
	int fd = open_host(m, path, &writable);
	struct stat st;
	struct file *file;

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		*err = -ENODEV;		/* no ->mmap for what is not a regular file here */
		return NULL;
	}
	file = calloc(1, sizeof(*file));
	if (!file || !(file->f_inode = iget(m, &st, fd, path, writable))) {
		if (file)
			close(fd);
		free(file);
		*err = -ENOMEM;
		return NULL;
	}
	file->f_mapping = &file->f_inode->i_data;
	file_ra_state_init(&file->f_ra, file->f_mapping);
	file->f_mode = FMODE_READ | (file->f_inode->writable ? FMODE_WRITE : 0);
	file->f_count = 1;
	file->f_inode->i_count++;
	return file;
}

struct file *get_file(struct file *file)
{
	if (file)
		file->f_count++;
	return file;
}

void fput(struct machine *m, struct file *file)
{
	(void)m;
	if (!file || --file->f_count)
		return;
	file->f_inode->i_count--;	/* iput: the inode stays cached */
	free(file);
}

bool IS_SWAPFILE(struct machine *m, const struct inode *inode)
{
	return inode->writable && swap_info_find(m, inode->path);
}

/* do_truncate (fs/open.c): through the inode when the file is cached, so that its page cache
 * follows (truncate_setsize); an active swap file is -ETXTBSY (vfs_truncate). */
int do_truncate(struct machine *m, const char *path, long long size)
{
	int fd, err = 0;

	if (swap_info_find(m, path))
		return -ETXTBSY;
	fd = size < 0 ? -EINVAL : machine_file_open(m, path, true);
	struct stat st;
	struct inode *inode;

	if (fd < 0)
		return fd;
	if (fstat(fd, &st))
		err = -errno;
	else if ((inode = find_inode(m, &st)))
		err = truncate_setsize(m, inode, size);
	else if (ftruncate(fd, (off_t)size))
		err = -errno;
	close(fd);
	return err;
}

unsigned long prune_icache(struct machine *m)
{
	struct inode *inode, *next;
	unsigned long freed = 0;

	list_for_each_entry_safe(inode, next, &m->fs->inodes, i_sb_list)
		if (!inode->i_count && !inode->i_data.nrpages) {
			evict(m, inode);
			freed++;
		}
	return freed;
}

long long fs_host_size(struct machine *m, const char *path)
{
	bool writable;
	int fd = open_host(m, path, &writable);
	struct stat st;
	long long size;

	if (fd < 0)
		return fd;
	size = fstat(fd, &st) ? -errno : (long long)st.st_size;
	close(fd);
	return size;
}

long fs_host_read(struct machine *m, const char *path, long long off, void *buf, unsigned long len)
{
	bool writable;
	int fd = open_host(m, path, &writable);
	ssize_t n;

	if (fd < 0)
		return fd;
	n = pread(fd, buf, len, (off_t)off);
	if (n < 0)
		n = -errno;
	close(fd);
	return (long)n;
}
