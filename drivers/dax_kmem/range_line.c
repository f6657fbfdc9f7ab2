// SPDX-License-Identifier: GPL-2.0
/*
 * The line syntax of new_range and of the descriptor file
 * (include/dax_kmem/range_line.h). No kernel state, no allocation: the
 * host unit tests and fuzzers compile this file as it is.
 */
#include "dax_kmem/range_line.h"

/* Long enough for "18446744073709551615K@0xffffffffffffffff:1023". */
#define RANGE_ITEM_MAX 96

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

int dax_kmem_bad_pages_add(struct dax_kmem_bad_pages *bad, u64 addr,
			   u64 page_size)
{
	unsigned int i, at;
	u64 page = addr & ~(page_size - 1);

	for (at = 0; at < bad->count && bad->addr[at] < page; at++)
		;
	if (at < bad->count && bad->addr[at] == page)
		return 1;
	if (bad->count == DAX_KMEM_MAX_BAD_PAGES)
		return -1;
	for (i = bad->count; i > at; i--)
		bad->addr[i] = bad->addr[i - 1];
	bad->addr[at] = page;
	bad->count++;
	return 0;
}

void dax_kmem_bad_pages_clip(struct dax_kmem_bad_pages *bad, u64 start,
			     u64 size)
{
	unsigned int i, kept = 0;

	for (i = 0; i < bad->count; i++)
		if (bad->addr[i] >= start && bad->addr[i] - start < size)
			bad->addr[kept++] = bad->addr[i];
	bad->count = kept;
}

bool dax_kmem_bad_pages_has(const struct dax_kmem_bad_pages *bad, u64 addr)
{
	unsigned int i;

	for (i = 0; i < bad->count; i++)
		if (bad->addr[i] == addr)
			return true;
	return false;
}

bool dax_kmem_bad_pages_within(const struct dax_kmem_bad_pages *bad,
			       u64 start, u64 size)
{
	unsigned int i;

	for (i = 0; i < bad->count; i++)
		if (bad->addr[i] >= start && bad->addr[i] - start < size)
			return true;
	return false;
}

bool dax_kmem_bad_pages_in_block_heads(const struct dax_kmem_bad_pages *bad,
				       u64 start, u64 size, u64 block_size,
				       u64 head)
{
	unsigned int i;
	u64 offset;

	if (!block_size)
		return false;
	for (i = 0; i < bad->count; i++) {
		if (bad->addr[i] < start || bad->addr[i] - start >= size)
			continue;
		offset = bad->addr[i] - start;
		if (offset % block_size < head)
			return true;
	}
	return false;
}

bool dax_kmem_line_is_blank(const char *line)
{
	line = skip_blanks(line);
	return !*line || *line == '#';
}

/* Does the key at @p, ending at @eq, spell @name? */
static bool key_is(const char *p, const char *eq, const char *name)
{
	while (p < eq && *name && *p == *name) {
		p++;
		name++;
	}
	return p == eq && !*name;
}

/* Copies the value [@p, @end) into @buf, or false if it does not fit. */
static bool copy_word(const char *p, const char *end, char *buf,
		      unsigned int len)
{
	unsigned int n = end - p;

	if (n >= len)
		return false;
	for (len = 0; len < n; len++)
		buf[len] = p[len];
	buf[n] = '\0';
	return true;
}

static bool parse_positive_int(const char *p, const char *end, int *out)
{
	long long value = 0;

	if (p == end)
		return false;
	for (; p < end; p++) {
		if (*p < '0' || *p > '9')
			return false;
		value = value * 10 + (*p - '0');
		if (value > 0x7fffffff)
			return false;
	}
	if (!value)
		return false;
	*out = (int)value;
	return true;
}

/* bad_pages=A,B,C: each an address inside the range, in any page of it. */
static enum dax_kmem_line_error parse_bad_pages(const char *p, const char *end,
						u64 page_size,
						struct dax_kmem_range_line *out)
{
	const struct dax_kmem_span *span = &out->item.span;
	char word[RANGE_ITEM_MAX];
	const char *comma, *stop;
	u64 addr;

	while (p < end) {
		for (comma = p; comma < end && *comma != ','; comma++)
			;
		if (!copy_word(p, comma, word, sizeof(word)) ||
		    !dax_kmem_parse_size(word, &stop, &addr) || *stop)
			return DAX_KMEM_LINE_BAD_PAGE_ADDRESS;
		if (addr < span->start || addr - span->start >= span->size)
			return DAX_KMEM_LINE_BAD_PAGE_OUTSIDE;
		if (dax_kmem_bad_pages_add(&out->bad, addr, page_size) < 0)
			return DAX_KMEM_LINE_TOO_MANY_BAD_PAGES;
		p = comma < end ? comma + 1 : end;
		/* "A," leaves an empty address behind it. */
		if (comma < end && p == end)
			return DAX_KMEM_LINE_BAD_PAGE_ADDRESS;
	}
	return DAX_KMEM_LINE_OK;
}

/* parse_key() knows them by their index here. */
static const char *const line_keys[] = {
	"online_type", "memmap", "adistance", "bad_pages", NULL
};

static enum dax_kmem_line_error parse_key(unsigned int key, const char *p,
					  const char *end, u64 page_size,
					  struct dax_kmem_range_line *out)
{
	char word[RANGE_ITEM_MAX];

	switch (key) {
	case 0:
		if (!copy_word(p, end, word, sizeof(word)) ||
		    !dax_kmem_parse_online_type(word, &out->policy.online_type))
			return DAX_KMEM_LINE_BAD_ONLINE_TYPE;
		return DAX_KMEM_LINE_OK;
	case 1:
		if (!copy_word(p, end, word, sizeof(word)) ||
		    !dax_kmem_parse_memmap(word, &out->policy.memmap))
			return DAX_KMEM_LINE_BAD_MEMMAP;
		return DAX_KMEM_LINE_OK;
	case 2:
		if (!parse_positive_int(p, end, &out->policy.adistance))
			return DAX_KMEM_LINE_BAD_ADISTANCE;
		return DAX_KMEM_LINE_OK;
	default:
		return parse_bad_pages(p, end, page_size, out);
	}
}

static bool line_fails(struct dax_kmem_line_fault *fault,
		       enum dax_kmem_line_error error, const char *field,
		       const char *line, const char *at)
{
	fault->error = error;
	fault->field = field;
	fault->column = at - line;
	return false;
}

bool dax_kmem_parse_range_line(const char *line, int max_node, u64 page_size,
			       struct dax_kmem_range_line *out,
			       struct dax_kmem_line_fault *fault)
{
	char item[RANGE_ITEM_MAX];
	unsigned int seen = 0, key;
	const char *p, *end, *eq;

	*out = (struct dax_kmem_range_line){ };
	*fault = (struct dax_kmem_line_fault){ .field = "range" };

	p = skip_blanks(line);
	for (end = p; *end && !is_blank(*end); end++)
		;
	if (!copy_word(p, end, item, sizeof(item)))
		return line_fails(fault, DAX_KMEM_LINE_RANGE_TOO_LONG, "range",
				  line, p);
	fault->range_error = dax_kmem_parse_range_item(item, max_node,
						       &out->item);
	if (fault->range_error)
		return line_fails(fault, DAX_KMEM_LINE_RANGE, "range", line, p);

	for (p = skip_blanks(end); *p; p = skip_blanks(end)) {
		for (end = p; *end && !is_blank(*end); end++)
			;
		for (eq = p; eq < end && *eq != '='; eq++)
			;
		for (key = 0; line_keys[key]; key++)
			if (key_is(p, eq, line_keys[key]))
				break;
		if (!line_keys[key])
			return line_fails(fault, DAX_KMEM_LINE_UNKNOWN_KEY,
					  "key", line, p);
		if (eq == end || eq + 1 == end)
			return line_fails(fault, DAX_KMEM_LINE_NO_VALUE,
					  line_keys[key], line, p);
		if (seen & (1u << key))
			return line_fails(fault, DAX_KMEM_LINE_DUPLICATE_KEY,
					  line_keys[key], line, p);
		seen |= 1u << key;
		fault->error = parse_key(key, eq + 1, end, page_size, out);
		if (fault->error)
			return line_fails(fault, fault->error, line_keys[key],
					  line, p);
	}
	return true;
}

const char *dax_kmem_line_error_str(const struct dax_kmem_line_fault *fault)
{
	switch (fault->error) {
	case DAX_KMEM_LINE_OK:
		return "ok";
	case DAX_KMEM_LINE_RANGE:
		return dax_kmem_parse_error_str(fault->range_error);
	case DAX_KMEM_LINE_RANGE_TOO_LONG:
		return "too long to be SIZE@START[:NODE]";
	case DAX_KMEM_LINE_NO_VALUE:
		return "needs a value after '='";
	case DAX_KMEM_LINE_UNKNOWN_KEY:
		return "not one of online_type, memmap, adistance, bad_pages";
	case DAX_KMEM_LINE_DUPLICATE_KEY:
		return "given twice";
	case DAX_KMEM_LINE_BAD_ONLINE_TYPE:
		return "not one of " DAX_KMEM_ONLINE_TYPE_NAMES;
	case DAX_KMEM_LINE_BAD_MEMMAP:
		return "not one of " DAX_KMEM_MEMMAP_NAMES;
	case DAX_KMEM_LINE_BAD_ADISTANCE:
		return "not a decimal number above 0";
	case DAX_KMEM_LINE_BAD_PAGE_ADDRESS:
		return "an address is not a number";
	case DAX_KMEM_LINE_BAD_PAGE_OUTSIDE:
		return "an address is outside the range";
	case DAX_KMEM_LINE_TOO_MANY_BAD_PAGES:
		return "more than 64 pages";
	}
	return "unknown error";
}

/* Writes @c at @at if it leaves room for the NUL: snprintf()'s rule. */
static void put_char(char *buf, unsigned int len, unsigned int at, char c)
{
	if (at + 1 < len)
		buf[at] = c;
}

static unsigned int format_hex(u64 value, char *buf, unsigned int len,
			       unsigned int at)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int n = 0;
	char tmp[16];

	do {
		tmp[n++] = digits[value & 15];
		value >>= 4;
	} while (value);
	put_char(buf, len, at++, '0');
	put_char(buf, len, at++, 'x');
	while (n--)
		put_char(buf, len, at++, tmp[n]);
	return at;
}

unsigned int dax_kmem_bad_pages_format(const struct dax_kmem_bad_pages *bad,
				       char *buf, unsigned int len)
{
	unsigned int i, at = 0;

	for (i = 0; i < bad->count; i++) {
		if (i)
			put_char(buf, len, at++, ',');
		at = format_hex(bad->addr[i], buf, len, at);
	}
	if (len)
		buf[at < len ? at : len - 1] = '\0';
	return at;
}
