// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_parse_online_type() and dax_kmem_parse_memmap() on arbitrary
 * bytes, then dax_kmem_policy_merge() with what they parsed. Invariants:
 *  - a word is accepted exactly when it is one of the names, alone or
 *    followed by one '\n' (what "echo word > attr" writes);
 *  - an accepted word gives a set value whose name is the word and, for
 *    an online type, a block state word; the name parses back to it;
 *  - a refused word leaves *out as it was;
 *  - merging: set fields of the overlay win, unset ones keep the base.
 */
#include "fuzz.h"

static const char *const online_names[] = { "movable", "kernel", "offline" };
static const char *const memmap_names[] = { "dram", "range" };

/* The reference: the index of the name @s spells, or -1. */
static int ref_word(const char *s, const char *const *names, int count)
{
	size_t len = strlen(s);
	int i;

	for (i = 0; i < count; i++) {
		size_t n = strlen(names[i]);

		if (!strncmp(s, names[i], n) &&
		    (len == n || (len == n + 1 && s[n] == '\n')))
			return i;
	}
	return -1;
}

static void check_merge(struct dax_kmem_policy base,
			struct dax_kmem_policy over)
{
	struct dax_kmem_policy m = dax_kmem_policy_merge(base, over);

	FUZZ_CHECK(m.online_type == (over.online_type ? over.online_type :
				     base.online_type));
	FUZZ_CHECK(m.memmap == (over.memmap ? over.memmap : base.memmap));
	FUZZ_CHECK(m.adistance == (over.adistance ? over.adistance :
				   base.adistance));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum dax_kmem_online_type type = (enum dax_kmem_online_type)77;
	enum dax_kmem_memmap memmap = (enum dax_kmem_memmap)77;
	struct dax_kmem_policy a = { 0 }, b = { 0 }, none = { 0 };
	char *s = fuzz_cstr(data, size);
	int want;

	want = ref_word(s, online_names, ARRAY_SIZE(online_names));
	FUZZ_CHECK(dax_kmem_parse_online_type(s, &type) == (want >= 0));
	if (want >= 0) {
		enum dax_kmem_online_type again = DAX_KMEM_ONLINE_UNSET;
		const char *name = dax_kmem_online_type_name(type);

		FUZZ_CHECK(type >= DAX_KMEM_ONLINE_MOVABLE &&
			   type <= DAX_KMEM_ONLINE_OFFLINE);
		FUZZ_CHECK(!strcmp(name, online_names[want]));
		FUZZ_CHECK(dax_kmem_block_state_word(type));
		FUZZ_CHECK(dax_kmem_parse_online_type(name, &again));
		FUZZ_CHECK(again == type);
		a.online_type = type;
	} else {
		FUZZ_CHECK(type == (enum dax_kmem_online_type)77);
	}

	want = ref_word(s, memmap_names, ARRAY_SIZE(memmap_names));
	FUZZ_CHECK(dax_kmem_parse_memmap(s, &memmap) == (want >= 0));
	if (want >= 0) {
		enum dax_kmem_memmap again = DAX_KMEM_MEMMAP_UNSET;
		const char *name = dax_kmem_memmap_name(memmap);

		FUZZ_CHECK(memmap >= DAX_KMEM_MEMMAP_DRAM &&
			   memmap <= DAX_KMEM_MEMMAP_RANGE);
		FUZZ_CHECK(!strcmp(name, memmap_names[want]));
		FUZZ_CHECK(dax_kmem_parse_memmap(name, &again));
		FUZZ_CHECK(again == memmap);
		b.memmap = memmap;
	} else {
		FUZZ_CHECK(memmap == (enum dax_kmem_memmap)77);
	}

	/* Any other value, unset included, is named "unset". */
	if (size) {
		type = (enum dax_kmem_online_type)(data[0] & 7);
		memmap = (enum dax_kmem_memmap)(data[0] & 7);
		if (type < DAX_KMEM_ONLINE_MOVABLE || type > DAX_KMEM_ONLINE_OFFLINE)
			FUZZ_CHECK(!strcmp(dax_kmem_online_type_name(type), "unset"));
		if (memmap < DAX_KMEM_MEMMAP_DRAM || memmap > DAX_KMEM_MEMMAP_RANGE)
			FUZZ_CHECK(!strcmp(dax_kmem_memmap_name(memmap), "unset"));
	}

	a.adistance = (int)(size & 3);
	b.adistance = (int)(size >> 2 & 1);
	check_merge(a, b);
	check_merge(b, a);
	check_merge(a, none);
	check_merge(none, a);
	check_merge(a, a);

	free(s);
	return 0;
}
