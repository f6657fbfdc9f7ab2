// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the input-trust decisions in
 * drivers/dax_kmem/range_logic.c (used by memcheck.c): pluggable-range
 * containment, coverage by a list of firmware spans, coverage by a map
 * that only answers "any of this piece", and the verdict on one iomem
 * resource. TAP on stdout, non-zero exit status on failure.
 */
#include <stdlib.h>

#include "dax_kmem/range_logic.h"
#include "tap.h"

#define SZ_1M		((u64)1 << 20)
#define SZ_128M		((u64)1 << 27)
#define SZ_1G		((u64)1 << 30)
#define TOP		(~(u64)0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- dax_kmem_span_within ----------------------------------------- */

struct within_case {
	const char *name;
	struct dax_kmem_span span;
	u64 first, last;
	bool expected;
};

static const struct within_case within_cases[] = {
	{ "within: span inside the range",
	  { 4 * SZ_1G, SZ_1G }, 0, ((u64)1 << 46) - 1, true },
	{ "within: span ending on the last byte of the range",
	  { ((u64)1 << 40) - SZ_1G, SZ_1G }, 0, ((u64)1 << 40) - 1, true },
	{ "within: span one byte past the end (40-bit CPU) is outside",
	  { ((u64)1 << 40) - SZ_1G + 1, SZ_1G }, 0, ((u64)1 << 40) - 1, false },
	{ "within: span starting at 2^40 on a 40-bit CPU is outside",
	  { (u64)1 << 40, 256 * SZ_1M }, 0, ((u64)1 << 40) - 1, false },
	{ "within: 2^62 at 2^62 is outside a 52-bit pluggable range",
	  { (u64)1 << 62, (u64)1 << 62 }, 0, ((u64)1 << 52) - 1, false },
	{ "within: span below the range's start is outside",
	  { 0, SZ_1G }, SZ_1G, TOP, false },
	{ "within: zero-size span is never within",
	  { SZ_1G, 0 }, 0, TOP, false },
	{ "within: wrapping span is never within, even [0, 2^64-1]",
	  { TOP, 2 }, 0, TOP, false },
	{ "within: span ending at 2^64-1 is within [0, 2^64-1]",
	  { TOP - SZ_1G + 1, SZ_1G }, 0, TOP, true },
};

static void test_within(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(within_cases); i++) {
		const struct within_case *t = &within_cases[i];

		tap_begin(&c, t->name);
		tap_bool(&c, "within",
			 dax_kmem_span_within(&t->span, t->first, t->last),
			 t->expected);
		tap_end(&c);
	}
}

/* ---- dax_kmem_spans_cover ----------------------------------------- */

#define MAX_SPANS 4

struct cover_case {
	const char *name;
	struct dax_kmem_span spans[MAX_SPANS];
	unsigned int count;
	struct dax_kmem_span span;
	bool covered;
	struct dax_kmem_span gap;
};

/* QEMU virt with three 1 GiB /memory nodes, as tests/vm/boot-arm64.sh. */
#define VIRT_MEMORY \
	{ { 0x40000000, SZ_1G }, { 0x80000000, SZ_1G }, { 0xc0000000, SZ_1G } }, 3

static const struct cover_case cover_cases[] = {
	{ "cover: range inside one /memory node",
	  VIRT_MEMORY, { 0x80000000, 256 * SZ_1M }, true, { 0, 0 } },
	{ "cover: range across two adjacent /memory nodes",
	  VIRT_MEMORY, { 0xb0000000, 512 * SZ_1M }, true, { 0, 0 } },
	{ "cover: range past the last node: the gap is the part beyond",
	  VIRT_MEMORY, { 0xf0000000, 512 * SZ_1M }, false,
	  { 0x100000000, 256 * SZ_1M } },
	{ "cover: range in the hole above RAM: all of it is the gap",
	  VIRT_MEMORY, { 0x100000000, 256 * SZ_1M }, false,
	  { 0x100000000, 256 * SZ_1M } },
	{ "cover: hole in the middle: the gap stops where the next span starts",
	  { { 0, SZ_1G }, { 2 * SZ_1G, SZ_1G } }, 2,
	  { 512 * SZ_1M, 2 * SZ_1G }, false, { SZ_1G, SZ_1G } },
	{ "cover: spans in any order and overlapping still cover",
	  { { 3 * SZ_1G, SZ_1G }, { 0, 2 * SZ_1G }, { SZ_1G, 2 * SZ_1G } }, 3,
	  { 0, 4 * SZ_1G }, true, { 0, 0 } },
	{ "cover: a span nested in another does not end the coverage early",
	  { { 0x1000, 0x100 }, { 0, 0x10000 } }, 2,
	  { 0x800, 0x8000 }, true, { 0, 0 } },
	{ "cover: no spans at all: the whole range is the gap",
	  { { 0, 0 } }, 0, { SZ_1G, SZ_1G }, false, { SZ_1G, SZ_1G } },
	{ "cover: invalid (zero-size, wrapping) spans are ignored",
	  { { 0, 0 }, { TOP, 2 }, { SZ_1G, SZ_1G } }, 3,
	  { 0, 2 * SZ_1G }, false, { 0, SZ_1G } },
	{ "cover: one byte short at the end is a one-byte gap",
	  { { 0, SZ_1G - 1 } }, 1, { 0, SZ_1G }, false, { SZ_1G - 1, 1 } },
	{ "cover: a span ending at 2^64-1 covers a range there",
	  { { TOP - SZ_1G + 1, SZ_1G } }, 1,
	  { TOP - SZ_128M + 1, SZ_128M }, true, { 0, 0 } },
	{ "cover: invalid range is not covered, gap all zero",
	  { { 0, TOP } }, 1, { SZ_1G, 0 }, false, { 0, 0 } },
};

static void test_cover(void)
{
	struct dax_kmem_span gap;
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cover_cases); i++) {
		const struct cover_case *t = &cover_cases[i];

		tap_begin(&c, t->name);
		tap_bool(&c, "covered",
			 dax_kmem_spans_cover(t->spans, t->count, &t->span, &gap),
			 t->covered);
		tap_u64(&c, "gap.start", gap.start, t->gap.start);
		tap_u64(&c, "gap.size", gap.size, t->gap.size);
		tap_end(&c);
	}
}

/*
 * Reference model on a 16-byte universe: a bitmap of covered bytes. Every
 * list of up to two spans and every range in it, against the real thing.
 */
#define U 16

static unsigned int bits_of(const struct dax_kmem_span *s)
{
	unsigned int b = 0;
	u64 i;

	for (i = s->start; i < s->start + s->size && i < U; i++)
		b |= 1u << i;
	return b;
}

/*
 * The first uncovered byte starts the gap, its last byte is uncovered, and
 * the byte after it (if still in the range) is covered: a maximal stretch.
 */
static bool gap_matches(bool got, const struct dax_kmem_span *gap,
			unsigned int want_start, unsigned int covered,
			unsigned int end)
{
	u64 after;

	if (got != (want_start == U))
		return false;
	if (got)
		return true;
	after = gap->start + gap->size;
	if (gap->start != want_start || !gap->size || after > end)
		return false;
	if (covered & (1u << (after - 1)))
		return false;
	return after == end || (covered & (1u << after));
}

static void test_cover_reference(void)
{
	struct dax_kmem_span spans[2], span, gap;
	unsigned int a, b, x, y, covered, want_start, i;
	struct tap_case c;
	bool got;

	tap_begin(&c, "cover: matches a bitmap model on every two-span list of a 16-byte space");
	for (a = 0; a < U * U && !c.failed; a++) {
		spans[0].start = a / U;
		spans[0].size = a % U;
		for (b = 0; b < U * U && !c.failed; b++) {
			spans[1].start = b / U;
			spans[1].size = b % U;
			covered = bits_of(&spans[0]) | bits_of(&spans[1]);
			for (x = 0; x < U; x++) {
				for (y = 1; x + y <= U; y++) {
					span.start = x;
					span.size = y;
					got = dax_kmem_spans_cover(spans, 2, &span, &gap);
					want_start = U;
					for (i = x; i < x + y; i++) {
						if (!(covered & (1u << i))) {
							want_start = i;
							break;
						}
					}
					if (!gap_matches(got, &gap, want_start, covered, x + y)) {
						tap_fail(&c, "spans {%u,%u} {%u,%u}, range {%u,%u}: got %d gap {%u,%u}",
							 a / U, a % U, b / U, b % U, x, y, got,
							 (unsigned int)gap.start,
							 (unsigned int)gap.size);
						break;
					}
				}
			}
		}
	}
	tap_end(&c);
}

/* ---- dax_kmem_span_pieces_cover ----------------------------------- */

/* A firmware map that only answers "any of it": e820__mapped_raw_any. */
struct any_map {
	const struct dax_kmem_span *spans;
	unsigned int count;
	unsigned int calls;
};

static bool any_described(u64 start, u64 size, void *ctx)
{
	struct any_map *map = ctx;
	struct dax_kmem_span piece = { start, size };
	unsigned int i;

	map->calls++;
	for (i = 0; i < map->count; i++)
		if (dax_kmem_spans_overlap(&piece, &map->spans[i]))
			return true;
	return false;
}

/* The test VM's e820 as firmware gave it (tests/vm/boot.sh, 3 GiB). */
static const struct dax_kmem_span vm_e820[] = {
	{ 0, 0x9fc00 },				/* usable */
	{ 0x9fc00, 0x400 },			/* reserved */
	{ 0xf0000, 0x10000 },			/* reserved */
	{ 0x100000, 0xbfee0000 },		/* usable, to 0xbffdffff */
	{ 0xbffe0000, 0x20000 },		/* reserved */
	{ 0xfffc0000, 0x40000 },		/* reserved */
	{ 0xfd00000000, 0x300000000 },		/* reserved (HyperTransport) */
};

struct pieces_case {
	const char *name;
	struct dax_kmem_span span;
	u64 step;
	bool covered;
	struct dax_kmem_span gap;
	unsigned int calls;
};

static const struct pieces_case pieces_cases[] = {
	{ "pieces: memmap=$ carve-out (usable in firmware's map) is described",
	  { 0x40000000, SZ_1G }, SZ_128M, true, { 0, 0 }, 8 },
	{ "pieces: RAM hidden by mem= (usable in firmware's map) is described",
	  { 0xa0000000, 512 * SZ_1M }, SZ_128M, true, { 0, 0 }, 4 },
	{ "pieces: the 32-bit PCI hole is not described",
	  { 0xc0000000, 256 * SZ_1M }, SZ_128M, false,
	  { 0xc0000000, 256 * SZ_1M }, 2 },
	{ "pieces: an unbacked hole at 8 GiB is not described",
	  { 0x200000000, 256 * SZ_1M }, SZ_128M, false,
	  { 0x200000000, 256 * SZ_1M }, 2 },
	{ "pieces: running past the end of RAM: the gap is the part beyond",
	  { 0xb0000000, 512 * SZ_1M }, SZ_128M, false,
	  { 0xc0000000, 256 * SZ_1M }, 4 },
	{ "pieces: the gap ends at the first piece firmware's map touches again",
	  { 0xf0000000, 512 * SZ_1M }, SZ_128M, false,
	  { 0xf0000000, SZ_128M }, 2 },
	{ "pieces: a hole smaller than a step inside a described piece is not seen",
	  { 0xf8000000, SZ_128M }, SZ_128M, true, { 0, 0 }, 1 },
	{ "pieces: unaligned ends are pieces of their own, clipped to the range",
	  { 0x40100000, 300 * SZ_1M }, SZ_128M, true, { 0, 0 }, 3 },
	{ "pieces: step that is not a power of two: one piece",
	  { 0xb0000000, 512 * SZ_1M }, 3 * SZ_1M, true, { 0, 0 }, 1 },
	{ "pieces: the top of the address space does not wrap",
	  { TOP - SZ_1G + 1, SZ_1G }, SZ_128M, false,
	  { TOP - SZ_1G + 1, SZ_1G }, 8 },
	{ "pieces: invalid range: not covered, no question asked",
	  { TOP, 2 }, SZ_128M, false, { 0, 0 }, 0 },
};

static void test_pieces(void)
{
	struct dax_kmem_span gap;
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pieces_cases); i++) {
		const struct pieces_case *t = &pieces_cases[i];
		struct any_map map = { vm_e820, ARRAY_SIZE(vm_e820), 0 };

		tap_begin(&c, t->name);
		tap_bool(&c, "covered",
			 dax_kmem_span_pieces_cover(&t->span, t->step,
						    any_described, &map, &gap),
			 t->covered);
		tap_u64(&c, "gap.start", gap.start, t->gap.start);
		tap_u64(&c, "gap.size", gap.size, t->gap.size);
		tap_int(&c, "questions asked", map.calls, t->calls);
		tap_end(&c);
	}
}

/* ---- dax_kmem_res_verdict ----------------------------------------- */

struct verdict_case {
	const char *name;
	struct dax_kmem_res_facts facts;
	enum dax_kmem_res_verdict expected;
};

#define F(kind, busy, boot, own, contains) \
	{ DAX_KMEM_RES_##kind, busy, boot, own, contains, false, false }

/* The same, for an address a user typed, with or without claim=. */
#define TYPED(kind, busy, contains, claimed) \
	{ DAX_KMEM_RES_##kind, busy, false, false, contains, true, claimed }

static const struct verdict_case verdict_cases[] = {
	{ "verdict: legacy pmem under a typed address, no claim=: may hold data",
	  TYPED(PMEM_LEGACY, false, true, false), DAX_KMEM_RES_HOLDS_DATA },
	{ "verdict: Soft Reserved under a typed address, no claim=: may hold data",
	  TYPED(SOFT_RESERVED, false, true, false), DAX_KMEM_RES_HOLDS_DATA },
	{ "verdict: legacy pmem under a typed address, across its edge: crosses, whatever claim= says",
	  TYPED(PMEM_LEGACY, false, false, false), DAX_KMEM_RES_CROSSES },
	{ "verdict: legacy pmem under a typed address with claim=legacy-pmem: nest inside",
	  TYPED(PMEM_LEGACY, false, true, true), DAX_KMEM_RES_NEST },
	{ "verdict: Soft Reserved under a typed address with claim=soft-reserved: nest inside",
	  TYPED(SOFT_RESERVED, false, true, true), DAX_KMEM_RES_NEST },
	{ "verdict: legacy pmem a namespace holds, typed address: a conflict first",
	  TYPED(PMEM_LEGACY, true, true, false), DAX_KMEM_RES_CONFLICT },
	{ "verdict: e820 Reserved under a typed address: nest inside, no claim= needed",
	  TYPED(RESERVED, false, true, false), DAX_KMEM_RES_NEST },
	{ "verdict: System RAM is left to the System RAM check",
	  F(SYSTEM_RAM, true, false, false, true), DAX_KMEM_RES_LEAVE },
	{ "verdict: a PCI host bridge window is a conflict",
	  F(WINDOW, false, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: an unnamed device resource (BAR) is a conflict",
	  F(OTHER, false, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: a busy resource (IOAPIC, MMCONFIG) is a conflict",
	  F(OTHER, true, false, false, false), DAX_KMEM_RES_CONFLICT },
	{ "verdict: e820 Reserved holding the range: nest inside",
	  F(RESERVED, false, false, false, true), DAX_KMEM_RES_NEST },
	{ "verdict: Soft Reserved holding the range: nest inside",
	  F(SOFT_RESERVED, false, false, false, true), DAX_KMEM_RES_NEST },
	{ "verdict: legacy pmem holding the range: nest inside",
	  F(PMEM_LEGACY, false, false, false, true), DAX_KMEM_RES_NEST },
	{ "verdict: Reserved the range runs out of: crosses",
	  F(RESERVED, false, false, false, false), DAX_KMEM_RES_CROSSES },
	{ "verdict: legacy pmem a driver holds (namespace) is a conflict",
	  F(PMEM_LEGACY, true, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: the describing device's own resource: nest inside",
	  F(OTHER, false, false, true, true), DAX_KMEM_RES_NEST },
	{ "verdict: NVDIMM (NFIT) persistent memory is a conflict",
	  F(PMEM, false, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: ACPI tables are a conflict",
	  F(ACPI, true, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: a CXL window is a conflict",
	  F(CXL, false, false, false, true), DAX_KMEM_RES_CONFLICT },
	{ "verdict: arm64 no-map memory (all present) is left to the presence check",
	  F(OTHER, false, true, false, true), DAX_KMEM_RES_LEAVE },
	{ "verdict: a busy region in boot memory is left to the presence check",
	  F(OTHER, true, true, false, false), DAX_KMEM_RES_LEAVE },
};

static void test_verdict(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(verdict_cases); i++) {
		const struct verdict_case *t = &verdict_cases[i];

		tap_begin(&c, t->name);
		tap_int(&c, "verdict", dax_kmem_res_verdict(&t->facts),
			t->expected);
		tap_end(&c);
	}
}

static void test_claim_word(void)
{
	struct tap_case c;

	tap_begin(&c, "claim_word: the claim= word of each kind that may hold data");
	tap_bool(&c, "legacy pmem",
		 !strcmp(dax_kmem_res_claim_word(DAX_KMEM_RES_PMEM_LEGACY), "legacy-pmem"),
		 true);
	tap_bool(&c, "soft reserved",
		 !strcmp(dax_kmem_res_claim_word(DAX_KMEM_RES_SOFT_RESERVED), "soft-reserved"),
		 true);
	tap_bool(&c, "reserved has none",
		 !dax_kmem_res_claim_word(DAX_KMEM_RES_RESERVED), true);
	tap_end(&c);
}

static void test_kind_str(void)
{
	struct tap_case c;
	int kind;

	tap_begin(&c, "kind_str: every kind, busy or not, has a name");
	for (kind = DAX_KMEM_RES_OTHER; kind <= DAX_KMEM_RES_WINDOW; kind++) {
		const char *idle = dax_kmem_res_kind_str(kind, false);
		const char *busy = dax_kmem_res_kind_str(kind, true);

		if (!idle || !*idle || !busy || !*busy)
			tap_fail(&c, "kind %d has no name", kind);
	}
	if (strcmp(dax_kmem_res_kind_str(DAX_KMEM_RES_WINDOW, false),
		   "a PCI host bridge window (device MMIO)"))
		tap_fail(&c, "window: %s",
			 dax_kmem_res_kind_str(DAX_KMEM_RES_WINDOW, false));
	if (strcmp(dax_kmem_res_kind_str(DAX_KMEM_RES_OTHER, true),
		   "in use by a driver or the kernel"))
		tap_fail(&c, "busy: %s",
			 dax_kmem_res_kind_str(DAX_KMEM_RES_OTHER, true));
	tap_end(&c);
}

int main(void)
{
	test_within();
	test_cover();
	test_cover_reference();
	test_pieces();
	test_verdict();
	test_kind_str();
	test_claim_word();
	return tap_done();
}
