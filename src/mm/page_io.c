/*
 * Swap I/O (mm/page_io.c): a swap cache page's 4 KiB to its slot and back, through the area's
 * backend. A swap file or partition is a real host file in a directory the machine owns (made by
 * mkdtemp under $TMPDIR or /tmp, removed by swap_exit); slot N is at byte N * PAGE_SIZE. A zram
 * device (/dev/zramN) keeps slot N in its block N (include/mmlab/zram.h).
 */
#include <mmlab/machine.h>
#include <mmlab/swap.h>
#include <mmlab/zram.h>
#include <mmlab/zswap.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pgpgin/pgpgout count 512-byte sectors, as the block layer does (block/blk-core.c); /proc/vmstat
 * prints them halved, in KiB. */
#define SECTORS_PER_PAGE (PAGE_SIZE >> 9)

/* The host file backend: pread/pwrite of whole pages. */
static int file_read_page(struct swap_info_struct *si, unsigned long offset, void *buf)
{
	ssize_t n = pread(si->fd, buf, PAGE_SIZE, (off_t)(offset * PAGE_SIZE));

	if (n == (ssize_t)PAGE_SIZE)
		return 0;
	return n < 0 ? -errno : -EIO;
}

static int file_write_page(struct swap_info_struct *si, unsigned long offset, const void *buf)
{
	ssize_t n = pwrite(si->fd, buf, PAGE_SIZE, (off_t)(offset * PAGE_SIZE));

	if (n == (ssize_t)PAGE_SIZE)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* A freed slot of a file keeps its stale bytes, as on a disk without discard. */
static void file_free_slot(struct swap_info_struct *si, unsigned long offset)
{
	(void)si;
	(void)offset;
}

static void file_release(struct swap_info_struct *si)
{
	close(si->fd);
	si->fd = -1;
}

static const struct swap_backend swap_file_backend = {
	.name = "file",
	.read_page = file_read_page,
	.write_page = file_write_page,
	.free_slot = file_free_slot,
	.release = file_release,
};

/* The host directory of the machine's swap files: made on first use. */
static int swap_dir_create(struct machine *m)
{
	const char *tmp = getenv("TMPDIR");
	char buf[4096];

	if (m->swap->dir)
		return 0;
	snprintf(buf, sizeof(buf), "%s/mmlab-swap-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(buf))
		return -errno;
	m->swap->dir = strdup(buf);
	return m->swap->dir ? 0 : -ENOMEM;
}

void swap_dir_remove(struct machine *m)
{
	char buf[4096];
	struct dirent *d;
	DIR *dir;

	if (!m->swap->dir)
		return;
	dir = opendir(m->swap->dir);
	while (dir && (d = readdir(dir))) {
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..")) {
			snprintf(buf, sizeof(buf), "%s/%s", m->swap->dir, d->d_name);
			unlink(buf);
		}
	}
	if (dir)
		closedir(dir);
	rmdir(m->swap->dir);
	free(m->swap->dir);
	m->swap->dir = NULL;
}

/* swap_host_path: the host file behind the machine's path, into buf. */
static int swap_host_path(struct machine *m, const char *path, char *buf, size_t size)
{
	size_t n;

	if (path[0] != '/' || strstr(path, "/../") || !strcmp(path, "/"))
		return -EINVAL;
	if (!m->swap->dir)
		return -ENOENT;
	n = (size_t)snprintf(buf, size, "%s/", m->swap->dir);
	/* The machine's path, '/' escaped as "%2F" and '%' as "%25": one flat, collision-free name. */
	for (const char *p = path + 1; *p && n + 4 < size; p++)
		n += (size_t)snprintf(buf + n, size - n, *p == '/' ? "%%2F" : *p == '%' ? "%%25" : "%c", *p);
	return n + 4 < size ? 0 : -ENAMETOOLONG;
}

/* The zram backend: the device's blocks; a freed slot is discarded (swap_slot_free_notify). */
static int zram_backend_read_page(struct swap_info_struct *si, unsigned long offset, void *buf)
{
	return zram_read_page(si->bdev, (uint32_t)offset, buf);
}

static int zram_backend_write_page(struct swap_info_struct *si, unsigned long offset, const void *buf)
{
	return zram_write_page(si->bdev, (uint32_t)offset, buf);
}

static void zram_backend_free_slot(struct swap_info_struct *si, unsigned long offset)
{
	zram_slot_free_notify(si->bdev, (uint32_t)offset);
}

static void zram_backend_release(struct swap_info_struct *si)
{
	zram_release(si->bdev);
	si->bdev = NULL;
}

static const struct swap_backend swap_zram_backend = {
	.name = "zram",
	.read_page = zram_backend_read_page,
	.write_page = zram_backend_write_page,
	.free_slot = zram_backend_free_slot,
	.release = zram_backend_release,
};

static bool is_zram(const char *path)
{
	return !strncmp(path, "/dev/zram", 9);
}

/* zram_backend_open: claim the device for swap (-EBUSY if someone holds it); an uninitialised
 * device (no disksize) has no pages, so no header. */
static int zram_backend_open(struct machine *m, struct swap_info_struct *si, uint64_t *bytes)
{
	struct zram *zram = zram_get(m, si->swap_file);
	int err;

	if (!zram)
		return -ENOENT;
	*bytes = (uint64_t)zram_nr_pages(zram) * PAGE_SIZE;
	if (!*bytes)
		return -EINVAL;
	if ((err = zram_claim(zram)))
		return err;
	si->bdev = zram;
	si->backend = &swap_zram_backend;
	return 0;
}

int machine_file_open(struct machine *m, const char *path, bool create)
{
	char host[4096];
	int err = create ? swap_dir_create(m) : 0;
	int fd;

	if (err || (err = swap_host_path(m, path, host, sizeof(host))))
		return err;
	fd = open(host, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	return fd < 0 ? -errno : fd;
}

int swap_host_open(struct machine *m, const char *path, bool create, uint64_t size)
{
	int err, fd = machine_file_open(m, path, create);

	if (fd < 0)
		return fd;
	if (create && ftruncate(fd, (off_t)size)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int file_backend_open(struct machine *m, struct swap_info_struct *si, uint64_t *bytes)
{
	off_t end;
	int err;

	si->fd = swap_host_open(m, si->swap_file, false, 0);
	if (si->fd < 0)
		return si->fd;
	end = lseek(si->fd, 0, SEEK_END);
	if (end < 0) {
		err = -errno;
		close(si->fd);
		return err;
	}
	*bytes = (uint64_t)end;
	si->backend = &swap_file_backend;
	return 0;
}

int swap_backend_open(struct machine *m, struct swap_info_struct *si, uint64_t *bytes)
{
	if (is_zram(si->swap_file))
		return zram_backend_open(m, si, bytes);
	return file_backend_open(m, si, bytes);
}

/* swap_device_header: write page 0 of the file or device at path, which is not in use; its size
 * in bytes into *bytes before (write false: only the size). */
int swap_device_header(struct machine *m, const char *path, const void *page, bool write, uint64_t *bytes)
{
	struct swap_info_struct dev = { .swap_file = (char *)path, .fd = -1 };
	int err = swap_backend_open(m, &dev, bytes);

	if (err)
		return err;
	if (write)
		err = dev.backend->write_page(&dev, 0, page);
	dev.backend->release(&dev);
	return err;
}

/* swap_writepage: write the page to the slot it caches (mm/page_io.c swap_writeout). */
int swap_writepage(struct machine *m, struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si;
	int err;

	if (!PageSwapCache(page) || !(si = swp_swap_info(m, entry)))
		return -EINVAL;
	if (zswap_store(m, page))	/* swap_writeout: zswap first */
		return 0;
	err = si->backend->write_page(si, swp_offset(entry), kmap_local_page(m, page));
	if (err)
		return err;
	count_vm_event(m, PSWPOUT);
	count_vm_events(m, PGPGOUT, SECTORS_PER_PAGE);
	return 0;
}

/* swap_read_folio: read entry's slot into page (mm/page_io.c). */
int swap_read_folio(struct machine *m, struct page *page, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	int err;

	if (!si || !swap_entry_valid(m, entry))
		return -EINVAL;
	if ((err = zswap_load(m, page, entry)) != -ENOENT)	/* swap_read_folio: zswap first */
		return err;
	err = si->backend->read_page(si, swp_offset(entry), kmap_local_page(m, page));
	if (err)
		return err;
	count_vm_event(m, PSWPIN);
	count_vm_events(m, PGPGIN, SECTORS_PER_PAGE);
	return 0;
}
