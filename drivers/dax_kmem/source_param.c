// SPDX-License-Identifier: GPL-2.0
/*
 * Range source: the ranges= module parameter, memmap-like
 * ("1G@0x140000000:1,512M@0x200000000"). A bad item is named and skipped;
 * the good items around it still load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

static char *ranges;
/* Physical addresses: root only, like the devices' range attributes. */
module_param(ranges, charp, 0400);
MODULE_PARM_DESC(ranges,
		 "Ranges to hot-add, SIZE@START[:NODE],... (K/M/G/T suffixes; without NODE, firmware's node for START)");

static void source_param_register_item(const char *item, unsigned int index)
{
	struct dax_kmem_range_item parsed;
	struct dax_kmem_range_desc desc = { };
	enum dax_kmem_parse_error err;

	err = dax_kmem_parse_range_item(item, MAX_NUMNODES, &parsed);
	if (err) {
		pr_err("ranges= item %u \"%s\": %s; item skipped\n", index,
		       item, dax_kmem_parse_error_str(err));
		return;
	}
	desc.start = parsed.span.start;
	desc.size = parsed.span.size;
	desc.nid = parsed.node == DAX_KMEM_NODE_UNSET ?
		   dax_kmem_firmware_node(desc.start) : parsed.node;
	desc.source = "param";
	desc.firmware_described = false;	/* typed by the user */
	dax_kmem_register_range(&desc);
}

void dax_kmem_split_items(const char *list, dax_kmem_item_fn fn)
{
	char *copy, *cursor, *item;
	unsigned int index = 0;

	if (!list || !*list)
		return;
	copy = kstrdup(list, GFP_KERNEL);
	if (!copy)
		return;	/* the allocator has said why */
	cursor = copy;
	while ((item = strsep(&cursor, ",")) != NULL)
		fn(strim(item), ++index);
	kfree(copy);
}

void dax_kmem_param_source_init(void)
{
	if (ranges && *ranges &&
	    dax_kmem_user_addresses_locked_down("ranges="))
		return;
	dax_kmem_split_items(ranges, source_param_register_item);
}
