// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_parse_range_item() on arbitrary bytes, for max_node 1..1024.
 *
 * The input is parsed once with max_node 1024 (the reference), then with
 * the boundary values, the parsed node and node + 1, and one value drawn
 * from the input. Invariants:
 *  - the result is a known error code with a real reason string;
 *  - an accepted item has a non-zero size, never wraps (start + size - 1
 *    >= start), and its node is DAX_KMEM_NODE_UNSET or 0..max_node-1;
 *  - it holds only the characters of SIZE@START[:NODE], one '@';
 *  - its SIZE is what dax_kmem_parse_size() reads, and printing the
 *    item back ("0x%llx@0x%llx:%d") parses to the same item;
 *  - a smaller max_node changes nothing but turn an item whose node is
 *    too large (accepted, or with junk after the node) into
 *    DAX_KMEM_PARSE_BAD_NODE.
 */
#include "fuzz.h"

static void check_accepted(const char *s, const struct dax_kmem_range_item *it,
			   int max_node)
{
	struct dax_kmem_range_item again;
	const char *end, *p;
	char buf[80];
	u64 size;
	int ats = 0;

	FUZZ_CHECK(it->span.size != 0);
	FUZZ_CHECK(it->span.start + (it->span.size - 1) >= it->span.start);
	FUZZ_CHECK(dax_kmem_span_valid(&it->span));
	FUZZ_CHECK(it->node == DAX_KMEM_NODE_UNSET ||
		   (it->node >= 0 && it->node < max_node));

	for (p = s; *p; p++) {
		FUZZ_CHECK(strchr("0123456789abcdefABCDEFxXkKmMgGtT@:", *p));
		ats += *p == '@';
	}
	FUZZ_CHECK(ats == 1);

	FUZZ_CHECK(dax_kmem_parse_size(s, &end, &size));
	FUZZ_CHECK(size == it->span.size);
	FUZZ_CHECK(*end == '@');

	if (it->node == DAX_KMEM_NODE_UNSET)
		snprintf(buf, sizeof(buf), "0x%llx@0x%llx", it->span.size,
			 it->span.start);
	else
		snprintf(buf, sizeof(buf), "0x%llx@0x%llx:%d", it->span.size,
			 it->span.start, it->node);
	FUZZ_CHECK(dax_kmem_parse_range_item(buf, max_node, &again) ==
		   DAX_KMEM_PARSE_OK);
	FUZZ_CHECK(again.span.start == it->span.start);
	FUZZ_CHECK(again.span.size == it->span.size);
	FUZZ_CHECK(again.node == it->node);
}

static void check_max_node(const char *s, int max_node,
			   enum dax_kmem_parse_error ref_err,
			   const struct dax_kmem_range_item *ref)
{
	struct dax_kmem_range_item it;
	enum dax_kmem_parse_error err;

	if (max_node < 1 || max_node > 1024)
		return;
	err = dax_kmem_parse_range_item(s, max_node, &it);
	if (ref_err == DAX_KMEM_PARSE_OK &&
	    ref->node != DAX_KMEM_NODE_UNSET && ref->node >= max_node) {
		FUZZ_CHECK(err == DAX_KMEM_PARSE_BAD_NODE);
		return;
	}
	/*
	 * Junk after a node is found only once the node passed: a node too
	 * large for this max_node is what gets reported then.
	 */
	if (ref_err == DAX_KMEM_PARSE_TRAILING && err == DAX_KMEM_PARSE_BAD_NODE) {
		FUZZ_CHECK(strchr(s, ':'));
		return;
	}
	FUZZ_CHECK(err == ref_err);
	if (err != DAX_KMEM_PARSE_OK)
		return;
	FUZZ_CHECK(it.span.start == ref->span.start);
	FUZZ_CHECK(it.span.size == ref->span.size);
	FUZZ_CHECK(it.node == ref->node);
	check_accepted(s, &it, max_node);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int fixed[] = { 1, 2, 3, 8, 64, 512, 1023, 1024 };
	struct dax_kmem_range_item ref;
	enum dax_kmem_parse_error err;
	const char *why;
	unsigned int hash = 2166136261u;
	char *s = fuzz_cstr(data, size);
	size_t i;

	err = dax_kmem_parse_range_item(s, 1024, &ref);
	FUZZ_CHECK(err >= DAX_KMEM_PARSE_OK && err <= DAX_KMEM_PARSE_TRAILING);
	why = dax_kmem_parse_error_str(err);
	FUZZ_CHECK(why && *why && strcmp(why, "unknown error"));
	if (*s == '\0')
		FUZZ_CHECK(err == DAX_KMEM_PARSE_EMPTY);
	if (err == DAX_KMEM_PARSE_OK)
		check_accepted(s, &ref, 1024);

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		check_max_node(s, fixed[i], err, &ref);
	if (err == DAX_KMEM_PARSE_OK && ref.node != DAX_KMEM_NODE_UNSET) {
		check_max_node(s, ref.node, err, &ref);
		check_max_node(s, ref.node + 1, err, &ref);
	}
	/* FNV-1a: one more max_node that the input steers. */
	for (i = 0; i < size; i++)
		hash = (hash ^ data[i]) * 16777619u;
	check_max_node(s, 1 + (int)(hash % 1024), err, &ref);

	free(s);
	return 0;
}
