// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem_parse_size() on arbitrary bytes, against a reference reader
 * built on the C library's strtoull(). Invariants:
 *  - it accepts exactly when the reference does: decimal, or 0x/0X and
 *    at least one hex digit, then an optional K/M/G/T (powers of 1024),
 *    refusing a value or a shifted value past 2^64 - 1;
 *  - an accepted number has the reference's value, and *end points just
 *    past the same last character, inside the string;
 *  - a refused one leaves *end and *out as they were;
 *  - an accepted value printed back in decimal, in hex, and with the
 *    largest suffix that divides it, parses to the same value.
 */
#include <errno.h>

#include "fuzz.h"

static bool is_digit(char c, int base)
{
	if (c >= '0' && c <= '9')
		return true;
	return base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

static bool ref_parse_size(const char *s, const char **end, u64 *out)
{
	unsigned long long value;
	const char *p = s, *q;
	int base = 10, shift = 0;
	char *digits, *stop;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && is_digit(p[2], 16)) {
		base = 16;
		p += 2;
	}
	if (!is_digit(*p, base))
		return false;
	for (q = p; is_digit(*q, base); q++)
		;
	/* Only digits go to strtoull(): no sign, space or second 0x. */
	digits = strndup(p, q - p);
	if (!digits)
		abort();
	errno = 0;
	value = strtoull(digits, &stop, base);
	FUZZ_CHECK(*stop == '\0');
	free(digits);
	if (errno == ERANGE)
		return false;

	switch (*q) {
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
		if (value > (U64_TOP >> shift))
			return false;
		value <<= shift;
		q++;
	}
	*end = q;
	*out = value;
	return true;
}

static void check_round_trip(const char *fmt, u64 value, u64 expected)
{
	const char *end;
	char buf[48];
	u64 got;

	snprintf(buf, sizeof(buf), fmt, value);
	FUZZ_CHECK(dax_kmem_parse_size(buf, &end, &got));
	FUZZ_CHECK(got == expected);
	FUZZ_CHECK(*end == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const suffixed[] = { "%lluT", "%lluG", "%lluM", "%lluK" };
	const char *end = (const char *)&end, *ref_end;
	char *s = fuzz_cstr(data, size);
	u64 value = 0x5a5a5a5a5a5a5a5aULL, ref_value;
	bool ok, ref_ok;
	int i;

	ok = dax_kmem_parse_size(s, &end, &value);
	ref_ok = ref_parse_size(s, &ref_end, &ref_value);
	FUZZ_CHECK(ok == ref_ok);
	if (!ok) {
		FUZZ_CHECK(end == (const char *)&end);
		FUZZ_CHECK(value == 0x5a5a5a5a5a5a5a5aULL);
		free(s);
		return 0;
	}
	FUZZ_CHECK(value == ref_value);
	FUZZ_CHECK(end == ref_end);
	FUZZ_CHECK(end > s && end <= s + strlen(s));

	check_round_trip("%llu", value, value);
	check_round_trip("0x%llx", value, value);
	check_round_trip("0X%llX", value, value);
	for (i = 0; i < 4 && value; i++) {
		int shift = 40 - 10 * i;

		if (!(value & (((u64)1 << shift) - 1))) {
			check_round_trip(suffixed[i], value >> shift, value);
			break;
		}
	}
	free(s);
	return 0;
}
