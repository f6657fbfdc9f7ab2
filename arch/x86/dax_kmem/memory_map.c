// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware's memory map on x86: the e820 table as firmware gave it, which
 * mem= and memmap= leave alone (they edit the kernel's copy). So RAM that
 * mem= hides is still there, and a memmap=SIZE$START or SIZE!START
 * carve-out appears as the usable RAM firmware said it was; an address
 * firmware never listed is not there at all.
 *
 * The kernel exports only "does an entry of this type touch [start, end)"
 * for that table (e820__mapped_raw_any(); 7.x only for the kernel's copy,
 * see dax_kmem_e820_mapped()), so a range is asked about one memory block
 * at a time: a hole smaller than a block inside a block that
 * firmware does describe in part goes unseen.
 */
#include <linux/memory.h>
#include <linux/sched.h>
#include <asm/e820/api.h>

#include "dax_kmem/compat.h"
#include "memory_map.h"

const char *dax_kmem_memory_map_name(void)
{
	return DAX_KMEM_E820_MAP_NAME;
}

/*
 * Types that say "there is memory here", whatever it is kept for. Not
 * ACPI tables, NVS or unusable memory: nothing to hand out as RAM.
 */
static const enum e820_type memory_types[] = {
	E820_TYPE_RAM,
	E820_TYPE_RESERVED,
	E820_TYPE_PMEM,
	E820_TYPE_PRAM,
	E820_TYPE_SOFT_RESERVED,
};

static bool block_described(u64 start, u64 size, void *unused)
{
	unsigned int i;

	/* A typo can ask about terabytes, one block at a time. */
	cond_resched();
	for (i = 0; i < ARRAY_SIZE(memory_types); i++)
		if (dax_kmem_e820_mapped(start, start + size, memory_types[i]))
			return true;
	return false;
}

int dax_kmem_memory_map_covers(const struct dax_kmem_span *span,
			       struct dax_kmem_span *gap)
{
	return dax_kmem_span_pieces_cover(span, memory_block_size_bytes(),
					  block_described, NULL, gap);
}
