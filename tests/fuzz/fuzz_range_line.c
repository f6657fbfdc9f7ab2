// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_parse_range_line() (new_range and the descriptor file) on
 * arbitrary bytes, with page sizes of 4, 16 and 64 KiB. Invariants:
 *  - accepted: the span is valid, the node unset or below max_node, the
 *    policy values are names, the bad pages sorted, unique, page-aligned,
 *    at most DAX_KMEM_MAX_BAD_PAGES, each overlapping the span;
 *  - the formatted list, parsed back on the same span, is the same list;
 *  - refused: a field is named, the column lies inside the line and the
 *    reason is not empty;
 *  - a blank or comment-only line is never a range.
 */
#include "fuzz.h"
#include "dax_kmem/range_line.h"

static const u64 page_sizes[] = { 4096, 16384, 65536 };

static void check_round_trip(const struct dax_kmem_range_line *out,
			     u64 page_size)
{
	struct dax_kmem_range_line again;
	struct dax_kmem_line_fault fault;
	char list[DAX_KMEM_MAX_BAD_PAGES * 19 + 1], line[1400];
	unsigned int i, len;

	if (!out->bad.count || out->bad.addr[0] < out->item.span.start)
		return;	/* a page that starts below the span: not spellable */
	len = dax_kmem_bad_pages_format(&out->bad, list, sizeof(list));
	FUZZ_CHECK(len < sizeof(list));
	FUZZ_CHECK(strlen(list) == len);
	snprintf(line, sizeof(line), "%llu@%llu bad_pages=%s",
		 out->item.span.size, out->item.span.start, list);
	FUZZ_CHECK(dax_kmem_parse_range_line(line, 1, page_size, &again,
					     &fault));
	FUZZ_CHECK(again.bad.count == out->bad.count);
	for (i = 0; i < out->bad.count; i++)
		FUZZ_CHECK(again.bad.addr[i] == out->bad.addr[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dax_kmem_range_line out;
	struct dax_kmem_line_fault fault;
	u64 page_size = page_sizes[size ? data[0] % 3 : 0];
	int max_node = size > 1 ? 1 + data[1] % 64 : 4;
	char *s = fuzz_cstr(data, size);
	const struct dax_kmem_span *span = &out.item.span;
	unsigned int i;
	bool ok;

	ok = dax_kmem_parse_range_line(s, max_node, page_size, &out, &fault);
	if (dax_kmem_line_is_blank(s))
		FUZZ_CHECK(!ok);
	if (!ok) {
		FUZZ_CHECK(fault.error != DAX_KMEM_LINE_OK);
		FUZZ_CHECK(fault.field && *fault.field);
		FUZZ_CHECK(fault.column <= strlen(s));
		FUZZ_CHECK(*dax_kmem_line_error_str(&fault));
		free(s);
		return 0;
	}
	FUZZ_CHECK(span->size && span->start + span->size - 1 >= span->start);
	FUZZ_CHECK(out.item.node == DAX_KMEM_NODE_UNSET ||
		   (out.item.node >= 0 && out.item.node < max_node));
	FUZZ_CHECK(out.policy.online_type <= DAX_KMEM_ONLINE_OFFLINE);
	FUZZ_CHECK(out.policy.memmap <= DAX_KMEM_MEMMAP_RANGE);
	FUZZ_CHECK(out.policy.adistance >= 0);
	FUZZ_CHECK(out.bad.count <= DAX_KMEM_MAX_BAD_PAGES);
	for (i = 0; i < out.bad.count; i++) {
		u64 page = out.bad.addr[i];

		FUZZ_CHECK(!(page & (page_size - 1)));
		FUZZ_CHECK(!i || out.bad.addr[i - 1] < page);
		/* The page holds an address inside the span. */
		FUZZ_CHECK(page + page_size - 1 >= span->start);
		FUZZ_CHECK(page <= span->start + span->size - 1);
		FUZZ_CHECK(dax_kmem_bad_pages_has(&out.bad, page));
	}
	check_round_trip(&out, page_size);
	free(s);
	return 0;
}
