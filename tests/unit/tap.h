/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for the host unit tests: one "ok N - name" or
 * "not ok N - name (detail)" line per case and a "1..N" plan at the end.
 * Deliberately prints no pass/fail summary: the project-wide summarizer
 * counts the TAP lines itself.
 *
 * A case may check several values; the first mismatch is reported and
 * later ones are appended, so a failing line says what went wrong.
 */
#ifndef DAX_KMEM_TESTS_TAP_H
#define DAX_KMEM_TESTS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tap_case {
	const char *name;
	char detail[512];
	size_t len;
	bool failed;
};

static int tap_count;
static int tap_failures;

static inline void tap_begin(struct tap_case *c, const char *name)
{
	c->name = name;
	c->detail[0] = '\0';
	c->len = 0;
	c->failed = false;
}

__attribute__((format(printf, 2, 3)))
static inline void tap_fail(struct tap_case *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->failed && c->len < sizeof(c->detail) - 1) {
		n = snprintf(c->detail + c->len, sizeof(c->detail) - c->len,
			     "; ");
		if (n > 0)
			c->len += (size_t)n;
	}
	c->failed = true;
	if (c->len >= sizeof(c->detail) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->detail + c->len, sizeof(c->detail) - c->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->len += (size_t)n;
	if (c->len > sizeof(c->detail) - 1)
		c->len = sizeof(c->detail) - 1;
}

static inline void tap_u64(struct tap_case *c, const char *what,
			   uint64_t got, uint64_t expected)
{
	if (got != expected)
		tap_fail(c, "%s: got 0x%" PRIx64 " expected 0x%" PRIx64,
			 what, got, expected);
}

static inline void tap_int(struct tap_case *c, const char *what,
			   long long got, long long expected)
{
	if (got != expected)
		tap_fail(c, "%s: got %lld expected %lld", what, got, expected);
}

static inline void tap_bool(struct tap_case *c, const char *what,
			    bool got, bool expected)
{
	if (got != expected)
		tap_fail(c, "%s: got %s expected %s", what,
			 got ? "true" : "false", expected ? "true" : "false");
}

static inline void tap_end(struct tap_case *c)
{
	tap_count++;
	if (c->failed) {
		tap_failures++;
		printf("not ok %d - %s (%s)\n", tap_count, c->name, c->detail);
	} else {
		printf("ok %d - %s\n", tap_count, c->name);
	}
	fflush(stdout);
}

/* Prints the plan; returns the process exit status. */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif /* DAX_KMEM_TESTS_TAP_H */
