// SPDX-License-Identifier: GPL-2.0
/*
 * The platform driver: turns one range device into System RAM on its node
 * and takes it back on unbind. It never knows which source made the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

#define RANGE_FMT "[mem %#010llx-%#010llx]"
#define RANGE_ARGS(start, size) (start), (start) + (size) - 1

DEFINE_MUTEX(dax_kmem_state_lock);

/* Spans held by bound (or stranded) ranges, to refuse overlaps among ours. */
static LIST_HEAD(claimed_ranges);

/* Set once unloading starts: a failed removal can no longer pin the module. */
static bool unloading;

static void set_state(struct dax_kmem_range *range, enum dax_kmem_state state,
		      int error)
{
	mutex_lock(&dax_kmem_state_lock);
	range->state = state;
	range->last_error = error;
	mutex_unlock(&dax_kmem_state_lock);
}

/*
 * Node: whatever the source put in the descriptor (explicit beats firmware,
 * the source decides that). Never fall back to node 0: slow memory mixed
 * into a fast node is worse than no memory at all.
 */
static int check_node(struct dax_kmem_range *range)
{
	int nid = range->desc.nid;

	if (nid == NUMA_NO_NODE) {
		dev_err(range->dev,
			RANGE_FMT " has no NUMA node: source '%s' named none and firmware knows none; name one explicitly\n",
			RANGE_ARGS(range->desc.start, range->desc.size),
			range->desc.source);
		return -EINVAL;
	}
	if (nid < 0 || nid >= MAX_NUMNODES) {
		dev_err(range->dev, RANGE_FMT " names node %d, outside 0..%d\n",
			RANGE_ARGS(range->desc.start, range->desc.size), nid,
			MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (!node_possible(nid)) {
		dev_err(range->dev,
			RANGE_FMT " names node %d, which is not possible on this system (possible: %*pbl)\n",
			RANGE_ARGS(range->desc.start, range->desc.size), nid,
			nodemask_pr_args(&node_possible_map));
		return -EINVAL;
	}
	return 0;
}

static int align_range(struct dax_kmem_range *range)
{
	struct dax_kmem_span span = {
		.start = range->desc.start,
		.size = range->desc.size,
	};

	range->block_size = memory_block_size_bytes();
	if (!dax_kmem_align_span(&span, range->block_size, &range->aligned)) {
		dev_err(range->dev,
			RANGE_FMT " is too small: it holds no whole %llu MiB memory block\n",
			RANGE_ARGS(span.start, span.size),
			range->block_size >> 20);
		return -EINVAL;
	}
	if (range->aligned.lost_head || range->aligned.lost_tail)
		dev_info(range->dev,
			 RANGE_FMT " is not aligned to %llu MiB memory blocks: %llu bytes lost (%llu at the start, %llu at the end)\n",
			 RANGE_ARGS(span.start, span.size),
			 range->block_size >> 20,
			 range->aligned.lost_head + range->aligned.lost_tail,
			 range->aligned.lost_head, range->aligned.lost_tail);
	return 0;
}

/* Our own ranges first: their names are ours to print. */
static int claim_span(struct dax_kmem_range *range)
{
	struct dax_kmem_span mine = {
		.start = range->desc.start,
		.size = range->desc.size,
	};
	struct dax_kmem_range *other;
	int rc = 0;

	mutex_lock(&dax_kmem_state_lock);
	list_for_each_entry(other, &claimed_ranges, claimed) {
		struct dax_kmem_span theirs = {
			.start = other->desc.start,
			.size = other->desc.size,
		};

		if (dax_kmem_spans_overlap(&mine, &theirs)) {
			dev_err(range->dev,
				RANGE_FMT " overlaps %s " RANGE_FMT ", which already holds it\n",
				RANGE_ARGS(mine.start, mine.size),
				dev_name(other->dev),
				RANGE_ARGS(theirs.start, theirs.size));
			rc = -EBUSY;
			break;
		}
	}
	if (!rc)
		list_add_tail(&range->claimed, &claimed_ranges);
	mutex_unlock(&dax_kmem_state_lock);
	return rc;
}

static void unclaim_span(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_state_lock);
	list_del_init(&range->claimed);
	mutex_unlock(&dax_kmem_state_lock);
}

static int find_busy(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;	/* the first one is enough to name */
}

/*
 * The resource tree does not lend modules the names of other holders
 * safely, so say what kind of memory it is and where; /proc/iomem has
 * the owner's name at that address.
 */
static void report_conflict(struct dax_kmem_range *range)
{
	u64 start = range->desc.start, size = range->desc.size;
	struct resource busy = {};

	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		dev_err(range->dev, RANGE_FMT " overlaps System RAM\n",
			RANGE_ARGS(start, size));
		return;
	}
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_MEM | IORESOURCE_BUSY, start,
				start + size - 1, &busy, find_busy) > 0) {
		dev_err(range->dev,
			RANGE_FMT " is already claimed: %pR is busy (its owner is named in /proc/iomem)\n",
			RANGE_ARGS(start, size), &busy);
		return;
	}
	dev_err(range->dev, RANGE_FMT " could not be reserved\n",
		RANGE_ARGS(start, size));
}

static int reserve_span(struct dax_kmem_range *range)
{
	struct resource *res;

	range->reservation_name = kstrdup(dev_name(range->dev), GFP_KERNEL);
	if (!range->reservation_name)
		return -ENOMEM;
	/* The whole described span: its unaligned edges are not anyone's. */
	res = request_mem_region(range->desc.start, range->desc.size,
				 range->reservation_name);
	if (!res) {
		report_conflict(range);
		kfree(range->reservation_name);
		range->reservation_name = NULL;
		return -EBUSY;
	}
	/*
	 * Not busy, so "System RAM (kmem)" can nest inside; plain memory
	 * flags, so nothing inherited from a firmware parent confuses
	 * add_memory.
	 */
	res->flags = IORESOURCE_MEM;
	range->reservation = res;
	return 0;
}

static void release_span(struct dax_kmem_range *range)
{
	remove_resource(range->reservation);
	kfree(range->reservation);
	range->reservation = NULL;
	kfree(range->reservation_name);
	range->reservation_name = NULL;
}

/* Bind after a failed removal: the memory never left, take it back. */
static int adopt_stranded(struct dax_kmem_range *range)
{
	set_state(range, DAX_KMEM_ONLINE, 0);
	module_put(THIS_MODULE);
	dev_info(range->dev,
		 "took back %llu MiB on node %d that a failed removal left online; unbind to retry the removal\n",
		 range->aligned.size >> 20, range->desc.nid);
	return 0;
}

static int dax_kmem_probe(struct platform_device *pdev)
{
	struct dax_kmem_range *range = dax_kmem_range_of(&pdev->dev);
	bool still_added;
	int rc;

	if (!range) {
		dev_err(&pdev->dev, "not a dax_kmem range device (no range data)\n");
		return -ENODEV;
	}
	if (range->state == DAX_KMEM_REMOVE_FAILED)
		return adopt_stranded(range);

	rc = check_node(range);
	if (!rc)
		rc = align_range(range);
	if (!rc)
		rc = claim_span(range);
	if (rc)
		goto refuse;

	rc = reserve_span(range);
	if (rc)
		goto unclaim;

	/* kmalloc'd, not module rodata: it may have to outlive the module. */
	range->ram_name = kstrdup("System RAM (kmem)", GFP_KERNEL);
	if (!range->ram_name) {
		rc = -ENOMEM;
		goto release;
	}

	rc = dax_kmem_add_online_movable(range, &still_added);
	if (rc && still_added) {
		/* Keep name and reservation: the memory still uses them. */
		set_state(range, DAX_KMEM_REMOVE_FAILED, rc);
		__module_get(THIS_MODULE);
		return rc;
	}
	if (rc)
		goto free_name;

	set_state(range, DAX_KMEM_ONLINE, 0);
	dev_info(&pdev->dev,
		 "node %d: added " RANGE_FMT " (%llu MiB, %llu blocks) as System RAM (kmem), online movable\n",
		 range->desc.nid,
		 RANGE_ARGS(range->aligned.start, range->aligned.size),
		 range->aligned.size >> 20,
		 range->aligned.size / range->block_size);
	return 0;

free_name:
	kfree(range->ram_name);
	range->ram_name = NULL;
release:
	release_span(range);
unclaim:
	unclaim_span(range);
refuse:
	set_state(range, DAX_KMEM_REFUSED, rc);
	return rc;
}

/*
 * Removal cannot fail the unbind, so a range that will not go offline is
 * left exactly as it was: online, reserved, named. Freeing anything the
 * memory still uses would be a use-after-free waiting to happen.
 */
static void strand(struct dax_kmem_range *range, int rc)
{
	set_state(range, DAX_KMEM_REMOVE_FAILED, rc);
	if (unloading) {
		/* Leaked on purpose: the memory keeps using them until reboot. */
		dev_crit(range->dev,
			 "could not offline " RANGE_FMT " (%d) while unloading: it stays System RAM until reboot\n",
			 RANGE_ARGS(range->aligned.start, range->aligned.size),
			 rc);
		range->ram_name = NULL;
		range->reservation = NULL;
		range->reservation_name = NULL;
		unclaim_span(range);
		return;
	}
	/* Pinned so that rmmod cannot take the retry away. */
	__module_get(THIS_MODULE);
	dev_err(range->dev,
		"could not offline " RANGE_FMT " (%d): node %d keeps it online and in use. Make room on other nodes, then retry: echo %s > /sys/bus/platform/drivers/" DAX_KMEM_DRV_NAME "/bind; echo %s > .../unbind\n",
		RANGE_ARGS(range->aligned.start, range->aligned.size), rc,
		range->desc.nid, dev_name(range->dev), dev_name(range->dev));
}

static void dax_kmem_remove(struct platform_device *pdev)
{
	struct dax_kmem_range *range = dax_kmem_range_of(&pdev->dev);
	int rc;

	if (!range || range->state != DAX_KMEM_ONLINE)
		return;

	/* Blocks an admin already offlined are fine; offline the rest. */
	rc = offline_and_remove_memory(range->aligned.start,
				       range->aligned.size);
	if (rc) {
		strand(range, rc);
		return;
	}
	kfree(range->ram_name);
	range->ram_name = NULL;
	release_span(range);
	unclaim_span(range);
	set_state(range, DAX_KMEM_ABSENT, 0);
	dev_info(&pdev->dev, "node %d: removed " RANGE_FMT "\n",
		 range->desc.nid,
		 RANGE_ARGS(range->aligned.start, range->aligned.size));
}

static struct platform_driver dax_kmem_driver = {
	.probe = dax_kmem_probe,
	DAX_KMEM_PLATFORM_REMOVE(dax_kmem_remove),
	.driver = {
		.name = DAX_KMEM_DRV_NAME,
	},
};

int dax_kmem_driver_init(void)
{
	return platform_driver_register(&dax_kmem_driver);
}

void dax_kmem_driver_exit(void)
{
	platform_driver_unregister(&dax_kmem_driver);
}

void dax_kmem_begin_unload(void)
{
	unloading = true;
}
