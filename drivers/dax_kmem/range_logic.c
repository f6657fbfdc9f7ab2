// SPDX-License-Identifier: GPL-2.0
/*
 * Range arithmetic and ranges= parsing. Compiled into the module and, as it
 * is, into the host unit tests: no kernel or libc calls beyond the types.
 */
#include "dax_kmem/range_logic.h"

#define U64_MAX_VALUE (~(u64)0)

bool dax_kmem_span_valid(const struct dax_kmem_span *span)
{
	return span->size && span->start <= U64_MAX_VALUE - (span->size - 1);
}

bool dax_kmem_spans_overlap(const struct dax_kmem_span *a,
			    const struct dax_kmem_span *b)
{
	if (!dax_kmem_span_valid(a) || !dax_kmem_span_valid(b))
		return false;
	return a->start <= b->start + (b->size - 1) &&
	       b->start <= a->start + (a->size - 1);
}

static unsigned int log2_of_power(u64 value)
{
	unsigned int shift = 0;

	while (((u64)1 << shift) < value)
		shift++;
	return shift;
}

bool dax_kmem_align_span(const struct dax_kmem_span *span, u64 block_size,
			 struct dax_kmem_aligned *out)
{
	u64 mask = block_size - 1;
	u64 last, first_block, last_block;
	unsigned int shift;

	out->start = 0;
	out->size = 0;
	out->lost_head = 0;
	out->lost_tail = span->size;

	/* A block size that is not a power of two is a caller bug: add nothing. */
	if (!block_size || (block_size & mask) || !dax_kmem_span_valid(span))
		return false;

	/*
	 * Work in block numbers: an inclusive last byte and inclusive first
	 * and last whole blocks cannot wrap even for a span that ends at the
	 * top of the space, whatever the block size (1 included).
	 */
	shift = log2_of_power(block_size);
	last = span->start + (span->size - 1);
	if (last < mask)
		return false;
	first_block = (span->start >> shift) + ((span->start & mask) ? 1 : 0);
	last_block = (last - mask) >> shift;
	if (last_block < first_block)
		return false;

	out->start = first_block << shift;
	out->size = (last_block - first_block + 1) << shift;
	out->lost_head = out->start - span->start;
	out->lost_tail = span->size - out->lost_head - out->size;
	return true;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_number(const char *s, const char **end, u64 *out)
{
	unsigned int base = 10;
	const char *p = s;
	u64 value = 0;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2]) >= 0) {
		base = 16;
		p += 2;
	}
	if (digit_value(*p) < 0 || (unsigned int)digit_value(*p) >= base)
		return false;
	for (; (d = digit_value(*p)) >= 0 && (unsigned int)d < base; p++) {
		if (value > (U64_MAX_VALUE - d) / base)
			return false;
		value = value * base + d;
	}
	*end = p;
	*out = value;
	return true;
}

bool dax_kmem_parse_size(const char *s, const char **end, u64 *out)
{
	unsigned int shift = 0;
	const char *p;
	u64 value;

	if (!parse_number(s, &p, &value))
		return false;
	switch (*p) {
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	}
	if (shift) {
		if (value > (U64_MAX_VALUE >> shift))
			return false;
		value <<= shift;
		p++;
	}
	*end = p;
	*out = value;
	return true;
}

enum dax_kmem_parse_error dax_kmem_parse_range_item(const char *item,
						    int max_node,
						    struct dax_kmem_range_item *out)
{
	const char *p = item;
	u64 node;

	out->span.start = 0;
	out->span.size = 0;
	out->node = DAX_KMEM_NODE_UNSET;

	if (!*p)
		return DAX_KMEM_PARSE_EMPTY;
	if (!dax_kmem_parse_size(p, &p, &out->span.size))
		return DAX_KMEM_PARSE_BAD_SIZE;
	if (*p != '@')
		return *p ? DAX_KMEM_PARSE_BAD_SIZE : DAX_KMEM_PARSE_NO_AT;
	if (!out->span.size)
		return DAX_KMEM_PARSE_ZERO_SIZE;
	p++;
	/* Addresses take suffixes too: "1G@4G" reads naturally. */
	if (!dax_kmem_parse_size(p, &p, &out->span.start))
		return DAX_KMEM_PARSE_BAD_START;
	if (!dax_kmem_span_valid(&out->span))
		return DAX_KMEM_PARSE_WRAPS;
	if (*p == ':') {
		const char *digits = ++p;

		/* Nodes are decimal: "0x1" is more likely a typo than intent. */
		if (*digits == '0' && (digits[1] == 'x' || digits[1] == 'X'))
			return DAX_KMEM_PARSE_BAD_NODE;
		if (!parse_number(digits, &p, &node) || node >= (u64)max_node)
			return DAX_KMEM_PARSE_BAD_NODE;
		out->node = (int)node;
	}
	if (*p)
		return DAX_KMEM_PARSE_TRAILING;
	return DAX_KMEM_PARSE_OK;
}

const char *dax_kmem_parse_error_str(enum dax_kmem_parse_error err)
{
	switch (err) {
	case DAX_KMEM_PARSE_OK:
		return "ok";
	case DAX_KMEM_PARSE_EMPTY:
		return "empty item";
	case DAX_KMEM_PARSE_BAD_SIZE:
		return "size is not a number with optional K/M/G/T suffix";
	case DAX_KMEM_PARSE_ZERO_SIZE:
		return "size is zero";
	case DAX_KMEM_PARSE_NO_AT:
		return "missing @START";
	case DAX_KMEM_PARSE_BAD_START:
		return "start is not a number";
	case DAX_KMEM_PARSE_BAD_NODE:
		return "node is not a decimal number below MAX_NUMNODES";
	case DAX_KMEM_PARSE_WRAPS:
		return "range wraps past the end of the address space";
	case DAX_KMEM_PARSE_TRAILING:
		return "unexpected characters after the item";
	}
	return "unknown error";
}

static bool same_word(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	/* A trailing newline from "echo word > attr" is not part of it. */
	return *b == '\0' && (*a == '\0' || (a[0] == '\n' && a[1] == '\0'));
}

static const char *const online_type_names[] = {
	[DAX_KMEM_ONLINE_MOVABLE] = "movable",
	[DAX_KMEM_ONLINE_KERNEL] = "kernel",
	[DAX_KMEM_ONLINE_OFFLINE] = "offline",
};

static const char *const memmap_names[] = {
	[DAX_KMEM_MEMMAP_DRAM] = "dram",
	[DAX_KMEM_MEMMAP_RANGE] = "range",
};

bool dax_kmem_parse_online_type(const char *word,
				enum dax_kmem_online_type *out)
{
	unsigned int i;

	for (i = DAX_KMEM_ONLINE_MOVABLE; i <= DAX_KMEM_ONLINE_OFFLINE; i++) {
		if (same_word(word, online_type_names[i])) {
			*out = (enum dax_kmem_online_type)i;
			return true;
		}
	}
	return false;
}

bool dax_kmem_parse_memmap(const char *word, enum dax_kmem_memmap *out)
{
	unsigned int i;

	for (i = DAX_KMEM_MEMMAP_DRAM; i <= DAX_KMEM_MEMMAP_RANGE; i++) {
		if (same_word(word, memmap_names[i])) {
			*out = (enum dax_kmem_memmap)i;
			return true;
		}
	}
	return false;
}

const char *dax_kmem_online_type_name(enum dax_kmem_online_type type)
{
	if (type >= DAX_KMEM_ONLINE_MOVABLE && type <= DAX_KMEM_ONLINE_OFFLINE)
		return online_type_names[type];
	return "unset";
}

const char *dax_kmem_memmap_name(enum dax_kmem_memmap memmap)
{
	if (memmap >= DAX_KMEM_MEMMAP_DRAM && memmap <= DAX_KMEM_MEMMAP_RANGE)
		return memmap_names[memmap];
	return "unset";
}

struct dax_kmem_policy dax_kmem_policy_merge(struct dax_kmem_policy base,
					     struct dax_kmem_policy over)
{
	if (over.online_type != DAX_KMEM_ONLINE_UNSET)
		base.online_type = over.online_type;
	if (over.memmap != DAX_KMEM_MEMMAP_UNSET)
		base.memmap = over.memmap;
	if (over.adistance)
		base.adistance = over.adistance;
	return base;
}

const char *dax_kmem_block_state_word(enum dax_kmem_online_type type)
{
	switch (type) {
	case DAX_KMEM_ONLINE_MOVABLE:
		return "online_movable";
	case DAX_KMEM_ONLINE_KERNEL:
		return "online_kernel";
	case DAX_KMEM_ONLINE_OFFLINE:
		return "offline";
	default:
		return (const char *)0;
	}
}

unsigned long dax_kmem_online_order(unsigned long step, unsigned long count)
{
	if (count <= 2 || step == 0)
		return step;
	if (step == count - 1)
		return 1;
	return step + 1;
}

unsigned long dax_kmem_offline_order(unsigned long step, unsigned long count)
{
	return step + 1 < count ? step + 1 : 0;
}

bool dax_kmem_span_within(const struct dax_kmem_span *span, u64 first,
			  u64 last)
{
	return dax_kmem_span_valid(span) && span->start >= first &&
	       span->start + (span->size - 1) <= last;
}

bool dax_kmem_spans_cover(const struct dax_kmem_span *spans,
			  unsigned int count,
			  const struct dax_kmem_span *span,
			  struct dax_kmem_span *gap)
{
	u64 pos, last;

	gap->start = 0;
	gap->size = 0;
	if (!dax_kmem_span_valid(span))
		return false;
	pos = span->start;
	last = span->start + (span->size - 1);

	/* Inclusive ends throughout: nothing wraps, even at the top. */
	for (;;) {
		bool inside = false, later = false;
		u64 reach = 0, next = 0;
		unsigned int i;

		for (i = 0; i < count; i++) {
			u64 s = spans[i].start, l;

			if (!dax_kmem_span_valid(&spans[i]))
				continue;
			l = s + (spans[i].size - 1);
			if (s <= pos && l >= pos) {
				if (!inside || l > reach)
					reach = l;
				inside = true;
			} else if (s > pos && s <= last && (!later || s < next)) {
				next = s;
				later = true;
			}
		}
		if (!inside) {
			gap->start = pos;
			gap->size = (later ? next - 1 : last) - pos + 1;
			return false;
		}
		if (reach >= last)
			return true;
		pos = reach + 1;
	}
}

bool dax_kmem_span_pieces_cover(const struct dax_kmem_span *span, u64 step,
				dax_kmem_piece_fn described, void *ctx,
				struct dax_kmem_span *gap)
{
	u64 pos, last, mask;
	bool in_gap = false;

	gap->start = 0;
	gap->size = 0;
	if (!dax_kmem_span_valid(span))
		return false;
	pos = span->start;
	last = span->start + (span->size - 1);
	/* All ones: the whole span is one piece. */
	mask = step && !(step & (step - 1)) ? step - 1 : U64_MAX_VALUE;

	for (;;) {
		/* The end of pos's piece: pos | mask cannot wrap. */
		u64 piece_last = (pos | mask) < last ? (pos | mask) : last;

		if (!described(pos, piece_last - pos + 1, ctx)) {
			if (!in_gap)
				gap->start = pos;
			in_gap = true;
			gap->size = piece_last - gap->start + 1;
		} else if (in_gap) {
			break;
		}
		if (piece_last == last)
			break;
		pos = piece_last + 1;
	}
	return !in_gap;
}

/* Memory firmware leaves alone because someone may want what is in it. */
static bool may_hold_data(enum dax_kmem_res_kind kind)
{
	return kind == DAX_KMEM_RES_SOFT_RESERVED ||
	       kind == DAX_KMEM_RES_PMEM_LEGACY;
}

static bool firmware_memory(enum dax_kmem_res_kind kind)
{
	return kind == DAX_KMEM_RES_RESERVED ||
	       kind == DAX_KMEM_RES_SOFT_RESERVED ||
	       kind == DAX_KMEM_RES_PMEM_LEGACY;
}

enum dax_kmem_res_verdict
dax_kmem_res_verdict(const struct dax_kmem_res_facts *facts)
{
	/* Refused before us, or by the presence check right after us. */
	if (facts->kind == DAX_KMEM_RES_SYSTEM_RAM || facts->boot_memory)
		return DAX_KMEM_RES_LEAVE;
	/* Whatever it is, someone holds it. */
	if (facts->busy)
		return DAX_KMEM_RES_CONFLICT;
	/*
	 * A mistyped address must not wipe a pmem region: only firmware's
	 * own description of the range, or claim=, says its data may go.
	 */
	if (may_hold_data(facts->kind) && facts->typed_by_user &&
	    !facts->claimed && facts->contains_span)
		return DAX_KMEM_RES_HOLDS_DATA;
	if (facts->own || firmware_memory(facts->kind))
		return facts->contains_span ? DAX_KMEM_RES_NEST :
					      DAX_KMEM_RES_CROSSES;
	return DAX_KMEM_RES_CONFLICT;
}

const char *dax_kmem_res_claim_word(enum dax_kmem_res_kind kind)
{
	switch (kind) {
	case DAX_KMEM_RES_SOFT_RESERVED:
		return "soft-reserved";
	case DAX_KMEM_RES_PMEM_LEGACY:
		return "legacy-pmem";
	default:
		return NULL;
	}
}

const char *dax_kmem_res_kind_str(enum dax_kmem_res_kind kind, bool busy)
{
	switch (kind) {
	case DAX_KMEM_RES_SYSTEM_RAM:
		return "System RAM";
	case DAX_KMEM_RES_RESERVED:
		return busy ? "Reserved, in use" : "Reserved";
	case DAX_KMEM_RES_SOFT_RESERVED:
		return busy ? "Soft Reserved, in use" : "Soft Reserved";
	case DAX_KMEM_RES_PMEM_LEGACY:
		return busy ? "Persistent Memory (legacy), in use" :
			      "Persistent Memory (legacy)";
	case DAX_KMEM_RES_PMEM:
		return "NVDIMM persistent memory (libnvdimm's: use ndctl/daxctl)";
	case DAX_KMEM_RES_ACPI:
		return "ACPI tables or NVS (firmware's)";
	case DAX_KMEM_RES_CXL:
		return "a CXL window (the CXL driver's)";
	case DAX_KMEM_RES_WINDOW:
		return "a PCI host bridge window (device MMIO)";
	case DAX_KMEM_RES_OTHER:
		break;
	}
	return busy ? "in use by a driver or the kernel" :
		      "device MMIO or a region that is not memory";
}
