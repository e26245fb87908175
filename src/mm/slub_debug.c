/*
 * slub_debug (mm/slub.c under CONFIG_SLUB_DEBUG, Documentation/mm/slub.rst).
 *
 * With debug flags an object's stride grows metadata around it:
 *
 *   | left red zone | object | right red zone | free pointer | alloc track | free track | orig size | pad |
 *                   ^ the address callers get
 *
 * Red zones hold 0xbb while the object is free and 0xcc while it is allocated; a free object is
 * poisoned with 0x6b and ends with 0xa5; never-used bytes (padding) are 0x5a. Every check compares
 * these patterns; a mismatch is reported in the kernel's words, the bytes are restored, and the
 * machine goes on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include <mmlab/printk.h>

#include "slab.h"

/* include/linux/poison.h */
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc
#define POISON_INUSE		0x5a
#define POISON_FREE		0x6b
#define POISON_END		0xa5

#define ALIGN(x, a)	(((x) + (a) - 1) / (a) * (a))

enum track_item { TRACK_ALLOC, TRACK_FREE };

/* struct track: the caller, cpu, pid and jiffies of an allocation or a free (mm/slub.c). */
struct track {
	unsigned long addr;	/* the call site: index + 1 in slab_state.sites, 0 for none */
	unsigned int cpu;
	int pid;
	unsigned long when;
};

static unsigned int ptr_size(const struct machine *m)
{
	return m->slab->ptr_size;
}

/* sizeof(struct track) in the simulated kernel: two pointer-sized words and two ints. */
static unsigned int track_size(const struct machine *m)
{
	return 2 * ptr_size(m) + 8;
}

static unsigned long jiffies(const struct machine *m)
{
	return (unsigned long)(m->now_ns / 1000000);	/* HZ=1000 */
}

/* calculate_sizes' debug part: red zones, the free pointer moved out of a poisoned object, tracks. */
void calculate_sizes_debug(struct machine *m, struct kmem_cache *s, unsigned int *sizep)
{
	unsigned int ptr = ptr_size(m), size = *sizep;

	if (s->flags & SLAB_POISON)
		s->flags |= __OBJECT_POISON;
	if ((s->flags & SLAB_RED_ZONE) && size == s->object_size)
		size += ptr;	/* room for a right red zone */
	s->inuse = size;
	if ((s->flags & SLAB_POISON) ||
	    ((s->flags & SLAB_RED_ZONE) && (s->object_size < ptr || slub_debug_orig_size(s)))) {
		s->offset = size;	/* the free pointer must not be in bytes that are checked */
		size += ptr;
	} else {
		s->offset = s->object_size / 2 / ptr * ptr;	/* mid-object: far from overflows */
	}
	if (s->flags & SLAB_STORE_USER) {
		size += 2 * track_size(m);
		if (s->flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	if (s->flags & SLAB_RED_ZONE) {
		size += ptr;	/* catches overwrites from the object before */
		s->red_left_pad = ALIGN(ptr, s->align);
		size += s->red_left_pad;
	}
	*sizep = size;
}

/* get_info_end: where the metadata after the free pointer starts. */
static unsigned int get_info_end(const struct machine *m, const struct kmem_cache *s)
{
	return s->offset >= s->inuse ? s->inuse + ptr_size(m) : s->inuse;
}

static unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->flags & SLAB_RED_ZONE ? s->size - s->red_left_pad : s->size;
}

static unsigned long track_addr(const struct machine *m, const struct kmem_cache *s, unsigned long object,
				enum track_item alloc)
{
	return object + get_info_end(m, s) + (unsigned long)alloc * track_size(m);
}

static void get_track(const struct machine *m, const struct kmem_cache *s, unsigned long object,
		      enum track_item alloc, struct track *t)
{
	unsigned long a = track_addr(m, s, object, alloc);
	uint32_t cpu, pid;

	t->addr = slab_read_word(m, ptr_size(m), a);
	memcpy(&cpu, slab_bytes(m, a + ptr_size(m)), 4);
	memcpy(&pid, slab_bytes(m, a + ptr_size(m) + 4), 4);
	t->cpu = cpu;
	t->pid = (int)pid;
	t->when = slab_read_word(m, ptr_size(m), a + ptr_size(m) + 8);
}

/* site_id: the interned "FILE:LINE" of the command running, as track.addr. */
static unsigned long site_id(struct machine *m)
{
	struct slab_state *st = m->slab;
	const char *site = trace_call_site(m);

	for (unsigned int i = st->nr_sites; i-- > 0;)
		if (!strcmp(st->sites[i], site))
			return i + 1;
	if (st->nr_sites == st->max_sites) {
		unsigned int max = st->max_sites ? 2 * st->max_sites : 16;
		char **sites = realloc(st->sites, max * sizeof(*sites));
		if (!sites)
			return 0;
		st->sites = sites;
		st->max_sites = max;
	}
	char *copy = strdup(site);
	if (!copy)
		return 0;
	st->sites[st->nr_sites++] = copy;
	return st->nr_sites;
}

void slub_sites_release(struct slab_state *st)
{
	for (unsigned int i = 0; i < st->nr_sites; i++)
		free(st->sites[i]);
	free(st->sites);
}

/* set_track: record who did this, now. */
static void set_track(struct machine *m, struct kmem_cache *s, unsigned long object, enum track_item alloc)
{
	unsigned long a = track_addr(m, s, object, alloc);
	uint32_t cpu = (uint32_t)m->this_cpu, pid = (uint32_t)m->trace.pid;

	slab_write_word(m, ptr_size(m), a, site_id(m));
	memcpy(slab_bytes(m, a + ptr_size(m)), &cpu, 4);
	memcpy(slab_bytes(m, a + ptr_size(m) + 4), &pid, 4);
	slab_write_word(m, ptr_size(m), a + ptr_size(m) + 8, jiffies(m));
}

static unsigned long orig_size_addr(const struct machine *m, const struct kmem_cache *s, unsigned long object)
{
	return object + get_info_end(m, s) + 2 * track_size(m);
}

static unsigned int get_orig_size(const struct machine *m, const struct kmem_cache *s, unsigned long object)
{
	uint32_t v;

	if (!slub_debug_orig_size(s))
		return s->object_size;
	memcpy(&v, slab_bytes(m, orig_size_addr(m, s, object)), 4);
	return v;
}

static void set_orig_size(const struct machine *m, const struct kmem_cache *s, unsigned long object,
			  unsigned int orig_size)
{
	uint32_t v = orig_size;

	if (slub_debug_orig_size(s))
		memcpy(slab_bytes(m, orig_size_addr(m, s, object)), &v, 4);
}

void skip_orig_size_check(struct machine *m, struct kmem_cache *s, unsigned long object)
{
	set_orig_size(m, s, object, s->object_size);
}

/* krealloc_set_size: shrinking in place re-arms the kmalloc red zone over the tail it gave up. */
void krealloc_set_size(struct machine *m, struct kmem_cache *s, unsigned long object, unsigned int size)
{
	unsigned int old = get_orig_size(m, s, object);

	if (!kmalloc_redzone(s))
		return;
	set_orig_size(m, s, object, size);
	if (size < old)
		memset(slab_bytes(m, object + size), SLUB_RED_ACTIVE, old - size);
}

/* init_object: red zones to val; a poisoned object to 6b..6b a5 (up to the size asked for). */
static void init_object(struct machine *m, struct kmem_cache *s, unsigned long object, unsigned char val)
{
	unsigned char *p = slab_bytes(m, object);
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		if (kmalloc_redzone(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(m, s, object);
	}
	if ((s->flags & __OBJECT_POISON) && poison_size) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

/* setup_slab_debug: a poisoned cache's new slab starts as never-used bytes. */
void setup_slab_debug(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	if (s->flags & SLAB_POISON)
		memset(slab_bytes(m, slab_address(m, slab)), POISON_INUSE, slab_size(slab));
}

/* setup_object_debug: a new object is free: inactive red zones, poison, no tracks. */
void setup_object_debug(struct machine *m, struct kmem_cache *s, unsigned long object)
{
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(m, s, object, SLUB_RED_INACTIVE);
	if (s->flags & SLAB_STORE_USER)
		memset(slab_bytes(m, track_addr(m, s, object, TRACK_ALLOC)), 0, 2 * track_size(m));
}

/* ---- Reports (mm/slub.c slab_bug, slab_fix, print_trailer, ...) ---- */

static int addr_width(const struct machine *m)
{
	return (int)ptr_size(m) * 2;
}

static const char *print_tainted(const struct machine *m)
{
	/* One column per taint flag; B (TAINT_BAD_PAGE) is the sixth. */
	return m->slab->tainted ? "Tainted: G    B             " : "Not tainted";
}

static void slab_bug(struct machine *m, struct kmem_cache *s, const char *what)
{
	pr_err(m, "=============================================================================\n");
	pr_err(m, "BUG %s (%s): %s\n", s->name, print_tainted(m), what);
	pr_err(m, "-----------------------------------------------------------------------------\n");
	pr_err(m, "\n");
}

static void slab_fix(struct machine *m, struct kmem_cache *s, const char *what)
{
	pr_err(m, "FIX %s: %s\n", s->name, what);
}

/* dump_stack_lvl: the first line of a stack dump, at log level level (lib/dump_stack.c). */
static void dump_stack_lvl(struct machine *m, const char *level)
{
	printk(m, "%sCPU: %d PID: %d Comm: %s %s " UTS_RELEASE " #1\n", level, m->this_cpu, m->trace.pid, m->trace.comm,
	       print_tainted(m));
}

static void dump_stack(struct machine *m)
{
	dump_stack_lvl(m, KERN_ERR);
}

static void add_taint(struct machine *m)
{
	m->slab->tainted = true;
}

/* print_section: print_hex_dump at level with DUMP_PREFIX_ADDRESS, 16 bytes a row, and their ASCII. */
static void print_section(struct machine *m, const char *level, const char *text, unsigned long addr,
			  unsigned int length)
{
	const unsigned char *p = slab_bytes(m, addr);

	for (unsigned int row = 0; row < length; row += 16) {
		char hex[16 * 3 + 1] = "", ascii[17] = "";
		unsigned int n = length - row < 16 ? length - row : 16, lx = 0;
		for (unsigned int j = 0; j < n; j++) {
			lx += (unsigned int)snprintf(hex + lx, sizeof(hex) - lx, j ? " %02x" : "%02x", p[row + j]);
			ascii[j] = isprint(p[row + j]) && p[row + j] < 0x80 ? (char)p[row + j] : '.';
		}
		ascii[n] = '\0';
		printk(m, "%s%s%0*lx: %-47s  %s\n", level, text, addr_width(m), addr + row, hex, ascii);
	}
}

static void print_track(struct machine *m, const char *what, const struct track *t)
{
	if (!t->addr || t->addr > m->slab->nr_sites)
		return;
	pr_err(m, "%s in %s age=%lu cpu=%u pid=%d\n", what, m->slab->sites[t->addr - 1], jiffies(m) - t->when,
	       t->cpu, t->pid);
}

static void print_tracking(struct machine *m, struct kmem_cache *s, unsigned long object)
{
	struct track t;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	get_track(m, s, object, TRACK_ALLOC, &t);
	print_track(m, "Allocated", &t);
	get_track(m, s, object, TRACK_FREE, &t);
	print_track(m, "Freed", &t);
}

static void print_slab_info(struct machine *m, struct slab *slab)
{
	struct page *page = slab_page(slab);

	pr_err(m, "Slab 0x%0*lx objects=%u used=%u fp=0x%0*lx flags=0x%lx(%snode=%d|zone=%d)\n", addr_width(m),
	       page_kaddr(m, page), slab->objects, slab->inuse, addr_width(m), slab->freelist, page->flags,
	       PageHead(page) ? "head|" : "", page_to_nid(page), page_zonenum(page));
}

static void print_trailer(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long p)
{
	unsigned long addr = slab_address(m, slab);

	print_tracking(m, s, p);
	print_slab_info(m, slab);
	pr_err(m, "Object 0x%0*lx @offset=%lu fp=0x%0*lx\n", addr_width(m), p, p - addr, addr_width(m),
	       get_freepointer(m, s, p));
	pr_err(m, "\n");
	if (s->flags & SLAB_RED_ZONE)
		print_section(m, KERN_ERR, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(m, KERN_ERR, "Bytes b4 ", p - 16, 16);
	print_section(m, KERN_ERR, "Object   ", p, s->object_size < PAGE_SIZE ? s->object_size : (unsigned int)PAGE_SIZE);
	if (s->flags & SLAB_RED_ZONE)
		print_section(m, KERN_ERR, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	unsigned int off = get_info_end(m, s);
	if (s->flags & SLAB_STORE_USER)
		off += 2 * track_size(m);
	if (slub_debug_orig_size(s))
		off += sizeof(unsigned int);
	if (off != size_from_object(s))
		print_section(m, KERN_ERR, "Padding  ", p + off, size_from_object(s) - off);
	dump_stack(m);
}

static void object_err(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object,
		       const char *reason)
{
	slab_bug(m, s, reason);
	print_trailer(m, s, slab, object);
	add_taint(m);
}

static void slab_err(struct machine *m, struct kmem_cache *s, struct slab *slab, const char *what)
{
	slab_bug(m, s, what);
	print_slab_info(m, slab);
	dump_stack(m);
	add_taint(m);
}

/* restore_bytes: put the expected pattern back over what was overwritten. */
static void restore_bytes(struct machine *m, struct kmem_cache *s, const char *what, unsigned char value,
			  unsigned long from, unsigned long to)
{
	char msg[160];

	snprintf(msg, sizeof(msg), "Restoring %s 0x%0*lx-0x%0*lx=0x%x", what, addr_width(m), from, addr_width(m),
		 to - 1, value);
	slab_fix(m, s, msg);
	memset(slab_bytes(m, from), value, to - from);
}

/* check_bytes_and_report: bytes [start, start + bytes) must all be value. */
static bool check_bytes_and_report(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object,
				   const char *what, unsigned long start, unsigned char value, unsigned int bytes)
{
	const unsigned char *p = slab_bytes(m, start);
	unsigned int first = 0, end = bytes;
	char msg[96];

	while (first < bytes && p[first] == value)
		first++;
	if (first == bytes)
		return true;
	while (end > first && p[end - 1] == value)
		end--;
	snprintf(msg, sizeof(msg), "%s overwritten", what);
	slab_bug(m, s, msg);
	pr_err(m, "0x%0*lx-0x%0*lx @offset=%lu. First byte 0x%x instead of 0x%x\n", addr_width(m), start + first,
	       addr_width(m), start + end - 1, start + first - slab_address(m, slab), p[first], value);
	print_trailer(m, s, slab, object);
	add_taint(m);
	restore_bytes(m, s, what, value, start + first, start + end);
	return false;
}

/* check_valid_pointer: 0, or the start of one of the slab's objects. */
static bool check_valid_pointer(const struct machine *m, const struct kmem_cache *s, struct slab *slab,
				unsigned long object)
{
	if (!object)
		return true;
	unsigned long base = slab_address(m, slab);
	object -= s->red_left_pad;
	return object >= base && object < base + (unsigned long)slab->objects * s->size &&
	       (object - base) % s->size == 0;
}

static bool check_pad_bytes(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long p)
{
	unsigned int off = get_info_end(m, s);

	if (s->flags & SLAB_STORE_USER) {
		off += 2 * track_size(m);
		if (s->flags & SLAB_KMALLOC)
			off += sizeof(unsigned int);
	}
	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(m, s, slab, p, "Object padding", p + off, POISON_INUSE, size_from_object(s) - off);
}

/* check_object: an object's red zones, poison, padding and free pointer, as free (val 0xbb) or in
 * use (0xcc). */
static bool check_object(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long p,
			 unsigned char val)
{
	unsigned long endobject = p + s->object_size;
	bool ok = true;

	if (s->flags & SLAB_RED_ZONE) {
		ok &= check_bytes_and_report(m, s, slab, p, "Left Redzone", p - s->red_left_pad, val, s->red_left_pad);
		ok &= check_bytes_and_report(m, s, slab, p, "Right Redzone", endobject, val, s->inuse - s->object_size);
		if (kmalloc_redzone(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(m, s, p);
			if (s->object_size > orig_size)
				ok &= check_bytes_and_report(m, s, slab, p, "kmalloc Redzone", p + orig_size, val,
							     s->object_size - orig_size);
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		ok &= check_bytes_and_report(m, s, slab, p, "Alignment padding", endobject, POISON_INUSE,
					     s->inuse - s->object_size);
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			ok &= check_bytes_and_report(m, s, slab, p, "Poison", p, POISON_FREE, s->object_size - 1);
			ok &= check_bytes_and_report(m, s, slab, p, "End Poison", endobject - 1, POISON_END, 1);
		}
		ok &= check_pad_bytes(m, s, slab, p);
	}
	if ((s->offset >= s->inuse || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(m, s, slab, get_freepointer(m, s, p))) {
		object_err(m, s, slab, p, "Freepointer corrupt");
		set_freepointer(m, s, p, 0);	/* the rest of the free objects are lost */
		ok = false;
	}
	return ok;
}

/* check_slab: the slab page itself. */
static bool check_slab(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	unsigned int maxobj = (unsigned int)(slab_size(slab) / s->size);
	char msg[96];

	if (!PageSlab(slab_page(slab))) {
		slab_err(m, s, slab, "Not a valid slab page");
		return false;
	}
	if (slab->objects > maxobj) {
		snprintf(msg, sizeof(msg), "objects %u > max %u", slab->objects, maxobj);
		slab_err(m, s, slab, msg);
		return false;
	}
	if (slab->inuse > slab->objects) {
		snprintf(msg, sizeof(msg), "inuse %u > max %u", slab->inuse, slab->objects);
		slab_err(m, s, slab, msg);
		return false;
	}
	return true;
}

/* on_freelist: is search on the slab's freelist? Walking it also repairs a broken chain and a
 * wrong in-use count, as the kernel does. */
static bool on_freelist(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long search)
{
	unsigned long fp = slab->freelist, object = 0;
	unsigned int nr = 0;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(m, s, slab, fp)) {
			if (object) {
				object_err(m, s, slab, object, "Freechain corrupt");
				set_freepointer(m, s, object, 0);
			} else {
				slab_err(m, s, slab, "Freepointer corrupt");
				slab->freelist = 0;
				slab->inuse = slab->objects;
				slab_fix(m, s, "Freelist cleared");
				return false;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(m, s, object);
		nr++;
	}
	if (slab->inuse != slab->objects - nr) {
		char msg[96];
		snprintf(msg, sizeof(msg), "Wrong object count. Counter is %u but counted were %u", slab->inuse,
			 slab->objects - nr);
		slab_err(m, s, slab, msg);
		slab->inuse = slab->objects - nr;
		slab_fix(m, s, "Object count adjusted");
	}
	return false;
}

/* trace: slub_debug=T: a line per alloc and free of the cache, the bytes of a freed object, and the
 * stack (mm/slub.c trace); all of it at KERN_INFO here, so that it stays together in dmesg. */
static void trace(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object, bool alloc)
{
	if (!(s->flags & SLAB_TRACE))
		return;
	pr_info(m, "TRACE %s %s 0x%0*lx inuse=%u fp=0x%0*lx\n", s->name, alloc ? "alloc" : "free", addr_width(m),
		object, slab->inuse, addr_width(m), slab->freelist);
	if (!alloc)
		print_section(m, KERN_INFO, "Object ", object, s->object_size);
	dump_stack_lvl(m, KERN_INFO);
}

static bool alloc_consistency_checks(struct machine *m, struct kmem_cache *s, struct slab *slab,
				     unsigned long object)
{
	if (!check_slab(m, s, slab))
		return false;
	if (!check_valid_pointer(m, s, slab, object)) {
		object_err(m, s, slab, object, "Freelist Pointer check fails");
		return false;
	}
	return check_object(m, s, slab, object, SLUB_RED_INACTIVE);
}

/* alloc_debug_processing: check a free object before handing it out; mark it allocated. A slab
 * with a bad object is given up: all its objects are marked used. */
bool alloc_debug_processing(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object,
			    unsigned int orig_size)
{
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !alloc_consistency_checks(m, s, slab, object)) {
		slab_fix(m, s, "Marking all objects used");
		slab->inuse = slab->objects;
		slab->freelist = 0;
		return false;
	}
	trace(m, s, slab, object, true);
	set_orig_size(m, s, object, orig_size);
	init_object(m, s, object, SLUB_RED_ACTIVE);
	if (s->flags & SLAB_STORE_USER)
		set_track(m, s, object, TRACK_ALLOC);
	return true;
}

/* free_consistency_checks: the pointer is an object of this slab, not already free, intact. */
static bool free_consistency_checks(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	char msg[96];

	if (!check_valid_pointer(m, s, slab, object)) {
		snprintf(msg, sizeof(msg), "Invalid object pointer 0x%0*lx", addr_width(m), object);
		slab_err(m, s, slab, msg);
		return false;
	}
	if (on_freelist(m, s, slab, object)) {
		object_err(m, s, slab, object, "Object already free");
		return false;
	}
	return check_object(m, s, slab, object, SLUB_RED_ACTIVE);
}

/* free_debug_processing: check an object coming back; mark it free. A bad one is not freed. */
bool free_debug_processing(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !free_consistency_checks(m, s, slab, object)) {
		char msg[64];
		snprintf(msg, sizeof(msg), "Object at 0x%0*lx not freed", addr_width(m), object);
		slab_fix(m, s, msg);
		return false;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(m, s, object, TRACK_FREE);
	trace(m, s, slab, object, false);
	init_object(m, s, object, SLUB_RED_INACTIVE);
	return true;
}

/* slab_pad_check: the bytes after the last object of a poisoned slab must still be 0x5a. */
bool check_slab_pad(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	unsigned long start = slab_address(m, slab), length = slab_size(slab);
	unsigned long remainder = length % s->size;

	if (!(s->flags & SLAB_POISON) || !remainder)
		return true;
	unsigned long pad = start + length - remainder;
	const unsigned char *p = slab_bytes(m, pad);
	unsigned long first = 0, end = remainder;
	while (first < remainder && p[first] == POISON_INUSE)
		first++;
	if (first == remainder)
		return true;
	while (end > first && p[end - 1] == POISON_INUSE)
		end--;
	char msg[128];
	snprintf(msg, sizeof(msg), "Padding overwritten. 0x%0*lx-0x%0*lx @offset=%lu", addr_width(m), pad + first,
		 addr_width(m), pad + end - 1, pad + first - start);
	slab_err(m, s, slab, msg);
	print_section(m, KERN_ERR, "Padding ", pad, (unsigned int)remainder);
	restore_bytes(m, s, "slab padding", POISON_INUSE, pad + first, pad + end);
	return false;
}

/* list_slab_objects: at destroy time, every object still allocated in a slab, with its tracks. */
void list_slab_objects(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	unsigned long addr = slab_address(m, slab);
	unsigned char *free_map = calloc(slab->objects, 1);
	char msg[128];

	if (!free_map)
		return;
	for (unsigned long fp = slab->freelist; fp && check_valid_pointer(m, s, slab, fp);
	     fp = get_freepointer(m, s, fp)) {
		unsigned long idx = (fp - s->red_left_pad - addr) / s->size;
		if (free_map[idx])
			break;
		free_map[idx] = 1;
	}
	snprintf(msg, sizeof(msg), "Objects remaining in %s on __kmem_cache_shutdown()", s->name);
	slab_err(m, s, slab, msg);
	for (unsigned int i = 0; i < slab->objects; i++) {
		unsigned long p = addr + s->red_left_pad + (unsigned long)i * s->size;
		if (free_map[i])
			continue;
		pr_err(m, "Object 0x%0*lx @offset=%lu\n", addr_width(m), p, p - addr);
		print_tracking(m, s, p);
	}
	free(free_map);
}

/* cache_from_obj's warning: a free to a cache the object is not from. */
void slab_wrong_cache(struct machine *m, struct kmem_cache *s, struct kmem_cache *cachep, unsigned long object)
{
	pr_warn(m, "kmem_cache_free: Wrong slab cache. %s but object is from %s\n", s->name, cachep->name);
	pr_warn(m, "WARNING: CPU: %d PID: %d at mm/slab.h cache_from_obj\n", m->this_cpu, m->trace.pid);
	print_tracking(m, cachep, object);
}

/* validate_slab: check the slab and every object in it, free or not; the number of bad objects. */
int validate_slab(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	unsigned long addr = slab_address(m, slab);
	int errors = 0;

	if (!check_slab(m, s, slab) || on_freelist(m, s, slab, 0))
		return 1;
	for (unsigned int i = 0; i < slab->objects; i++) {
		unsigned long p = addr + s->red_left_pad + (unsigned long)i * s->size;
		bool is_free = on_freelist(m, s, slab, p);
		if (!check_object(m, s, slab, p, is_free ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE))
			errors++;
	}
	return errors;
}

/* ---- slub_debug= (mm/slub.c parse_slub_debug_flags, kmem_cache_flags) ---- */

/* parse_slub_debug_flags: the letters before the first comma. */
int parse_slub_debug_flags(const char *str, slab_flags_t *flags, const char **rest)
{
	*flags = 0;
	if (!*str || *str == ',')
		*flags = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;
	for (; *str && *str != ','; str++) {
		switch (tolower((unsigned char)*str)) {
		case '-': *flags = 0; break;
		case 'f': *flags |= SLAB_CONSISTENCY_CHECKS; break;
		case 'z': *flags |= SLAB_RED_ZONE; break;
		case 'p': *flags |= SLAB_POISON; break;
		case 'u': *flags |= SLAB_STORE_USER; break;
		case 't': *flags |= SLAB_TRACE; break;
		default: return -EINVAL;
		}
	}
	*rest = *str == ',' ? str + 1 : NULL;
	return 0;
}

int slub_debug_parse(struct machine *m, const char *str)
{
	struct slab_state *st = m->slab;
	slab_flags_t flags;
	const char *names;

	if (parse_slub_debug_flags(str, &flags, &names))
		return -EINVAL;
	char *copy = names && *names ? strdup(names) : NULL;
	if (names && *names && !copy)
		return -ENOMEM;
	free(st->slub_debug_string);
	st->slub_debug_string = copy;
	st->slub_debug = flags;
	return 0;
}

/* name_matches: a comma-separated list of names, each possibly ending in '*'. */
static bool name_matches(const char *list, const char *name)
{
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t len = end ? (size_t)(end - list) : strlen(list);
		bool glob = len && list[len - 1] == '*';
		size_t cmp = glob ? len - 1 : len;
		if (!strncmp(list, name, cmp) && (glob || name[cmp] == '\0'))
			return true;
		list = end ? end + 1 : NULL;
	}
	return false;
}

/* kmem_cache_flags: the cache's own flags plus slub_debug's, where slub_debug names it. */
slab_flags_t kmem_cache_flags_for(struct machine *m, const char *name, slab_flags_t flags)
{
	struct slab_state *st = m->slab;

	if (st->slub_debug_string && !name_matches(st->slub_debug_string, name))
		return flags;
	return flags | st->slub_debug;
}
