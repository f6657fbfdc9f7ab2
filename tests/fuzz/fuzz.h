/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the libFuzzer harnesses of the pure-C layer (tests/fuzz/):
 * the input as a C string, and an invariant check that names what broke
 * before abort() makes libFuzzer save the input as a crash.
 */
#ifndef DAX_KMEM_TESTS_FUZZ_H
#define DAX_KMEM_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dax_kmem/range_logic.h"

#define U64_TOP		(~(u64)0)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz invariant broken: %s:%d: %s\n", file, line, what);
	abort();
}

/* Every harness checks its invariants with this, never with assert(). */
#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond))						\
			fuzz_fail(__FILE__, __LINE__, #cond);		\
	} while (0)

/*
 * The input as a NUL-terminated copy in a buffer of exactly size + 1
 * bytes, so AddressSanitizer sees any read past the terminator. Bytes
 * after an embedded NUL are simply not part of the string.
 */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/*
 * "SIZE@START" at the head of @item, both through dax_kmem_parse_size()
 * (so any pair of 64-bit values, zero sizes and wrapping spans included,
 * can be spelled). Returns false when either number is missing.
 */
static inline bool fuzz_parse_pair(const char *item, struct dax_kmem_span *span)
{
	const char *p;

	if (!dax_kmem_parse_size(item, &p, &span->size) || *p != '@')
		return false;
	return dax_kmem_parse_size(p + 1, &p, &span->start);
}

/*
 * Splits @s in place at each ',' and parses up to @max items with
 * fuzz_parse_pair(); items that do not parse are skipped. An item that
 * dax_kmem_parse_range_item() accepts must give the same span, and one
 * without a SIZE@START pair must be one it refuses. Returns the number
 * of spans stored.
 */
static inline unsigned int fuzz_parse_spans(char *s,
					    struct dax_kmem_span *spans,
					    unsigned int max)
{
	unsigned int n = 0;
	char *item = s;

	while (item && n < max) {
		char *comma = strchr(item, ',');
		struct dax_kmem_range_item parsed;
		struct dax_kmem_span span;

		if (comma)
			*comma = '\0';
		if (fuzz_parse_pair(item, &span)) {
			spans[n++] = span;
			/* The real parser agrees on every item it accepts. */
			if (dax_kmem_parse_range_item(item, 1024, &parsed) ==
			    DAX_KMEM_PARSE_OK) {
				FUZZ_CHECK(parsed.span.start == span.start);
				FUZZ_CHECK(parsed.span.size == span.size);
			}
		} else {
			FUZZ_CHECK(dax_kmem_parse_range_item(item, 1024, &parsed) !=
				   DAX_KMEM_PARSE_OK);
		}
		item = comma ? comma + 1 : NULL;
	}
	return n;
}

#endif /* DAX_KMEM_TESTS_FUZZ_H */
