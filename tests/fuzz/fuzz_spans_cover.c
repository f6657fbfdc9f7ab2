// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_spans_cover() and dax_kmem_span_pieces_cover() on spans
 * parsed from the input: comma-separated SIZE@START items, the first the
 * span to check and the others (up to 32) the ones that should cover it.
 * dax_kmem_spans_overlap() and dax_kmem_span_within() are checked on the
 * way. Invariants:
 *  - spans_cover() agrees with a reference that sorts the valid spans
 *    and sweeps them: same answer, and the same first gap, which lies
 *    inside the span, touches none of the spans and cannot grow;
 *  - an invalid span (empty, or wrapping) is never covered, gap all zero;
 *  - pieces_cover() asks about pieces that are non-empty, in ascending
 *    order, back to back, inside the span and inside one step each; its
 *    gap starts at the first piece it was told is not described, touches
 *    none of the spans, and it is true whenever spans_cover() is;
 *  - overlap is symmetric and matches interval arithmetic.
 */
#include "fuzz.h"

#define MAX_SPANS	33

static bool valid(const struct dax_kmem_span *s)
{
	return s->size && s->start <= U64_TOP - (s->size - 1);
}

static u64 last_of(const struct dax_kmem_span *s)
{
	return s->start + (s->size - 1);
}

static int by_start(const void *a, const void *b)
{
	const struct dax_kmem_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort, sweep: the first byte of @span none covers, and where it ends. */
static bool ref_cover(const struct dax_kmem_span *list, unsigned int count,
		      const struct dax_kmem_span *span, struct dax_kmem_span *gap)
{
	struct dax_kmem_span sorted[MAX_SPANS];
	unsigned int n = 0, i;
	u64 pos, last;

	gap->start = 0;
	gap->size = 0;
	if (!valid(span))
		return false;
	for (i = 0; i < count; i++)
		if (valid(&list[i]))
			sorted[n++] = list[i];
	qsort(sorted, n, sizeof(sorted[0]), by_start);

	pos = span->start;
	last = last_of(span);
	for (i = 0; i < n; i++) {
		if (sorted[i].start > pos)
			break;
		if (last_of(&sorted[i]) >= pos) {
			if (last_of(&sorted[i]) >= last)
				return true;
			pos = last_of(&sorted[i]) + 1;
		}
	}
	gap->start = pos;
	/* Up to the next span's start, or the end of @span. */
	gap->size = last - pos + 1;
	for (; i < n; i++) {
		if (sorted[i].start > pos && sorted[i].start <= last) {
			gap->size = sorted[i].start - pos;
			break;
		}
	}
	return false;
}

static bool touches_any(const struct dax_kmem_span *list, unsigned int count,
			const struct dax_kmem_span *s)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		if (dax_kmem_spans_overlap(&list[i], s))
			return true;
	return false;
}

struct pieces_ctx {
	const struct dax_kmem_span *list;
	unsigned int count;
	const struct dax_kmem_span *span;
	u64 mask;		/* step - 1 */
	u64 next;		/* where the next piece must start */
	unsigned long calls;
	bool undescribed;	/* seen a piece that is not described */
	u64 first_undescribed;
};

static bool described(u64 start, u64 size, void *arg)
{
	struct pieces_ctx *c = arg;
	struct dax_kmem_span piece = { start, size };
	bool any;

	FUZZ_CHECK(size != 0);
	FUZZ_CHECK(start == c->next);
	FUZZ_CHECK(dax_kmem_span_within(&piece, c->span->start,
					last_of(c->span)));
	FUZZ_CHECK((start | c->mask) == (last_of(&piece) | c->mask));
	FUZZ_CHECK(++c->calls <= 130);
	c->next = last_of(&piece) + 1;
	any = touches_any(c->list, c->count, &piece);
	if (!any && !c->undescribed) {
		c->undescribed = true;
		c->first_undescribed = start;
	}
	return any;
}

static void check_overlap(const struct dax_kmem_span *a,
			  const struct dax_kmem_span *b)
{
	bool want = valid(a) && valid(b) && a->start <= last_of(b) &&
		    b->start <= last_of(a);

	FUZZ_CHECK(dax_kmem_spans_overlap(a, b) == want);
	FUZZ_CHECK(dax_kmem_spans_overlap(b, a) == want);
	FUZZ_CHECK(dax_kmem_span_valid(a) == valid(a));
	if (valid(a) && valid(b))
		FUZZ_CHECK(dax_kmem_span_within(a, b->start, last_of(b)) ==
			   (a->start >= b->start && last_of(a) <= last_of(b)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dax_kmem_span spans[MAX_SPANS], gap, ref_gap, pgap;
	const struct dax_kmem_span *span = &spans[0], *list = &spans[1];
	struct pieces_ctx ctx;
	char *s = fuzz_cstr(data, size);
	unsigned int n, count, i, bits;
	bool covered, pcovered;
	u64 step;

	n = fuzz_parse_spans(s, spans, MAX_SPANS);
	free(s);
	if (!n)
		return 0;
	count = n - 1;
	for (i = 0; i < n; i++)
		check_overlap(span, &spans[i]);

	covered = dax_kmem_spans_cover(list, count, span, &gap);
	FUZZ_CHECK(covered == ref_cover(list, count, span, &ref_gap));
	FUZZ_CHECK(gap.start == ref_gap.start && gap.size == ref_gap.size);
	if (!valid(span)) {
		FUZZ_CHECK(!covered && !gap.start && !gap.size);
		return 0;
	}
	if (!covered) {
		FUZZ_CHECK(dax_kmem_span_within(&gap, span->start, last_of(span)));
		FUZZ_CHECK(!touches_any(list, count, &gap));
		/* Maximal: the bytes either side are covered or outside. */
		if (gap.start > span->start) {
			struct dax_kmem_span before = { gap.start - 1, 1 };

			FUZZ_CHECK(touches_any(list, count, &before));
		}
		if (last_of(&gap) < last_of(span)) {
			struct dax_kmem_span after = { last_of(&gap) + 1, 1 };

			FUZZ_CHECK(touches_any(list, count, &after));
		}
	}

	/* At most about 64 pieces: a step of size >> 6, a power of two. */
	bits = 64 - __builtin_clzll(span->size);
	step = (u64)1 << (bits > 6 ? bits - 6 : 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.list = list;
	ctx.count = count;
	ctx.span = span;
	ctx.mask = step - 1;
	ctx.next = span->start;
	pcovered = dax_kmem_span_pieces_cover(span, step, described, &ctx, &pgap);
	FUZZ_CHECK(pcovered == !ctx.undescribed);
	if (covered)
		FUZZ_CHECK(pcovered);
	if (!pcovered) {
		FUZZ_CHECK(!covered);
		FUZZ_CHECK(pgap.start == ctx.first_undescribed);
		FUZZ_CHECK(pgap.start >= gap.start);
		FUZZ_CHECK(dax_kmem_span_within(&pgap, span->start, last_of(span)));
		FUZZ_CHECK(!touches_any(list, count, &pgap));
	}

	/* A step that is not a power of two: the whole span is one piece. */
	memset(&ctx, 0, sizeof(ctx));
	ctx.list = list;
	ctx.count = count;
	ctx.span = span;
	ctx.mask = U64_TOP;
	ctx.next = span->start;
	pcovered = dax_kmem_span_pieces_cover(span, step * 3, described, &ctx,
					      &pgap);
	FUZZ_CHECK(ctx.calls == 1);
	FUZZ_CHECK(pcovered == touches_any(list, count, span));
	FUZZ_CHECK(!pcovered || pgap.size == 0);
	if (!pcovered)
		FUZZ_CHECK(pgap.start == span->start && pgap.size == span->size);
	return 0;
}
