/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firmware's own map of memory, against which memcheck.c checks the ranges
 * a user typed (ranges=): e820 on x86 (arch/x86/dax_kmem/memory_map.c),
 * Device Tree /memory and /reserved-memory elsewhere
 * (drivers/dax_kmem/memory_map_dt.c). Kbuild builds exactly one of them.
 */
#ifndef DAX_KMEM_MEMORY_MAP_H
#define DAX_KMEM_MEMORY_MAP_H

#include "dax_kmem/range_logic.h"

/* Names the map in log lines, e.g. "firmware's e820 map". */
const char *dax_kmem_memory_map_name(void);

/*
 * 1 when the map describes all of @span as memory; 0 when it does not,
 * and @gap is then the first stretch of @span it leaves out; or a
 * negative errno when the map cannot be read. May sleep.
 */
int dax_kmem_memory_map_covers(const struct dax_kmem_span *span,
			       struct dax_kmem_span *gap);

#endif /* DAX_KMEM_MEMORY_MAP_H */
