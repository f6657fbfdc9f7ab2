// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_align_span() on spans parsed from the input, a comma-separated
 * list of SIZE@START items (dax_kmem_parse_size() numbers, so zero sizes
 * and spans that wrap can be written too), for every power-of-two block
 * size 1..2^63 and a few that are not. Invariants:
 *  - it succeeds exactly when a whole block fits: the span is valid and
 *    its first block edge plus one block stays inside it;
 *  - then the result is block aligned, at least one block, inside the
 *    span, lost_head == start - span start, lost_head and lost_tail are
 *    each below one block (nothing usable is lost), and lost_head + size
 *    + lost_tail == the span's size;
 *  - otherwise, and always for a block size that is 0 or not a power of
 *    two, the result is all zero with the whole span in lost_tail;
 *  - a twice larger block gives a result inside the smaller block's.
 */
#include "fuzz.h"

/* Each span costs about 70 calls: a few per input keep the rate up. */
#define MAX_SPANS	4

static const u64 not_power[] = {
	0, 3, 6, 3 << 12, ((u64)1 << 27) + 1, 3ULL << 30, ((u64)1 << 62) + 1,
	(u64)3 << 62, U64_TOP,
};

static bool ref_fits(const struct dax_kmem_span *span, u64 block)
{
	u64 mask = block - 1, first, last;

	if (!span->size || span->start > U64_TOP - (span->size - 1))
		return false;
	last = span->start + (span->size - 1);
	if (span->start & mask) {
		if ((span->start | mask) == U64_TOP)
			return false;
		first = (span->start | mask) + 1;
	} else {
		first = span->start;
	}
	return first <= last && last - first >= mask;
}

static void check_refused(const struct dax_kmem_span *span,
			  const struct dax_kmem_aligned *out)
{
	FUZZ_CHECK(out->start == 0 && out->size == 0);
	FUZZ_CHECK(out->lost_head == 0);
	FUZZ_CHECK(out->lost_tail == span->size);
}

static void check_span(const struct dax_kmem_span *span)
{
	struct dax_kmem_aligned out, prev = { 0 };
	bool prev_ok = false;
	unsigned int shift;
	u64 sum;

	for (shift = 0; shift < 64; shift++) {
		u64 block = (u64)1 << shift, mask = block - 1;
		bool ok = dax_kmem_align_span(span, block, &out);

		FUZZ_CHECK(ok == ref_fits(span, block));
		if (!ok) {
			check_refused(span, &out);
			prev_ok = false;
			continue;
		}
		FUZZ_CHECK(!(out.start & mask) && !(out.size & mask));
		FUZZ_CHECK(out.size >= block);
		FUZZ_CHECK(out.start >= span->start);
		FUZZ_CHECK(out.start + (out.size - 1) >= out.start);
		FUZZ_CHECK(out.start + (out.size - 1) <=
			   span->start + (span->size - 1));
		FUZZ_CHECK(out.lost_head == out.start - span->start);
		FUZZ_CHECK(out.lost_head < block && out.lost_tail < block);
		FUZZ_CHECK(!__builtin_add_overflow(out.lost_head, out.size, &sum));
		FUZZ_CHECK(!__builtin_add_overflow(sum, out.lost_tail, &sum));
		FUZZ_CHECK(sum == span->size);
		/* The block one size down held at least this much. */
		if (shift) {
			FUZZ_CHECK(prev_ok);
			FUZZ_CHECK(out.start >= prev.start);
			FUZZ_CHECK(out.start + (out.size - 1) <=
				   prev.start + (prev.size - 1));
		}
		prev = out;
		prev_ok = true;
	}

	/* Zero, and block sizes that are not powers of two: nothing added. */
	for (shift = 0; shift < ARRAY_SIZE(not_power); shift++) {
		FUZZ_CHECK(!dax_kmem_align_span(span, not_power[shift], &out));
		check_refused(span, &out);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dax_kmem_span spans[MAX_SPANS];
	char *s = fuzz_cstr(data, size);
	unsigned int n, i;

	n = fuzz_parse_spans(s, spans, MAX_SPANS);
	for (i = 0; i < n; i++)
		check_span(&spans[i]);
	free(s);
	return 0;
}
