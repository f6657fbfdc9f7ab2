// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware's memory map from Device Tree, where there is no e820 (arm64):
 * the reg entries of every available /memory node (device_type "memory"),
 * which still list RAM that mem= hides, and of every available
 * /reserved-memory child. A board that describes its memory only in the
 * UEFI memory map (ACPI boots) has none of these, so to this map nothing
 * is memory there.
 */
#include <linux/minmax.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/slab.h>

#include "memory_map.h"

const char *dax_kmem_memory_map_name(void)
{
	return "Device Tree /memory or /reserved-memory";
}

struct dt_spans {
	struct dax_kmem_span *spans;	/* NULL while counting */
	unsigned int capacity;
	unsigned int count;		/* may pass capacity if the tree grew */
};

static void add_reg(struct device_node *np, struct dt_spans *found)
{
	struct resource res;
	int i;

	for (i = 0; !of_address_to_resource(np, i, &res); i++) {
		if (found->count < found->capacity) {
			found->spans[found->count].start = res.start;
			found->spans[found->count].size = resource_size(&res);
		}
		found->count++;
	}
}

static void collect(struct dt_spans *found)
{
	struct device_node *np, *rmem;

	for_each_node_by_type(np, "memory")
		if (of_device_is_available(np))
			add_reg(np, found);
	rmem = of_find_node_by_path("/reserved-memory");
	for_each_available_child_of_node(rmem, np)
		add_reg(np, found);
	of_node_put(rmem);
}

int dax_kmem_memory_map_covers(const struct dax_kmem_span *span,
			       struct dax_kmem_span *gap)
{
	struct dt_spans found = { };
	bool covered;

	collect(&found);
	found.capacity = found.count;
	found.count = 0;
	found.spans = kcalloc(max(found.capacity, 1U), sizeof(*found.spans),
			      GFP_KERNEL);
	if (!found.spans)
		return -ENOMEM;
	/* Entries an overlay added in between are left out: stricter. */
	collect(&found);
	covered = dax_kmem_spans_cover(found.spans,
				       min(found.count, found.capacity), span,
				       gap);
	kfree(found.spans);
	return covered;
}
