// SPDX-License-Identifier: GPL-2.0
/*
 * Messages about a range, prefixed like dev_*() prefixes a bound range
 * device's, by the range's own name: the worker logs about ranges whose
 * device is unbound, or gone. A routine retry (range->quiet) logs only
 * what is critical.
 */
#define pr_fmt(fmt) KBUILD_MODNAME " " fmt

#include <linux/printk.h>

#include "dax_kmem.h"

#define RANGE_LOG_FN(fn, pr, always)					\
void fn(const struct dax_kmem_range *range, const char *fmt, ...)	\
{									\
	struct va_format vaf;						\
	va_list args;							\
									\
	if ((always) || !READ_ONCE(range->quiet)) {			\
		va_start(args, fmt);					\
		vaf.fmt = fmt;						\
		vaf.va = &args;						\
		pr("%s: %pV", range->name, &vaf);			\
		va_end(args);						\
	}								\
}

RANGE_LOG_FN(range_crit, pr_crit, true)
RANGE_LOG_FN(range_err, pr_err, false)
RANGE_LOG_FN(range_warn, pr_warn, false)
RANGE_LOG_FN(range_info, pr_info, false)
