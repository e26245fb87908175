/*
 * The simulated processes' C library malloc (glibc's malloc/malloc.c, in miniature): chunks with
 * glibc's 16-byte header in the process's own memory, small requests carved from a heap grown
 * with brk and reused from a free list with boundary-tag coalescing, requests of mmap_threshold
 * (128 KiB) or more each in a mapping of their own, and the heap's top given back with brk when
 * 128 KiB or more of it is free. Every word malloc reads or writes is a load or store of the
 * process, through its page tables: it faults, and a corrupted heap kills it.
 *
 * The arena (glibc's main_arena, in libc's .data) is kept in the first words of the program's data
 * segment, so that fork copies it with the rest of the process's memory.
 */
#include <errno.h>

#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>
#include <mmlab/user.h>

#define SIZE_SZ		8UL
#define MALLOC_ALIGN	16UL
#define MINSIZE		32UL		/* header, fd and bk */
#define PREV_INUSE	0x1UL
#define IS_MMAPPED	0x2UL
#define SIZE_BITS	(PREV_INUSE | IS_MMAPPED)
#define DEFAULT_MMAP_THRESHOLD	(128UL * 1024)
#define DEFAULT_TOP_PAD		(128UL * 1024)	/* brk grows by at least this (M_TOP_PAD) */
#define DEFAULT_TRIM_THRESHOLD	(128UL * 1024)	/* a free top this big goes back (M_TRIM_THRESHOLD) */

/* The arena's words at mm->start_data. */
enum arena_word { ARENA_MAGIC, ARENA_TOP, ARENA_BINS, ARENA_MMAP_THRESHOLD, NR_ARENA_WORDS };
#define ARENA_MAGIC_VALUE	0x6d6d6c6162617265UL	/* "mmlabare": the arena was set up */

/* A chunk's words: prev_size, size|flags, then (free chunks) fd and bk. */
enum chunk_word { PREV_SIZE, SIZE, FD, BK };

struct umalloc {
	struct machine *m;
	struct task_struct *tsk;
	unsigned long arena;
	int sig;		/* the signal the process died of, 0 while it lives */
};

/* One 8-byte load of the process; 0 once it has died. */
static uint64_t uload(struct umalloc *u, unsigned long addr)
{
	unsigned char *p;
	uint64_t v = 0;

	if (u->sig || !(p = user_access_page(u->m, u->tsk, addr, false, &u->sig)))
		return 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void ustore(struct umalloc *u, unsigned long addr, uint64_t v)
{
	unsigned char *p;

	if (u->sig || !(p = user_access_page(u->m, u->tsk, addr, true, &u->sig)))
		return;
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
	seq_record(u->tsk->mm, addr, addr + 8, false);
}

static uint64_t chunk_get(struct umalloc *u, unsigned long chunk, enum chunk_word w)
{
	return uload(u, chunk + w * SIZE_SZ);
}

static void chunk_set(struct umalloc *u, unsigned long chunk, enum chunk_word w, uint64_t v)
{
	ustore(u, chunk + w * SIZE_SZ, v);
}

static unsigned long arena_get(struct umalloc *u, enum arena_word w)
{
	return uload(u, u->arena + w * SIZE_SZ);
}

static void arena_set(struct umalloc *u, enum arena_word w, unsigned long v)
{
	ustore(u, u->arena + w * SIZE_SZ, v);
}

static unsigned long chunksize(struct umalloc *u, unsigned long chunk)
{
	return chunk_get(u, chunk, SIZE) & ~SIZE_BITS;
}

/* malloc_printerr: glibc prints what it found and aborts the process. */
static void malloc_printerr(struct umalloc *u)
{
	if (!u->sig) {
		do_exit(u->m, u->tsk);
		u->sig = SIGABRT;
	}
}

/* ptmalloc_init: the arena on first use; the first sbrk makes a top chunk of M_TOP_PAD and more. */
static bool arena_init(struct umalloc *u)
{
	unsigned long top, brk;

	if (arena_get(u, ARENA_MAGIC) == ARENA_MAGIC_VALUE || u->sig)
		return !u->sig;
	top = ((unsigned long)sys_brk(u->tsk, 0) + MALLOC_ALIGN - 1) & ~(MALLOC_ALIGN - 1);
	brk = PAGE_ALIGN(top + MINSIZE + DEFAULT_TOP_PAD);
	if (sys_brk(u->tsk, brk) != (long)brk)
		return false;
	arena_set(u, ARENA_TOP, top);
	chunk_set(u, top, SIZE, (brk - top) | PREV_INUSE);
	arena_set(u, ARENA_BINS, 0);
	arena_set(u, ARENA_MMAP_THRESHOLD, DEFAULT_MMAP_THRESHOLD);
	arena_set(u, ARENA_MAGIC, ARENA_MAGIC_VALUE);
	return !u->sig;
}

/* request2size: the chunk for n bytes: n plus the size word, rounded up to 16, at least MINSIZE. */
static unsigned long request2size(unsigned long n)
{
	unsigned long size = (n + SIZE_SZ + MALLOC_ALIGN - 1) & ~(MALLOC_ALIGN - 1);

	return size < MINSIZE ? MINSIZE : size;
}

/* unlink_chunk: take a free chunk off the bin list. */
static void unlink_chunk(struct umalloc *u, unsigned long chunk)
{
	unsigned long fd = chunk_get(u, chunk, FD), bk = chunk_get(u, chunk, BK);

	if (bk)
		chunk_set(u, bk, FD, fd);
	else
		arena_set(u, ARENA_BINS, fd);
	if (fd)
		chunk_set(u, fd, BK, bk);
}

/* A free chunk goes to the head of the bin; its size is copied to the next chunk's prev_size and
 * the next chunk's PREV_INUSE cleared (the boundary tag). */
static void insert_free(struct umalloc *u, unsigned long chunk, unsigned long size)
{
	unsigned long head = arena_get(u, ARENA_BINS), next = chunk + size;

	chunk_set(u, chunk, SIZE, size | (chunk_get(u, chunk, SIZE) & PREV_INUSE));
	chunk_set(u, chunk, FD, head);
	chunk_set(u, chunk, BK, 0);
	if (head)
		chunk_set(u, head, BK, chunk);
	arena_set(u, ARENA_BINS, chunk);
	chunk_set(u, next, PREV_SIZE, size);
	chunk_set(u, next, SIZE, chunk_get(u, next, SIZE) & ~PREV_INUSE);
}

/* Mark chunk of size in use: the next chunk's PREV_INUSE says so. */
static void set_inuse(struct umalloc *u, unsigned long chunk, unsigned long size)
{
	unsigned long next = chunk + size;

	chunk_set(u, chunk, SIZE, size | (chunk_get(u, chunk, SIZE) & PREV_INUSE));
	chunk_set(u, next, SIZE, chunk_get(u, next, SIZE) | PREV_INUSE);
}

/* First fit from the bin; a remainder of MINSIZE or more becomes a free chunk. 0 if none fits. */
static unsigned long malloc_from_bins(struct umalloc *u, unsigned long size)
{
	for (unsigned long chunk = arena_get(u, ARENA_BINS); chunk && !u->sig; chunk = chunk_get(u, chunk, FD)) {
		unsigned long have = chunksize(u, chunk);

		if (have < size)
			continue;
		unlink_chunk(u, chunk);
		if (have - size >= MINSIZE) {
			chunk_set(u, chunk, SIZE, size | (chunk_get(u, chunk, SIZE) & PREV_INUSE));
			chunk_set(u, chunk + size, SIZE, PREV_INUSE);
			insert_free(u, chunk + size, have - size);
		} else {
			set_inuse(u, chunk, have);
		}
		return chunk;
	}
	return 0;
}

/* sysmalloc: grow the top with brk (by at least M_TOP_PAD), then carve the chunk from it. */
static unsigned long malloc_from_top(struct umalloc *u, unsigned long size)
{
	unsigned long top = arena_get(u, ARENA_TOP), have = chunksize(u, top);

	if (have < size + MINSIZE) {
		unsigned long brk = (unsigned long)sys_brk(u->tsk, 0);
		unsigned long grow = PAGE_ALIGN(size + MINSIZE - have + DEFAULT_TOP_PAD);

		if (sys_brk(u->tsk, brk + grow) != (long)(brk + grow))
			return 0;
		have += grow;
	}
	chunk_set(u, top, SIZE, size | (chunk_get(u, top, SIZE) & PREV_INUSE));
	arena_set(u, ARENA_TOP, top + size);
	chunk_set(u, top + size, SIZE, (have - size) | PREV_INUSE);
	return top;
}

/* sysmalloc's mmap path: a chunk in a mapping of its own, its size flagged IS_MMAPPED. */
static unsigned long malloc_mmapped(struct umalloc *u, unsigned long size)
{
	unsigned long len = PAGE_ALIGN(size + SIZE_SZ);
	long chunk = sys_mmap(u->tsk, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

	if (chunk < 0)
		return 0;
	chunk_set(u, (unsigned long)chunk, SIZE, len | IS_MMAPPED);
	return (unsigned long)chunk;
}

static struct umalloc umalloc_begin(struct machine *m, struct task_struct *tsk)
{
	return (struct umalloc){ m, tsk, tsk->mm->start_data, 0 };
}

/* The caller's answer: an address, 0 (ENOMEM), or the signal the process died of. */
static unsigned long umalloc_end(struct umalloc *u, unsigned long chunk, int *sig)
{
	*sig = u->sig;
	return u->sig || !chunk ? 0 : chunk + 2 * SIZE_SZ;
}

unsigned long user_malloc(struct machine *m, struct task_struct *tsk, unsigned long n, int *sig)
{
	struct umalloc u = umalloc_begin(m, tsk);
	unsigned long size = request2size(n), chunk = 0;

	if (n > (1UL << 47) || !arena_init(&u))
		return umalloc_end(&u, 0, sig);
	if (size >= arena_get(&u, ARENA_MMAP_THRESHOLD))
		chunk = malloc_mmapped(&u, size);
	else if (!(chunk = malloc_from_bins(&u, size)))
		chunk = malloc_from_top(&u, size);
	return umalloc_end(&u, chunk, sig);
}

/* systrim: a top of M_TRIM_THRESHOLD or more shrinks to a page and gives the rest back to brk. */
static void systrim(struct umalloc *u)
{
	unsigned long top = arena_get(u, ARENA_TOP), have = chunksize(u, top);
	unsigned long keep = PAGE_ALIGN(top + MINSIZE) - top;

	if (have < DEFAULT_TRIM_THRESHOLD || have <= keep)
		return;
	if (sys_brk(u->tsk, top + keep) == (long)(top + keep))
		chunk_set(u, top, SIZE, keep | (chunk_get(u, top, SIZE) & PREV_INUSE));
}

/* _int_free: coalesce with a free neighbour on either side (or the top), then bin or trim. */
static void int_free(struct umalloc *u, unsigned long chunk, unsigned long size)
{
	unsigned long next = chunk + size, top = arena_get(u, ARENA_TOP);

	if (!(chunk_get(u, chunk, SIZE) & PREV_INUSE)) {
		unsigned long prev_size = chunk_get(u, chunk, PREV_SIZE);

		chunk -= prev_size;
		size += prev_size;
		unlink_chunk(u, chunk);
	}
	if (next == top) {
		chunk_set(u, chunk, SIZE, (size + chunksize(u, top)) | (chunk_get(u, chunk, SIZE) & PREV_INUSE));
		arena_set(u, ARENA_TOP, chunk);
		systrim(u);
		return;
	}
	if (!(chunk_get(u, next + chunksize(u, next), SIZE) & PREV_INUSE)) {
		size += chunksize(u, next);
		unlink_chunk(u, next);
	}
	insert_free(u, chunk, size);
}

int user_free(struct machine *m, struct task_struct *tsk, unsigned long p)
{
	struct umalloc u = umalloc_begin(m, tsk);
	unsigned long chunk = p - 2 * SIZE_SZ, size;
	uint64_t word;

	if (!p)
		return 0;
	if ((p & (MALLOC_ALIGN - 1)) || arena_get(&u, ARENA_MAGIC) != ARENA_MAGIC_VALUE) {
		malloc_printerr(&u);	/* free(): invalid pointer */
		return u.sig;
	}
	word = chunk_get(&u, chunk, SIZE);
	size = word & ~SIZE_BITS;
	if (word & IS_MMAPPED)
		sys_munmap(tsk, chunk, size);
	else if (size < MINSIZE || (size & (MALLOC_ALIGN - 1)))
		malloc_printerr(&u);	/* free(): invalid size */
	else
		int_free(&u, chunk, size);
	return u.sig;
}

/* The usable bytes of the chunk behind p: its size less the size word (mmapped: less the header). */
static unsigned long usable_size(struct umalloc *u, unsigned long p)
{
	uint64_t word = chunk_get(u, p - 2 * SIZE_SZ, SIZE);

	return (word & ~SIZE_BITS) - (word & IS_MMAPPED ? 2 * SIZE_SZ : SIZE_SZ);
}

unsigned long user_realloc(struct machine *m, struct task_struct *tsk, unsigned long p, unsigned long n, int *sig)
{
	struct umalloc u = umalloc_begin(m, tsk);
	unsigned long old = p ? usable_size(&u, p) : 0, copy = old < n ? old : n, q;

	if (u.sig)
		return umalloc_end(&u, 0, sig);
	q = user_malloc(m, tsk, n, sig);
	if (!q || *sig)
		return 0;
	for (unsigned long off = 0; off < copy && !u.sig; off += SIZE_SZ)
		ustore(&u, q + off, uload(&u, p + off));
	if (!u.sig)
		u.sig = user_free(m, tsk, p);
	*sig = u.sig;
	return u.sig ? 0 : q;
}

unsigned long user_calloc(struct machine *m, struct task_struct *tsk, unsigned long nmemb, unsigned long size, int *sig)
{
	struct umalloc u = umalloc_begin(m, tsk);
	unsigned long n = nmemb * size, q;

	*sig = 0;
	if (size && n / size != nmemb)
		return 0;		/* the product overflows: ENOMEM */
	q = user_malloc(m, tsk, n, sig);
	if (!q || *sig || (chunk_get(&u, q - 2 * SIZE_SZ, SIZE) & IS_MMAPPED))
		return q;		/* a fresh mapping is zero already */
	for (unsigned long off = 0; off < usable_size(&u, q) && !u.sig; off += SIZE_SZ)
		ustore(&u, q + off, 0);
	*sig = u.sig;
	return u.sig ? 0 : q;
}

void user_mallopt_mmap_threshold(struct machine *m, struct task_struct *tsk, unsigned long threshold, int *sig)
{
	struct umalloc u = umalloc_begin(m, tsk);

	if (arena_init(&u))
		arena_set(&u, ARENA_MMAP_THRESHOLD, request2size(threshold));
	*sig = u.sig;
}
