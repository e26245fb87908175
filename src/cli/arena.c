/* Memory of the interpreter: the arena a parsed script lives in (nodes carved from big chunks, all
 * freed together), and allocation that stops the program when the host is out of memory. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

/* Allocation failure cannot be recovered from in the interpreter: say so and stop. */
static void *oom_check(void *p)
{
	if (!p) {
		fputs("mmlab: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *xmalloc(size_t size)
{
	return oom_check(malloc(size));
}

void *xcalloc(size_t n, size_t size)
{
	return oom_check(calloc(n, size));
}

char *xstrdup(const char *s)
{
	return oom_check(strdup(s));
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	size = (size + align - 1) / align * align;
	if (!c || c->size - c->used < size) {
		/* A request bigger than a chunk (a 10 MB line) gets a chunk of its own. */
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + cap);
		c->used = 0;
		c->size = cap;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void arena_release(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}
