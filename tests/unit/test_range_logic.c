// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for drivers/dax_kmem/range_logic.c, which is compiled
 * here unchanged. Output is TAP; the exit status is non-zero when any case
 * fails.
 */
#include <stdlib.h>

#include "dax_kmem/range_logic.h"
#include "tap.h"

#define SZ_4K		((u64)4096)
#define SZ_1M		((u64)1 << 20)
#define SZ_128M		((u64)1 << 27)
#define SZ_1G		((u64)1 << 30)
#define SZ_1T		((u64)1 << 40)
#define TOP		(~(u64)0)	/* last byte of the 64-bit space */
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
/* For PRIx64: u64 is whatever the header typedefs it to on the host. */
#define X(v)		((uint64_t)(v))

/* x86-64 default memory block size; the alignment cases use it. */
#define BLK		SZ_128M

/* ---- dax_kmem_span_valid ------------------------------------------ */

struct valid_case {
	const char *name;
	struct dax_kmem_span span;
	bool expected;
};

static const struct valid_case valid_cases[] = {
	{ "span_valid: zero-size span is invalid",
	  { 0x1000, 0 }, false },
	{ "span_valid: one byte at address 0 is valid",
	  { 0, 1 }, true },
	{ "span_valid: span whose last byte is 2^64-1 is valid",
	  { TOP - SZ_4K + 1, SZ_4K }, true },
	{ "span_valid: span one byte past 2^64-1 wraps and is invalid",
	  { TOP - SZ_4K + 2, SZ_4K }, false },
	{ "span_valid: size 2^64-1 from address 1 ends exactly at the top",
	  { 1, TOP }, true },
	{ "span_valid: size 2^64-1 from address 2 wraps and is invalid",
	  { 2, TOP }, false },
};

static void test_span_valid(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(valid_cases); i++) {
		const struct valid_case *t = &valid_cases[i];

		tap_begin(&c, t->name);
		tap_bool(&c, "valid", dax_kmem_span_valid(&t->span),
			 t->expected);
		tap_end(&c);
	}
}

/* ---- dax_kmem_align_span ------------------------------------------ */

struct align_case {
	const char *name;
	struct dax_kmem_span span;
	u64 block;
	bool ret;
	struct dax_kmem_aligned out;
};

static const struct align_case align_cases[] = {
	{ "align: span already on block edges is kept whole, nothing lost",
	  { 4 * BLK, 2 * BLK }, BLK,
	  true, { 4 * BLK, 2 * BLK, 0, 0 } },
	{ "align: exactly one aligned block is kept",
	  { BLK, BLK }, BLK,
	  true, { BLK, BLK, 0, 0 } },
	{ "align: unaligned head and tail are trimmed, lost_head/lost_tail exact",
	  { BLK + 0x1000, 2 * BLK + 0x2000 }, BLK,
	  true, { 2 * BLK, BLK, BLK - 0x1000, 0x3000 } },
	{ "align: aligned start with unaligned tail loses only the tail",
	  { 0, 3 * BLK - 1 }, BLK,
	  true, { 0, 2 * BLK, 0, BLK - 1 } },
	{ "align: span one byte short of a block returns false, all size lost",
	  { 2 * BLK, BLK - 1 }, BLK,
	  false, { 0, 0, 0, BLK - 1 } },
	{ "align: one block of bytes at an unaligned start straddles two blocks -> false",
	  { BLK + BLK / 2, BLK }, BLK,
	  false, { 0, 0, 0, BLK } },
	{ "align: block ending at 2^64-1 (start 2^64-2^27) aligns fully without overflow",
	  { TOP - BLK + 1, BLK }, BLK,
	  true, { TOP - BLK + 1, BLK, 0, 0 } },
	{ "align: unaligned span ending at 2^64-1 keeps the top blocks, loses the head",
	  { TOP - 2 * BLK + 1 - 0x1000, 2 * BLK + 0x1000 }, BLK,
	  true, { TOP - 2 * BLK + 1, 2 * BLK, 0x1000, 0 } },
	{ "align: block size 1 keeps a span ending at 2^64-1 whole (no index wrap)",
	  { TOP - SZ_4K + 1, SZ_4K }, 1,
	  true, { TOP - SZ_4K + 1, SZ_4K, 0, 0 } },
	{ "align: block size 2^63 keeps the upper half of the space",
	  { (u64)1 << 63, (u64)1 << 63 }, (u64)1 << 63,
	  true, { (u64)1 << 63, (u64)1 << 63, 0, 0 } },
	{ "align: non-power-of-two block size (3 MiB) is rejected, all size lost",
	  { 0, 12 * SZ_1M }, 3 * SZ_1M,
	  false, { 0, 0, 0, 12 * SZ_1M } },
	{ "align: zero block size is rejected, all size lost",
	  { 0, 4 * BLK }, 0,
	  false, { 0, 0, 0, 4 * BLK } },
	{ "align: span that wraps past 2^64 is rejected",
	  { TOP - BLK + 1, 2 * BLK }, BLK,
	  false, { 0, 0, 0, 2 * BLK } },
	{ "align: zero-size span is rejected with nothing lost",
	  { 4 * BLK, 0 }, BLK,
	  false, { 0, 0, 0, 0 } },
};

static void test_align(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(align_cases); i++) {
		const struct align_case *t = &align_cases[i];
		struct dax_kmem_aligned out;
		bool ret;

		/* Garbage in @out proves every field is written. */
		memset(&out, 0xa5, sizeof(out));
		ret = dax_kmem_align_span(&t->span, t->block, &out);

		tap_begin(&c, t->name);
		tap_bool(&c, "return", ret, t->ret);
		tap_u64(&c, "start", out.start, t->out.start);
		tap_u64(&c, "size", out.size, t->out.size);
		tap_u64(&c, "lost_head", out.lost_head, t->out.lost_head);
		tap_u64(&c, "lost_tail", out.lost_tail, t->out.lost_tail);
		/* Nothing may be invented or forgotten. */
		tap_u64(&c, "lost_head+size+lost_tail",
			out.lost_head + out.size + out.lost_tail, t->span.size);
		tap_end(&c);
	}
}

/*
 * Exhaustive cross-check over edge values against a reference written in
 * 128-bit arithmetic, where nothing can wrap: every combination of start,
 * size and block size below, near the bottom, the middle and the top of
 * the 64-bit space.
 */
typedef unsigned __int128 u128;

static const u64 edge_values[] = {
	0, 1, 2, 0xfff, 0x1000, 0x1001, BLK - 1, BLK, BLK + 1, 3 * BLK - 5,
	(u64)1 << 62, ((u64)1 << 63) - 1, (u64)1 << 63, ((u64)1 << 63) + 1,
	TOP - BLK, TOP - BLK + 1, TOP - 0x1000, TOP - 1, TOP,
};

static const u64 edge_blocks[] = {
	0, 1, 2, 3, 0x1000, 0x1800, BLK, (u64)1 << 62, (u64)1 << 63, TOP,
};

static bool ref_align(u64 start, u64 size, u64 block,
		      struct dax_kmem_aligned *out)
{
	u128 end = (u128)start + size;	/* exclusive */
	u128 first, stop;

	memset(out, 0, sizeof(*out));
	out->lost_tail = size;
	if (!block || (block & (block - 1)) || !size ||
	    end > (u128)TOP + 1)
		return false;
	first = ((u128)start + block - 1) / block * block;
	stop = end / block * block;
	if (stop <= first)
		return false;
	out->start = (u64)first;
	out->size = (u64)(stop - first);
	out->lost_head = (u64)(first - start);
	out->lost_tail = (u64)(end - stop);
	return true;
}

static void test_align_reference(void)
{
	struct dax_kmem_aligned got, want;
	struct dax_kmem_span span;
	struct tap_case c;
	size_t i, j, k;
	bool rg, rw;

	tap_begin(&c, "align: matches a 128-bit reference on every edge start/size/block combination");
	for (i = 0; i < ARRAY_SIZE(edge_values); i++) {
		for (j = 0; j < ARRAY_SIZE(edge_values); j++) {
			for (k = 0; k < ARRAY_SIZE(edge_blocks); k++) {
				span.start = edge_values[i];
				span.size = edge_values[j];
				rg = dax_kmem_align_span(&span, edge_blocks[k],
							 &got);
				rw = ref_align(span.start, span.size,
					       edge_blocks[k], &want);
				if (rg == rw && !memcmp(&got, &want, sizeof(got)))
					continue;
				tap_fail(&c, "start 0x%" PRIx64 " size 0x%" PRIx64
					 " block 0x%" PRIx64 ": got %d {0x%" PRIx64
					 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
					 "} expected %d {0x%" PRIx64 " 0x%" PRIx64
					 " 0x%" PRIx64 " 0x%" PRIx64 "}",
					 X(span.start), X(span.size),
					 X(edge_blocks[k]), rg, X(got.start),
					 X(got.size), X(got.lost_head),
					 X(got.lost_tail), rw, X(want.start),
					 X(want.size), X(want.lost_head),
					 X(want.lost_tail));
				goto out;	/* one detailed mismatch is enough */
			}
		}
	}
out:
	tap_end(&c);
}

/* Records a mismatch for @a/@b in @c; returns false when one was found. */
static bool overlap_matches_reference(struct tap_case *c,
				      const struct dax_kmem_span *a,
				      const struct dax_kmem_span *b)
{
	u128 a_end = (u128)a->start + a->size;
	u128 b_end = (u128)b->start + b->size;
	bool want, got;

	want = a->size && b->size &&
	       a_end <= (u128)TOP + 1 && b_end <= (u128)TOP + 1 &&
	       a->start < b_end && b->start < a_end;
	got = dax_kmem_spans_overlap(a, b);
	if (got == want)
		return true;
	tap_fail(c, "a {0x%" PRIx64 ", 0x%" PRIx64 "} b {0x%" PRIx64
		 ", 0x%" PRIx64 "}: got %d expected %d",
		 X(a->start), X(a->size), X(b->start), X(b->size), got, want);
	return false;
}

static void test_overlap_reference(void)
{
	const size_t n = ARRAY_SIZE(edge_values);
	struct dax_kmem_span a, b;
	struct tap_case c;
	size_t i;

	tap_begin(&c, "overlap: matches a 128-bit reference on every edge start/size combination");
	/* i walks all n^4 (a.start, a.size, b.start, b.size) tuples. */
	for (i = 0; i < n * n * n * n; i++) {
		a.start = edge_values[i % n];
		a.size = edge_values[i / n % n];
		b.start = edge_values[i / n / n % n];
		b.size = edge_values[i / n / n / n];
		if (!overlap_matches_reference(&c, &a, &b))
			break;	/* one detailed mismatch is enough */
	}
	tap_end(&c);
}

/* ---- dax_kmem_spans_overlap --------------------------------------- */

struct overlap_case {
	const char *name;
	struct dax_kmem_span a;
	struct dax_kmem_span b;
	bool expected;
};

static const struct overlap_case overlap_cases[] = {
	{ "overlap: disjoint spans do not overlap",
	  { 0x1000, 0x1000 }, { 0x4000, 0x1000 }, false },
	{ "overlap: touching spans (a's last byte + 1 == b start) do not overlap",
	  { 0x1000, 0x1000 }, { 0x2000, 0x1000 }, false },
	{ "overlap: spans sharing exactly one byte overlap",
	  { 0x1000, 0x1000 }, { 0x1fff, 0x1000 }, true },
	{ "overlap: nested span overlaps its container",
	  { 0, SZ_1G }, { 0x100000, 0x1000 }, true },
	{ "overlap: partially overlapping spans overlap",
	  { 0x1000, 0x3000 }, { 0x3000, 0x3000 }, true },
	{ "overlap: identical spans overlap",
	  { 0x40000000, SZ_1G }, { 0x40000000, SZ_1G }, true },
	{ "overlap: zero-size span inside another never overlaps",
	  { 0x2000, 0 }, { 0, 0x10000 }, false },
	{ "overlap: two zero-size spans at the same start never overlap",
	  { 0x2000, 0 }, { 0x2000, 0 }, false },
	{ "overlap: wrapping span is invalid and overlaps nothing at the top",
	  { TOP - 0xfff, 0x2000 }, { TOP - 0x7ff, 0x100 }, false },
	{ "overlap: wrapping span is invalid and overlaps nothing at address 0",
	  { TOP - 0xfff, 0x2000 }, { 0, 0x100 }, false },
	{ "overlap: spans ending at 2^64-1 overlap on the last byte",
	  { TOP - 0xfff, 0x1000 }, { TOP, 1 }, true },
};

static void test_overlap(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(overlap_cases); i++) {
		const struct overlap_case *t = &overlap_cases[i];

		tap_begin(&c, t->name);
		/* Overlap is symmetric: check both argument orders. */
		tap_bool(&c, "overlap(a, b)",
			 dax_kmem_spans_overlap(&t->a, &t->b), t->expected);
		tap_bool(&c, "overlap(b, a)",
			 dax_kmem_spans_overlap(&t->b, &t->a), t->expected);
		tap_end(&c);
	}
}

/* ---- dax_kmem_parse_size ------------------------------------------ */

struct size_case {
	const char *name;
	const char *input;
	bool ok;
	u64 value;
	size_t used;	/* characters consumed, i.e. *end - input */
};

static const struct size_case size_cases[] = {
	{ "parse_size: plain decimal", "12345", true, 12345, 5 },
	{ "parse_size: lower-case k is 1024", "4k", true, SZ_4K, 2 },
	{ "parse_size: upper-case T is 2^40", "1T", true, SZ_1T, 2 },
	{ "parse_size: hex with M suffix", "0x10M", true, 16 * SZ_1M, 5 },
	{ "parse_size: stops after the suffix, *end at the rest",
	  "7Gx", true, 7 * SZ_1G, 2 },
	{ "parse_size: 2^64-1 in decimal is the largest accepted value",
	  "18446744073709551615", true, TOP, 20 },
	{ "parse_size: 2^64 in decimal overflows",
	  "18446744073709551616", false, 0, 0 },
	{ "parse_size: 2^64-1 in hex is accepted",
	  "0xffffffffffffffff", true, TOP, 18 },
	{ "parse_size: 17 hex digits overflow",
	  "0x10000000000000000", false, 0, 0 },
	{ "parse_size: largest G multiple below 2^64 is accepted",
	  "17179869183G", true, 17179869183ULL * SZ_1G, 12 },
	{ "parse_size: suffix pushing the value to 2^64 overflows",
	  "17179869184G", false, 0, 0 },
	{ "parse_size: empty string has no digits", "", false, 0, 0 },
	{ "parse_size: suffix without digits is rejected", "K", false, 0, 0 },
};

static void test_parse_size(void)
{
	struct tap_case c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(size_cases); i++) {
		const struct size_case *t = &size_cases[i];
		const char *end = NULL;
		u64 value = 0;
		bool ok;

		ok = dax_kmem_parse_size(t->input, &end, &value);
		tap_begin(&c, t->name);
		tap_bool(&c, "return", ok, t->ok);
		if (ok && t->ok) {
			tap_u64(&c, "value", value, t->value);
			tap_int(&c, "characters used",
				(long long)(end - t->input),
				(long long)t->used);
		}
		tap_end(&c);
	}
}

/* ---- dax_kmem_parse_range_item ------------------------------------ */

#define ERR(e)	[e] = #e
static const char *const error_names[] = {
	ERR(DAX_KMEM_PARSE_OK),
	ERR(DAX_KMEM_PARSE_EMPTY),
	ERR(DAX_KMEM_PARSE_BAD_SIZE),
	ERR(DAX_KMEM_PARSE_ZERO_SIZE),
	ERR(DAX_KMEM_PARSE_NO_AT),
	ERR(DAX_KMEM_PARSE_BAD_START),
	ERR(DAX_KMEM_PARSE_BAD_NODE),
	ERR(DAX_KMEM_PARSE_WRAPS),
	ERR(DAX_KMEM_PARSE_TRAILING),
};

#undef ERR

static const char *error_name(enum dax_kmem_parse_error err)
{
	if ((size_t)err < ARRAY_SIZE(error_names) && error_names[err])
		return error_names[err];
	return "(out of range)";
}

struct parse_case {
	const char *input;
	int max_node;
	enum dax_kmem_parse_error err;
	const char *why;
	/* Checked only when err is DAX_KMEM_PARSE_OK. */
	u64 size;
	u64 start;
	int node;
};

#define OK_ITEM(in, why, sz, st, nd) \
	{ in, 4, DAX_KMEM_PARSE_OK, why, sz, st, nd }
#define BAD_ITEM(in, max, e, why) \
	{ in, max, e, why, 0, 0, 0 }

static const struct parse_case parse_cases[] = {
	OK_ITEM("1G@0x140000000:1", "1 GiB at 0x140000000 on node 1",
		SZ_1G, 0x140000000ULL, 1),
	OK_ITEM("512M@0x80000000", "no :NODE leaves node DAX_KMEM_NODE_UNSET",
		512 * SZ_1M, 0x80000000ULL, DAX_KMEM_NODE_UNSET),
	OK_ITEM("1g@4G:0", "lower-case size suffix and suffixed start",
		SZ_1G, 4 * SZ_1G, 0),
	OK_ITEM("0x10000000@0x40000000", "hex size and hex start",
		0x10000000ULL, 0x40000000ULL, DAX_KMEM_NODE_UNSET),
	OK_ITEM("268435456@1073741824", "decimal size and decimal start",
		256 * SZ_1M, SZ_1G, DAX_KMEM_NODE_UNSET),
	OK_ITEM("2T@16T:3", "T suffix on both, highest node below max_node",
		2 * SZ_1T, 16 * SZ_1T, 3),
	OK_ITEM("1G@0x1000:03", "node with a leading zero is still decimal 3",
		SZ_1G, 0x1000, 3),
	OK_ITEM("0x8000000000000000@0x8000000000000000",
		"2^63 bytes at 2^63 ends exactly at 2^64-1, which does not wrap",
		(u64)1 << 63, (u64)1 << 63, DAX_KMEM_NODE_UNSET),

	BAD_ITEM("", 4, DAX_KMEM_PARSE_EMPTY, "empty item"),
	BAD_ITEM("abc@0x0", 4, DAX_KMEM_PARSE_BAD_SIZE, "size is not a number"),
	BAD_ITEM("1X@0x0", 4, DAX_KMEM_PARSE_BAD_SIZE, "unknown size suffix"),
	BAD_ITEM("99999999999999999999@0", 4, DAX_KMEM_PARSE_BAD_SIZE,
		 "size overflows 64 bits"),
	BAD_ITEM("16777216T@0", 4, DAX_KMEM_PARSE_BAD_SIZE,
		 "size suffix overflows 64 bits"),
	BAD_ITEM("0@0x1000", 4, DAX_KMEM_PARSE_ZERO_SIZE, "zero size"),
	BAD_ITEM("0x0@0x1000", 4, DAX_KMEM_PARSE_ZERO_SIZE, "zero size in hex"),
	BAD_ITEM("1G", 4, DAX_KMEM_PARSE_NO_AT, "missing @START"),
	BAD_ITEM("1G@", 4, DAX_KMEM_PARSE_BAD_START, "empty start"),
	BAD_ITEM("1G@zz", 4, DAX_KMEM_PARSE_BAD_START, "start is not a number"),
	BAD_ITEM("1G@99999999999999999999", 4, DAX_KMEM_PARSE_BAD_START,
		 "start overflows 64 bits"),
	BAD_ITEM("1G@0x1000:x", 4, DAX_KMEM_PARSE_BAD_NODE,
		 "node is not a number"),
	BAD_ITEM("1G@0x1000:", 4, DAX_KMEM_PARSE_BAD_NODE, "empty node"),
	BAD_ITEM("1G@0x1000:7", 4, DAX_KMEM_PARSE_BAD_NODE,
		 "node 7 with max_node 4"),
	BAD_ITEM("1G@0x1000:4", 4, DAX_KMEM_PARSE_BAD_NODE,
		 "node equal to max_node is out of range"),
	BAD_ITEM("1G@0x1000:0x1", 4, DAX_KMEM_PARSE_BAD_NODE,
		 "hex node is refused"),
	BAD_ITEM("1G@0x1000:-1", 4, DAX_KMEM_PARSE_BAD_NODE,
		 "negative node is refused"),
	BAD_ITEM("0x8000000000000001@0x8000000000000000", 4,
		 DAX_KMEM_PARSE_WRAPS, "2^63+1 bytes at 2^63 pass 2^64"),
	BAD_ITEM("2@0xffffffffffffffff", 4, DAX_KMEM_PARSE_WRAPS,
		 "two bytes at the last address pass 2^64"),
	BAD_ITEM("1G@0x1000:1junk", 4, DAX_KMEM_PARSE_TRAILING,
		 "junk after the node"),
	BAD_ITEM("1G@0x1000junk", 4, DAX_KMEM_PARSE_TRAILING,
		 "junk after the start"),
	BAD_ITEM("1G@0x1000,2G@4G", 4, DAX_KMEM_PARSE_TRAILING,
		 "a second item is not parsed as part of the first"),
};

static void test_parse_item(void)
{
	struct tap_case c;
	char name[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *t = &parse_cases[i];
		struct dax_kmem_range_item out;
		enum dax_kmem_parse_error err;

		memset(&out, 0xa5, sizeof(out));
		err = dax_kmem_parse_range_item(t->input, t->max_node, &out);

		snprintf(name, sizeof(name), "parse \"%s\" (max_node %d) -> %s: %s",
			 t->input, t->max_node, error_name(t->err), t->why);
		tap_begin(&c, name);
		if (err != t->err)
			tap_fail(&c, "error: got %s expected %s",
				 error_name(err), error_name(t->err));
		if (t->err == DAX_KMEM_PARSE_OK) {
			tap_u64(&c, "size", out.span.size, t->size);
			tap_u64(&c, "start", out.span.start, t->start);
			tap_int(&c, "node", out.node, t->node);
		}
		tap_end(&c);
	}
}

/* ---- dax_kmem_parse_error_str ------------------------------------- */

static void test_error_str(void)
{
	enum dax_kmem_parse_error bogus;
	const char *msg;
	struct tap_case c;
	char name[128];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(error_names); i++) {
		const char *s = dax_kmem_parse_error_str(i);

		snprintf(name, sizeof(name),
			 "error_str: %s has a non-empty message", error_names[i]);
		tap_begin(&c, name);
		if (!s)
			tap_fail(&c, "got NULL expected a message");
		else if (!*s)
			tap_fail(&c, "got \"\" expected a message");
		tap_end(&c);
	}

	tap_begin(&c, "error_str: every error value has a distinct message");
	for (i = 0; i < ARRAY_SIZE(error_names); i++) {
		for (j = i + 1; j < ARRAY_SIZE(error_names); j++) {
			const char *a = dax_kmem_parse_error_str(i);
			const char *b = dax_kmem_parse_error_str(j);

			if (a && b && !strcmp(a, b))
				tap_fail(&c, "%s and %s both say \"%s\"",
					 error_names[i], error_names[j], a);
		}
	}
	tap_end(&c);

	tap_begin(&c, "error_str: an out-of-range value still gets a non-empty message");
	bogus = (enum dax_kmem_parse_error)(ARRAY_SIZE(error_names) + 10);
	msg = dax_kmem_parse_error_str(bogus);
	if (!msg || !*msg)
		tap_fail(&c, "got %s expected a message", msg ? "\"\"" : "NULL");
	tap_end(&c);
}

static void test_policy_words(void)
{
	static const struct {
		const char *word;
		bool ok;
		enum dax_kmem_online_type type;
	} online[] = {
		{ "movable", true, DAX_KMEM_ONLINE_MOVABLE },
		{ "kernel", true, DAX_KMEM_ONLINE_KERNEL },
		{ "offline", true, DAX_KMEM_ONLINE_OFFLINE },
		{ "movable\n", true, DAX_KMEM_ONLINE_MOVABLE },	/* echo */
		{ "kernel\n\n", false, DAX_KMEM_ONLINE_UNSET },
		{ "Movable", false, DAX_KMEM_ONLINE_UNSET },
		{ "mov", false, DAX_KMEM_ONLINE_UNSET },
		{ "movablex", false, DAX_KMEM_ONLINE_UNSET },
		{ "", false, DAX_KMEM_ONLINE_UNSET },
		{ "online_movable", false, DAX_KMEM_ONLINE_UNSET },
	};
	enum dax_kmem_online_type type;
	enum dax_kmem_memmap memmap;
	struct tap_case c;
	char name[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(online); i++) {
		bool ok;

		snprintf(name, sizeof(name), "online_type: \"%.20s\" %s",
			 online[i].word, online[i].ok ? "parses" : "is refused");
		for (char *p = name; *p; p++)
			if (*p == '\n')
				*p = '~';
		tap_begin(&c, name);
		type = DAX_KMEM_ONLINE_UNSET;
		ok = dax_kmem_parse_online_type(online[i].word, &type);
		if (ok != online[i].ok)
			tap_fail(&c, "returned %d expected %d", ok, online[i].ok);
		if (ok && type != online[i].type)
			tap_fail(&c, "type %d expected %d", type, online[i].type);
		tap_end(&c);
	}

	tap_begin(&c, "memmap: dram and range parse, others are refused");
	if (!dax_kmem_parse_memmap("dram", &memmap) || memmap != DAX_KMEM_MEMMAP_DRAM)
		tap_fail(&c, "dram");
	if (!dax_kmem_parse_memmap("range\n", &memmap) || memmap != DAX_KMEM_MEMMAP_RANGE)
		tap_fail(&c, "range\\n");
	if (dax_kmem_parse_memmap("ram", &memmap) || dax_kmem_parse_memmap("", &memmap))
		tap_fail(&c, "accepted a bad word");
	tap_end(&c);

	tap_begin(&c, "names round-trip through the parsers");
	for (i = DAX_KMEM_ONLINE_MOVABLE; i <= DAX_KMEM_ONLINE_OFFLINE; i++)
		if (!dax_kmem_parse_online_type(dax_kmem_online_type_name(i), &type) ||
		    type != i)
			tap_fail(&c, "online type %zu", i);
	for (i = DAX_KMEM_MEMMAP_DRAM; i <= DAX_KMEM_MEMMAP_RANGE; i++)
		if (!dax_kmem_parse_memmap(dax_kmem_memmap_name(i), &memmap) ||
		    memmap != i)
			tap_fail(&c, "memmap %zu", i);
	if (strcmp(dax_kmem_online_type_name(DAX_KMEM_ONLINE_UNSET), "unset"))
		tap_fail(&c, "unset online type name");
	tap_end(&c);

	tap_begin(&c, "block state words are what memoryN/state accepts");
	if (strcmp(dax_kmem_block_state_word(DAX_KMEM_ONLINE_MOVABLE), "online_movable") ||
	    strcmp(dax_kmem_block_state_word(DAX_KMEM_ONLINE_KERNEL), "online_kernel") ||
	    strcmp(dax_kmem_block_state_word(DAX_KMEM_ONLINE_OFFLINE), "offline") ||
	    dax_kmem_block_state_word(DAX_KMEM_ONLINE_UNSET))
		tap_fail(&c, "wrong word");
	tap_end(&c);
}

static void test_policy_merge(void)
{
	struct dax_kmem_policy defaults = {
		DAX_KMEM_ONLINE_MOVABLE, DAX_KMEM_MEMMAP_DRAM, 0 };
	struct dax_kmem_policy firmware = {
		DAX_KMEM_ONLINE_UNSET, DAX_KMEM_MEMMAP_RANGE, 2880 };
	struct dax_kmem_policy sysfs = {
		DAX_KMEM_ONLINE_KERNEL, DAX_KMEM_MEMMAP_UNSET, 0 };
	struct dax_kmem_policy none = { 0 };
	struct dax_kmem_policy p;
	struct tap_case c;

	tap_begin(&c, "policy merge: later sources win field by field, unset fields do not");
	p = dax_kmem_policy_merge(dax_kmem_policy_merge(defaults, firmware), sysfs);
	if (p.online_type != DAX_KMEM_ONLINE_KERNEL)
		tap_fail(&c, "online_type %d expected kernel (sysfs)", p.online_type);
	if (p.memmap != DAX_KMEM_MEMMAP_RANGE)
		tap_fail(&c, "memmap %d expected range (firmware)", p.memmap);
	if (p.adistance != 2880)
		tap_fail(&c, "adistance %d expected 2880 (firmware)", p.adistance);
	tap_end(&c);

	tap_begin(&c, "policy merge: an all-unset source changes nothing");
	p = dax_kmem_policy_merge(defaults, none);
	if (memcmp(&p, &defaults, sizeof(p)))
		tap_fail(&c, "changed");
	tap_end(&c);
}

static void test_online_order(void)
{
	static const unsigned long counts[] = { 1, 2, 3, 4, 8, 512 };
	struct tap_case c;
	char name[128];
	size_t n;

	for (n = 0; n < ARRAY_SIZE(counts); n++) {
		unsigned long count = counts[n], step, seen = 0, block;
		unsigned char hit[512] = { 0 };

		snprintf(name, sizeof(name),
			 "online order of %lu blocks: each block once, block 0 first, a hole above it until the end",
			 count);
		tap_begin(&c, name);
		for (step = 0; step < count; step++) {
			block = dax_kmem_online_order(step, count);
			if (block >= count) {
				tap_fail(&c, "step %lu gave block %lu", step, block);
				break;
			}
			if (hit[block]++)
				tap_fail(&c, "block %lu twice", block);
			seen++;
			/* Before the last step, block 1 (if any above 0) is still a hole. */
			if (count > 2 && step < count - 1 && block == 1)
				tap_fail(&c, "block 1 at step %lu of %lu", step, count);
		}
		if (seen != count)
			tap_fail(&c, "%lu blocks for %lu", seen, count);
		if (dax_kmem_online_order(0, count) != 0)
			tap_fail(&c, "first block is not 0");
		tap_end(&c);
	}
}

static void test_offline_order(void)
{
	static const unsigned long counts[] = { 1, 2, 3, 8, 512 };
	struct tap_case c;
	char name[128];
	size_t n;

	for (n = 0; n < ARRAY_SIZE(counts); n++) {
		unsigned long count = counts[n], step, block, prev = 0;
		unsigned char hit[512] = { 0 };

		snprintf(name, sizeof(name),
			 "offline order of %lu blocks: each block once, ascending from 1, block 0 last",
			 count);
		tap_begin(&c, name);
		for (step = 0; step < count; step++) {
			block = dax_kmem_offline_order(step, count);
			if (block >= count) {
				tap_fail(&c, "step %lu gave block %lu", step, block);
				break;
			}
			if (hit[block]++)
				tap_fail(&c, "block %lu twice", block);
			if (step < count - 1 && (block == 0 || block <= prev))
				tap_fail(&c, "block %lu at step %lu after %lu",
					 block, step, prev);
			prev = block;
		}
		if (dax_kmem_offline_order(count - 1, count) != 0)
			tap_fail(&c, "last block is not 0");
		tap_end(&c);
	}
}

int main(void)
{
	test_span_valid();
	test_align();
	test_align_reference();
	test_overlap();
	test_overlap_reference();
	test_parse_size();
	test_parse_item();
	test_error_str();
	test_policy_words();
	test_policy_merge();
	test_online_order();
	test_offline_order();
	return tap_done();
}
