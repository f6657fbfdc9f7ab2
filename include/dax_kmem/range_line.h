/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One range with its policy, as the run-time interface (new_range) and the
 * descriptor file take it: the ranges= item, then space-separated keys.
 *
 *   1G@0x140000000:1 online_type=kernel memmap=range bad_pages=0x140001000
 *
 * Pure logic, shared by the module and the host unit tests and fuzzers.
 */
#ifndef DAX_KMEM_RANGE_LINE_H
#define DAX_KMEM_RANGE_LINE_H

#include "dax_kmem/range_logic.h"

/*
 * Known-bad pages a range carries. A fixed array: descriptors are copied
 * by value, and a range with more bad pages than this is not one to use.
 */
#define DAX_KMEM_MAX_BAD_PAGES 64

struct dax_kmem_bad_pages {
	unsigned int count;
	/* Page-aligned physical addresses, ascending, no duplicates. */
	u64 addr[DAX_KMEM_MAX_BAD_PAGES];
};

/*
 * Adds the page holding @addr (@page_size a power of two). Returns 0, or 1
 * if it was there already, or -1 when the list is full.
 */
int dax_kmem_bad_pages_add(struct dax_kmem_bad_pages *bad, u64 addr,
			   u64 page_size);

/* Drops the pages outside [@start, @start + @size). */
void dax_kmem_bad_pages_clip(struct dax_kmem_bad_pages *bad, u64 start,
			     u64 size);

/* True when the page at page-aligned @addr is in the list. */
bool dax_kmem_bad_pages_has(const struct dax_kmem_bad_pages *bad, u64 addr);

/* True when any listed page lies in [@start, @start + @size). */
bool dax_kmem_bad_pages_within(const struct dax_kmem_bad_pages *bad,
			       u64 start, u64 size);

/*
 * True when a listed page lies in the first @head bytes of any block of
 * [@start, @start + @size) (blocks of @block_size from @start): where the
 * kernel puts a block's own memmap when it lives on the range.
 */
bool dax_kmem_bad_pages_in_block_heads(const struct dax_kmem_bad_pages *bad,
				       u64 start, u64 size, u64 block_size,
				       u64 head);

enum dax_kmem_line_error {
	DAX_KMEM_LINE_OK = 0,
	DAX_KMEM_LINE_RANGE,		/* the item: see range_error */
	DAX_KMEM_LINE_RANGE_TOO_LONG,
	DAX_KMEM_LINE_NO_VALUE,		/* "key" or "key=" */
	DAX_KMEM_LINE_UNKNOWN_KEY,
	DAX_KMEM_LINE_DUPLICATE_KEY,
	DAX_KMEM_LINE_BAD_ONLINE_TYPE,
	DAX_KMEM_LINE_BAD_MEMMAP,
	DAX_KMEM_LINE_BAD_ADISTANCE,
	DAX_KMEM_LINE_BAD_PAGE_ADDRESS,	/* not a number */
	DAX_KMEM_LINE_BAD_PAGE_OUTSIDE,	/* not inside the range */
	DAX_KMEM_LINE_TOO_MANY_BAD_PAGES,
};

/* Where a line went wrong, for a message that names the field. */
struct dax_kmem_line_fault {
	enum dax_kmem_line_error error;
	enum dax_kmem_parse_error range_error;
	/* The key ("range" for the item); never NULL once parsed. */
	const char *field;
	/* Offset of the offending field in the line. */
	unsigned int column;
};

struct dax_kmem_range_line {
	struct dax_kmem_range_item item;
	struct dax_kmem_policy policy;
	struct dax_kmem_bad_pages bad;
};

/*
 * Parses one line (no newline inside; a trailing one is ignored, as are
 * leading and trailing blanks). @max_node bounds the item's node,
 * @page_size rounds bad page addresses down. Returns false and fills
 * @fault on the first error; @out is then unspecified.
 */
bool dax_kmem_parse_range_line(const char *line, int max_node, u64 page_size,
			       struct dax_kmem_range_line *out,
			       struct dax_kmem_line_fault *fault);

/* A short English reason for log lines, never NULL. */
const char *dax_kmem_line_error_str(const struct dax_kmem_line_fault *fault);

/* True for a line with nothing but blanks or a '#' comment. */
bool dax_kmem_line_is_blank(const char *line);

/*
 * Formats @bad as the bad_pages= value ("0x140001000,0x140005000"), at
 * most @len bytes with the NUL. Returns the length it needed without the
 * NUL, as snprintf() does.
 */
unsigned int dax_kmem_bad_pages_format(const struct dax_kmem_bad_pages *bad,
				       char *buf, unsigned int len);

#endif /* DAX_KMEM_RANGE_LINE_H */
