/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure range arithmetic and parsing shared by the kernel module and the
 * host unit tests. Nothing here may touch kernel state: callers pass in
 * every fact (block size, node count) so the same code runs in both places.
 */
#ifndef DAX_KMEM_RANGE_LOGIC_H
#define DAX_KMEM_RANGE_LOGIC_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef unsigned long long u64;
#endif

/* A node the user did not name: the source or the core must find one. */
#define DAX_KMEM_NODE_UNSET (-1)

/* Half-open would read better, but /proc/iomem and users think inclusive. */
struct dax_kmem_span {
	u64 start;
	u64 size;
};

/* What hot-add can use of a span once both ends meet memory block edges. */
struct dax_kmem_aligned {
	u64 start;
	u64 size;
	u64 lost_head;
	u64 lost_tail;
};

/*
 * Returns false when not even one whole block fits inside @span; @out is
 * then all zero and the whole span counts as lost.
 */
bool dax_kmem_align_span(const struct dax_kmem_span *span, u64 block_size,
			 struct dax_kmem_aligned *out);

/* True when the two spans share at least one byte; empty spans never do. */
bool dax_kmem_spans_overlap(const struct dax_kmem_span *a,
			    const struct dax_kmem_span *b);

/* start + size - 1 without wrapping; false for empty or wrapping spans. */
bool dax_kmem_span_valid(const struct dax_kmem_span *span);

/* One item of the ranges= parameter: SIZE@START[:NODE]. */
struct dax_kmem_range_item {
	struct dax_kmem_span span;
	int node;	/* DAX_KMEM_NODE_UNSET when the item names none */
};

enum dax_kmem_parse_error {
	DAX_KMEM_PARSE_OK = 0,
	DAX_KMEM_PARSE_EMPTY,		/* "" or only separators */
	DAX_KMEM_PARSE_BAD_SIZE,	/* not a number with optional K/M/G/T */
	DAX_KMEM_PARSE_ZERO_SIZE,
	DAX_KMEM_PARSE_NO_AT,		/* missing '@START' */
	DAX_KMEM_PARSE_BAD_START,
	DAX_KMEM_PARSE_BAD_NODE,	/* not a decimal 0..max_node-1 */
	DAX_KMEM_PARSE_WRAPS,		/* start + size passes 2^64 */
	DAX_KMEM_PARSE_TRAILING,	/* characters after the item */
};

/*
 * Parses exactly one item (no commas). @max_node bounds NODE so that a typo
 * such as ":77" is a parse error rather than a node that is not possible.
 */
enum dax_kmem_parse_error dax_kmem_parse_range_item(const char *item,
						    int max_node,
						    struct dax_kmem_range_item *out);

/* A short English reason for log lines, never NULL. */
const char *dax_kmem_parse_error_str(enum dax_kmem_parse_error err);

/*
 * Number with an optional K/M/G/T suffix (powers of 1024), decimal or
 * 0x-hex. Sets *end past the last character used. False on no digits or
 * overflow.
 */
bool dax_kmem_parse_size(const char *s, const char **end, u64 *out);

/*
 * A range's policy. Each field is 0 ("unset") or a value; the policy in
 * force is the merge of its sources, lowest precedence first: module
 * parameter defaults, firmware properties, then sysfs writes.
 */
enum dax_kmem_online_type {
	DAX_KMEM_ONLINE_UNSET = 0,
	DAX_KMEM_ONLINE_MOVABLE,
	DAX_KMEM_ONLINE_KERNEL,
	DAX_KMEM_ONLINE_OFFLINE,	/* added, left for the admin to online */
};

enum dax_kmem_memmap {
	DAX_KMEM_MEMMAP_UNSET = 0,
	DAX_KMEM_MEMMAP_DRAM,		/* struct pages in boot memory */
	DAX_KMEM_MEMMAP_RANGE,		/* on the range itself */
};

struct dax_kmem_policy {
	enum dax_kmem_online_type online_type;
	enum dax_kmem_memmap memmap;
	/* Abstract distance for memory tiers; 0: firmware's (HMAT) or default. */
	int adistance;
};

/* Parse a user or firmware word; false if it is none of the names. */
bool dax_kmem_parse_online_type(const char *word,
				enum dax_kmem_online_type *out);
bool dax_kmem_parse_memmap(const char *word, enum dax_kmem_memmap *out);
const char *dax_kmem_online_type_name(enum dax_kmem_online_type type);
const char *dax_kmem_memmap_name(enum dax_kmem_memmap memmap);

/* The names each accepts, for messages that say what is allowed. */
#define DAX_KMEM_ONLINE_TYPE_NAMES "movable, kernel, offline"
#define DAX_KMEM_MEMMAP_NAMES "dram, range"

/* @over's set fields replace @base's; the result's unset fields stay 0. */
struct dax_kmem_policy dax_kmem_policy_merge(struct dax_kmem_policy base,
					     struct dax_kmem_policy over);

/*
 * The sysfs word to write to a memory block's state file to reach @type
 * ("online_movable", "online_kernel", "offline"); NULL for unset.
 */
const char *dax_kmem_block_state_word(enum dax_kmem_online_type type);

/*
 * Which block (0..count-1) to online at @step. After each block the
 * kernel walks the zone from its start to the first hole
 * (set_zone_contiguous()); strictly ascending order never leaves a hole,
 * so the walks add up quadratically with the range's size. Block 1 goes
 * last: until then it is a hole right above the zone's start.
 */
unsigned long dax_kmem_online_order(unsigned long step, unsigned long count);

/*
 * Which block (0..count-1) to offline at @step. Each offline shrinks the
 * zone and walks it again from its start: offlining block 0 first would
 * move the start up every time and leave no hole to stop the walk. Block
 * 0 goes last, so the walk stops at block 1's hole, and the other blocks
 * still go bottom up: fresh memory fills from the bottom, so a block that
 * cannot be emptied is met early, before much needs rolling back.
 */
unsigned long dax_kmem_offline_order(unsigned long step, unsigned long count);

/*
 * Input trust (memcheck.c): is a range memory at all? The kernel side
 * gathers the facts; these decide.
 */

/* True when @span is valid and lies entirely inside [@first, @last]. */
bool dax_kmem_span_within(const struct dax_kmem_span *span, u64 first,
			  u64 last);

/*
 * True when the union of @spans (any order, overlaps allowed, invalid ones
 * ignored) covers all of @span. Otherwise false, and @gap is the first
 * stretch of @span none of them covers (all zero for an invalid @span).
 */
bool dax_kmem_spans_cover(const struct dax_kmem_span *spans,
			  unsigned int count,
			  const struct dax_kmem_span *span,
			  struct dax_kmem_span *gap);

/* Says whether [@start, @start + @size) is described; @ctx is the caller's. */
typedef bool (*dax_kmem_piece_fn)(u64 start, u64 size, void *ctx);

/*
 * For a map that answers only "is any of this piece described": cuts
 * @span into pieces at multiples of @step (a power of two; anything else
 * makes the whole span one piece) and asks @described about each, in
 * ascending order. True when every piece is described. Otherwise false,
 * and @gap is the first run of consecutive pieces that are not, clipped
 * to @span. A hole smaller than @step inside a described piece is not
 * seen: that is the price of such a map.
 */
bool dax_kmem_span_pieces_cover(const struct dax_kmem_span *span, u64 step,
				dax_kmem_piece_fn described, void *ctx,
				struct dax_kmem_span *gap);

/* What one iomem resource that overlaps a range is, as far as it matters. */
enum dax_kmem_res_kind {
	DAX_KMEM_RES_OTHER = 0,		/* device MMIO, or nothing we can name */
	DAX_KMEM_RES_SYSTEM_RAM,
	DAX_KMEM_RES_RESERVED,		/* e820 Reserved, memmap=SIZE$START */
	DAX_KMEM_RES_SOFT_RESERVED,	/* EFI_MEMORY_SP, memmap=...+0xefffffff */
	DAX_KMEM_RES_PMEM_LEGACY,	/* e820 type 12, memmap=SIZE!START */
	DAX_KMEM_RES_PMEM,		/* ACPI NFIT persistent memory */
	DAX_KMEM_RES_ACPI,		/* ACPI tables or NVS */
	DAX_KMEM_RES_CXL,		/* a CXL window */
	DAX_KMEM_RES_WINDOW,		/* a bus's MMIO window (PCI host bridge) */
};

struct dax_kmem_res_facts {
	enum dax_kmem_res_kind kind;
	bool busy;		/* a driver or the kernel holds it */
	bool boot_memory;	/* all of the overlap is in present sections */
	bool own;		/* the resource of the device that described the range */
	bool contains_span;	/* it holds the whole range */
	/*
	 * The range's address was typed by a user (ranges=, new_range, the
	 * descriptor file, a grow), not read from firmware's description.
	 */
	bool typed_by_user;
	/* claim= names this kind: the admin accepts that its data goes. */
	bool claimed;
};

enum dax_kmem_res_verdict {
	/* Another check speaks: System RAM, or memory the kernel has pages for. */
	DAX_KMEM_RES_LEAVE,
	/* Firmware's memory, holding the whole range: it may nest inside. */
	DAX_KMEM_RES_NEST,
	/* Firmware's memory, but the range runs across its edge. */
	DAX_KMEM_RES_CROSSES,
	/* Not memory, or in use: the range must not touch it. */
	DAX_KMEM_RES_CONFLICT,
	/*
	 * Firmware's memory that may hold data (legacy pmem, Soft Reserved),
	 * holding a range whose address a user typed, without claim= naming
	 * its kind.
	 */
	DAX_KMEM_RES_HOLDS_DATA,
};

enum dax_kmem_res_verdict
dax_kmem_res_verdict(const struct dax_kmem_res_facts *facts);

/* For log lines: what the resource is ("a PCI host bridge window ..."). */
const char *dax_kmem_res_kind_str(enum dax_kmem_res_kind kind, bool busy);

/* The claim= word that accepts @kind's data going; NULL: none does. */
const char *dax_kmem_res_claim_word(enum dax_kmem_res_kind kind);

#endif /* DAX_KMEM_RANGE_LOGIC_H */
