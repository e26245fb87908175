/*
 * Script variables: NAME and NAME[INDEX] in one open-addressing hash table. `repeat 1000 as i` /
 * `o[i] = alloc_pages 0` makes a thousand entries, each found in O(1).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct var {
	char *name;		/* NULL: an empty slot */
	bool indexed;
	int64_t index;
	struct value val;
};

/* FNV-1a over the name, then the index mixed in. */
static uint64_t var_hash(const char *name, bool indexed, int64_t index)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 0x100000001b3ULL;
	if (indexed)
		h = (h ^ (uint64_t)index) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* The slot holding the variable, or the empty slot where it would go. */
static struct var *var_slot(struct var *slots, size_t cap, const char *name, bool indexed, int64_t index)
{
	size_t i = var_hash(name, indexed, index) & (cap - 1);

	while (slots[i].name && !(slots[i].indexed == indexed && slots[i].index == index &&
				  !strcmp(slots[i].name, name)))
		i = (i + 1) & (cap - 1);	/* linear probing; the table is never full */
	return &slots[i];
}

static void vars_grow(struct vartab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct var *slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < t->cap; i++) {
		struct var *v = &t->slots[i];

		if (v->name)
			*var_slot(slots, cap, v->name, v->indexed, v->index) = *v;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
}

bool vars_get(const struct vartab *t, const char *name, bool indexed, int64_t index, struct value *out)
{
	struct var *v;

	if (!t->cap)
		return false;
	v = var_slot(t->slots, t->cap, name, indexed, index);
	if (!v->name)
		return false;
	*out = v->val;
	return true;
}

void vars_set(struct vartab *t, const char *name, bool indexed, int64_t index, struct value val)
{
	struct var *v;

	if ((t->used + 1) * 4 > t->cap * 3)	/* keep the load under 3/4 */
		vars_grow(t);
	v = var_slot(t->slots, t->cap, name, indexed, index);
	if (!v->name) {
		v->name = xstrdup(name);
		v->indexed = indexed;
		v->index = index;
		t->used++;
	}
	v->val = val;
}

void vars_release(struct vartab *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].name);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}
