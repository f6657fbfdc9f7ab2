// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the line syntax of new_range and the descriptor
 * file (drivers/dax_kmem/range_line.c).
 */
#include <stdlib.h>

#include "tap.h"
#include "dax_kmem/range_line.h"

#define PAGE 4096ULL

struct line_case {
	const char *name;
	const char *line;
	enum dax_kmem_line_error error;
	const char *field;		/* on error */
	unsigned int column;		/* on error */
	u64 start, size;		/* on success */
	int node;
	enum dax_kmem_online_type online_type;
	enum dax_kmem_memmap memmap;
	int adistance;
	unsigned int bad_count;
	u64 bad0;
};

static const struct line_case line_cases[] = {
	{ "item alone", "1G@0x140000000:1", .start = 0x140000000ULL,
	  .size = 1ULL << 30, .node = 1 },
	{ "trailing newline and blanks", "  512M@4G \n", .start = 4ULL << 30,
	  .size = 512ULL << 20, .node = DAX_KMEM_NODE_UNSET },
	{ "every key", "1G@0x140000000:1 online_type=kernel memmap=range adistance=2880 bad_pages=0x140001234,0x140005000",
	  .start = 0x140000000ULL, .size = 1ULL << 30, .node = 1,
	  .online_type = DAX_KMEM_ONLINE_KERNEL, .memmap = DAX_KMEM_MEMMAP_RANGE,
	  .adistance = 2880, .bad_count = 2, .bad0 = 0x140001000ULL },
	{ "tabs between keys", "1G@4G:0\tonline_type=offline", .start = 4ULL << 30,
	  .size = 1ULL << 30, .node = 0, .online_type = DAX_KMEM_ONLINE_OFFLINE },
	{ "same bad page twice counts once", "1G@4G bad_pages=4G,0x100000010",
	  .start = 4ULL << 30, .size = 1ULL << 30, .node = DAX_KMEM_NODE_UNSET,
	  .bad_count = 1, .bad0 = 4ULL << 30 },
	{ "empty line", "", .error = DAX_KMEM_LINE_RANGE, .field = "range", .column = 0 },
	{ "bad item", "1G@", .error = DAX_KMEM_LINE_RANGE, .field = "range", .column = 0 },
	{ "item too long", "  00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001G@0",
	  .error = DAX_KMEM_LINE_RANGE_TOO_LONG, .field = "range", .column = 2 },
	{ "unknown key", "1G@4G zone=movable", .error = DAX_KMEM_LINE_UNKNOWN_KEY, .field = "key", .column = 6 },
	{ "key without '='", "1G@4G memmap", .error = DAX_KMEM_LINE_NO_VALUE, .field = "memmap", .column = 6 },
	{ "key with empty value", "1G@4G memmap=", .error = DAX_KMEM_LINE_NO_VALUE, .field = "memmap", .column = 6 },
	{ "prefix of a key", "1G@4G mem=range", .error = DAX_KMEM_LINE_UNKNOWN_KEY, .field = "key", .column = 6 },
	{ "key given twice", "1G@4G memmap=dram memmap=range",
	  .error = DAX_KMEM_LINE_DUPLICATE_KEY, .field = "memmap", .column = 18 },
	{ "bad online type", "1G@4G online_type=online_movable",
	  .error = DAX_KMEM_LINE_BAD_ONLINE_TYPE, .field = "online_type", .column = 6 },
	{ "bad memmap", "1G@4G memmap=ram", .error = DAX_KMEM_LINE_BAD_MEMMAP, .field = "memmap", .column = 6 },
	{ "adistance 0", "1G@4G adistance=0", .error = DAX_KMEM_LINE_BAD_ADISTANCE, .field = "adistance", .column = 6 },
	{ "adistance negative", "1G@4G adistance=-5", .error = DAX_KMEM_LINE_BAD_ADISTANCE, .field = "adistance", .column = 6 },
	{ "adistance overflow", "1G@4G adistance=99999999999", .error = DAX_KMEM_LINE_BAD_ADISTANCE, .field = "adistance", .column = 6 },
	{ "bad page not a number", "1G@4G bad_pages=0x1000zz", .error = DAX_KMEM_LINE_BAD_PAGE_ADDRESS, .field = "bad_pages", .column = 6 },
	{ "bad page list ends in a comma", "1G@4G bad_pages=4G,", .error = DAX_KMEM_LINE_BAD_PAGE_ADDRESS, .field = "bad_pages", .column = 6 },
	{ "empty bad page between commas", "1G@4G bad_pages=4G,,5G", .error = DAX_KMEM_LINE_BAD_PAGE_ADDRESS, .field = "bad_pages", .column = 6 },
	{ "bad page below the range", "1G@4G bad_pages=0xffffffff", .error = DAX_KMEM_LINE_BAD_PAGE_OUTSIDE, .field = "bad_pages", .column = 6 },
	{ "bad page just past the range", "1G@4G bad_pages=5G", .error = DAX_KMEM_LINE_BAD_PAGE_OUTSIDE, .field = "bad_pages", .column = 6 },
};

static void test_lines(void)
{
	const struct line_case *t;
	struct dax_kmem_range_line out;
	struct dax_kmem_line_fault fault;
	struct tap_case c;
	char name[160];
	bool ok;

	for (t = line_cases; t < line_cases + sizeof(line_cases) / sizeof(*t); t++) {
		snprintf(name, sizeof(name), "range line: %s", t->name);
		tap_begin(&c, name);
		ok = dax_kmem_parse_range_line(t->line, 4, PAGE, &out, &fault);
		tap_bool(&c, "parsed", ok, t->error == DAX_KMEM_LINE_OK);
		if (!ok) {
			tap_int(&c, "error", fault.error, t->error);
			if (strcmp(fault.field, t->field))
				tap_fail(&c, "field %s, expected %s", fault.field,
					 t->field);
			tap_int(&c, "column", fault.column, t->column);
			if (!*dax_kmem_line_error_str(&fault))
				tap_fail(&c, "no reason");
		} else {
			tap_u64(&c, "start", out.item.span.start, t->start);
			tap_u64(&c, "size", out.item.span.size, t->size);
			tap_int(&c, "node", out.item.node, t->node);
			tap_int(&c, "online_type", out.policy.online_type,
				t->online_type);
			tap_int(&c, "memmap", out.policy.memmap, t->memmap);
			tap_int(&c, "adistance", out.policy.adistance,
				t->adistance);
			tap_int(&c, "bad pages", out.bad.count, t->bad_count);
			if (t->bad_count)
				tap_u64(&c, "first bad page", out.bad.addr[0],
					t->bad0);
		}
		tap_end(&c);
	}
}

static void test_too_many_bad_pages(void)
{
	struct dax_kmem_range_line out;
	struct dax_kmem_line_fault fault;
	char line[4096] = "1G@4G bad_pages=";
	struct tap_case c;
	size_t len = strlen(line);
	unsigned int i;

	tap_begin(&c, "range line: 64 bad pages fit, the 65th is refused");
	for (i = 0; i < DAX_KMEM_MAX_BAD_PAGES; i++)
		len += snprintf(line + len, sizeof(line) - len, "%s0x%llx",
				i ? "," : "", (4ULL << 30) + i * PAGE);
	tap_bool(&c, "64 parse", dax_kmem_parse_range_line(line, 4, PAGE, &out,
							   &fault), true);
	tap_int(&c, "64 kept", out.bad.count, DAX_KMEM_MAX_BAD_PAGES);
	snprintf(line + len, sizeof(line) - len, ",0x%llx", (4ULL << 30) + i * PAGE);
	tap_bool(&c, "65 parse", dax_kmem_parse_range_line(line, 4, PAGE, &out,
							   &fault), false);
	tap_int(&c, "65 error", fault.error, DAX_KMEM_LINE_TOO_MANY_BAD_PAGES);
	tap_end(&c);
}

static void test_bad_pages_list(void)
{
	struct dax_kmem_bad_pages bad = { 0 };
	struct tap_case c;
	char buf[64];

	tap_begin(&c, "bad pages: sorted, unique, formatted as bad_pages= takes them");
	tap_int(&c, "add 3", dax_kmem_bad_pages_add(&bad, 0x3000, PAGE), 0);
	tap_int(&c, "add 1", dax_kmem_bad_pages_add(&bad, 0x1fff, PAGE), 0);
	tap_int(&c, "add 1 again", dax_kmem_bad_pages_add(&bad, 0x1000, PAGE), 1);
	tap_int(&c, "add 2", dax_kmem_bad_pages_add(&bad, 0x2010, PAGE), 0);
	tap_int(&c, "count", bad.count, 3);
	tap_u64(&c, "first", bad.addr[0], 0x1000);
	tap_u64(&c, "last", bad.addr[2], 0x3000);
	tap_bool(&c, "has 0x2000", dax_kmem_bad_pages_has(&bad, 0x2000), true);
	tap_bool(&c, "has 0x4000", dax_kmem_bad_pages_has(&bad, 0x4000), false);
	tap_bool(&c, "within [0x2000,0x3000)",
		 dax_kmem_bad_pages_within(&bad, 0x2000, 0x1000), true);
	tap_bool(&c, "within [0x4000,+4G)",
		 dax_kmem_bad_pages_within(&bad, 0x4000, 1ULL << 32), false);
	tap_int(&c, "format length", dax_kmem_bad_pages_format(&bad, buf, sizeof(buf)),
		strlen("0x1000,0x2000,0x3000"));
	if (strcmp(buf, "0x1000,0x2000,0x3000"))
		tap_fail(&c, "formatted \"%s\"", buf);
	tap_int(&c, "truncated length", dax_kmem_bad_pages_format(&bad, buf, 8), 20);
	if (strcmp(buf, "0x1000,"))
		tap_fail(&c, "truncated \"%s\"", buf);
	dax_kmem_bad_pages_clip(&bad, 0x2000, 0x1000);
	tap_int(&c, "clipped to [0x2000,0x3000)", bad.count, 1);
	tap_u64(&c, "the one kept", bad.addr[0], 0x2000);
	tap_end(&c);
}

static void test_block_heads(void)
{
	struct dax_kmem_bad_pages bad = { 0 };
	const u64 block = 128ULL << 20, head = 2ULL << 20, start = 4ULL << 30;
	struct tap_case c;

	tap_begin(&c, "bad pages: one in a block's memmap head is seen, others are not");
	dax_kmem_bad_pages_add(&bad, start + block + head, PAGE);
	tap_bool(&c, "just past block 1's head",
		 dax_kmem_bad_pages_in_block_heads(&bad, start, 8 * block, block, head),
		 false);
	dax_kmem_bad_pages_add(&bad, start + 3 * block + head - PAGE, PAGE);
	tap_bool(&c, "last page of block 3's head",
		 dax_kmem_bad_pages_in_block_heads(&bad, start, 8 * block, block, head),
		 true);
	tap_bool(&c, "outside the span",
		 dax_kmem_bad_pages_in_block_heads(&bad, start, 3 * block, block, head),
		 false);
	tap_bool(&c, "block size 0",
		 dax_kmem_bad_pages_in_block_heads(&bad, start, 8 * block, 0, head),
		 false);
	tap_end(&c);
}

static void test_blank(void)
{
	struct tap_case c;

	tap_begin(&c, "blank lines and comments are skipped, ranges are not");
	tap_bool(&c, "empty", dax_kmem_line_is_blank(""), true);
	tap_bool(&c, "blanks", dax_kmem_line_is_blank(" \t\r\n"), true);
	tap_bool(&c, "comment", dax_kmem_line_is_blank("  # 1G@4G"), true);
	tap_bool(&c, "range", dax_kmem_line_is_blank(" 1G@4G # slow"), false);
	tap_end(&c);
}

int main(void)
{
	test_lines();
	test_too_many_bad_pages();
	test_bad_pages_list();
	test_block_heads();
	test_blank();
	return tap_done();
}
