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

#define DRIVER_DIR "/sys/bus/platform/drivers/" DAX_KMEM_DRV_NAME

/* Guards every range's state fields and the claimed list below. */
DEFINE_MUTEX(dax_kmem_state_lock);

/* Spans held by bound (or stranded) ranges, to refuse overlaps among ours. */
static LIST_HEAD(claimed_ranges);

/* Set once unloading starts: a failed removal can no longer pin the module. */
static bool unloading;

/* The described span, for %pR in messages. */
static struct resource described(const struct dax_kmem_range *range)
{
	struct resource res = DEFINE_RES_MEM(range->desc.start,
					     range->desc.size);

	return res;
}

/* The part that is (or would be) added, for %pR in messages. */
static struct resource added(const struct dax_kmem_range *range)
{
	struct resource res = DEFINE_RES_MEM(range->aligned.start,
					     range->aligned.size);

	return res;
}

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
	struct resource span = described(range);
	int nid = range->desc.nid;

	if (nid == NUMA_NO_NODE) {
		dev_err(range->dev,
			"%pR: no NUMA node from %s or firmware; name one\n",
			&span, range->desc.source);
		return -EINVAL;
	}
	if (nid < 0 || nid >= MAX_NUMNODES) {
		dev_err(range->dev, "%pR: node %d is outside 0..%d\n", &span,
			nid, MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (!node_possible(nid)) {
		dev_err(range->dev,
			"%pR: node %d is not possible here (possible: %*pbl)\n",
			&span, nid, nodemask_pr_args(&node_possible_map));
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
	struct resource whole = described(range);
	u64 block_mib;

	range->block_size = memory_block_size_bytes();
	block_mib = range->block_size >> 20;
	if (!dax_kmem_align_span(&span, range->block_size, &range->aligned)) {
		dev_err(range->dev,
			"%pR: too small, holds no whole %llu MiB memory block\n",
			&whole, block_mib);
		return -EINVAL;
	}
	if (range->aligned.lost_head || range->aligned.lost_tail)
		dev_info(range->dev,
			 "%pR: %llu bytes lost to %llu MiB block alignment (%llu head, %llu tail)\n",
			 &whole,
			 range->aligned.lost_head + range->aligned.lost_tail,
			 block_mib, range->aligned.lost_head,
			 range->aligned.lost_tail);
	return 0;
}

/*
 * Memory the kernel already has struct pages for cannot be added again:
 * boot memory (on arm64 including nomap memory, which /proc/iomem only
 * calls "reserved") or memory someone else hot-added.
 */
static int check_not_present(struct dax_kmem_range *range)
{
	unsigned long pfn = PHYS_PFN(range->aligned.start);
	unsigned long end = PHYS_PFN(range->aligned.start + range->aligned.size);
	struct resource whole = described(range);

	for (; pfn < end; pfn += PAGES_PER_SECTION) {
		if (present_section_nr(pfn_to_section_nr(pfn))) {
			dev_err(range->dev,
				"%pR: overlaps boot memory or memory already added at %#llx\n",
				&whole, (u64)PFN_PHYS(pfn));
			return -EBUSY;
		}
		/* A pluggable range can span 2^25 sections: let others run. */
		if (!(pfn_to_section_nr(pfn) & 1023))
			cond_resched();
	}
	return 0;
}

/* Our own ranges first: their names are ours to print. */
static int claim_span(struct dax_kmem_range *range)
{
	struct dax_kmem_span mine = {
		.start = range->desc.start,
		.size = range->desc.size,
	};
	struct resource whole = described(range);
	struct dax_kmem_range *other;
	int rc = 0;

	mutex_lock(&dax_kmem_state_lock);
	list_for_each_entry(other, &claimed_ranges, claimed) {
		struct dax_kmem_span theirs = {
			.start = other->desc.start,
			.size = other->desc.size,
		};

		if (dax_kmem_spans_overlap(&mine, &theirs)) {
			struct resource held = described(other);

			dev_err(range->dev, "%pR: overlaps %s %pR\n", &whole,
				dev_name(other->dev), &held);
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

static int check_not_system_ram(struct dax_kmem_range *range)
{
	struct resource whole = described(range);

	if (region_intersects(whole.start, resource_size(&whole),
			      IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) == REGION_DISJOINT)
		return 0;
	dev_err(range->dev, "%pR: overlaps System RAM\n", &whole);
	return -EBUSY;
}

/*
 * The resource tree does not lend modules the names of other holders
 * safely, so say where the busy region is; /proc/iomem names its owner.
 */
static void report_conflict(struct dax_kmem_range *range)
{
	struct resource whole = described(range);
	struct resource busy = {};

	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_MEM | IORESOURCE_BUSY, whole.start,
				whole.end, &busy, find_busy) > 0)
		dev_err(range->dev, "%pR: %pR is busy (owner in /proc/iomem)\n",
			&whole, &busy);
	else
		dev_err(range->dev, "%pR: could not be reserved\n", &whole);
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
	set_state(range, DAX_KMEM_ADDED, 0);
	module_put(THIS_MODULE);
	dev_info(range->dev,
		 "took back %llu MiB on node %d that a failed removal left in place; unbind to retry the removal\n",
		 range->aligned.size >> 20, range->desc.nid);
	return 0;
}

/*
 * Struct pages on the range itself need memory_hotplug.memmap_on_memory=1
 * at boot; without it the kernel would quietly put them in DRAM anyway, so
 * decide here and say so.
 */
static bool memmap_goes_on_range(struct dax_kmem_range *range,
				 enum dax_kmem_memmap wanted)
{
	if (wanted != DAX_KMEM_MEMMAP_RANGE)
		return false;
	if (dax_kmem_memmap_on_memory_enabled())
		return true;
	dev_warn(range->dev,
		 "memmap on the range needs memory_hotplug.memmap_on_memory=1 at boot; it goes to DRAM\n");
	return false;
}

u64 dax_kmem_memmap_dram_bytes(const struct dax_kmem_range *range)
{
	if (range->memmap_on_range)
		return 0;
	return PHYS_PFN(range->aligned.size) * sizeof(struct page);
}

u64 dax_kmem_memmap_range_bytes(const struct dax_kmem_range *range)
{
	u64 per_block;

	if (!range->memmap_on_range)
		return 0;
	/* The kernel takes whole pageblocks of each block for its memmap. */
	per_block = ALIGN(PHYS_PFN(range->block_size) * sizeof(struct page),
			  PAGE_SIZE << pageblock_order);
	return per_block * (range->aligned.size / range->block_size);
}

static int dax_kmem_probe(struct platform_device *pdev)
{
	struct dax_kmem_range *range = dax_kmem_range_of(&pdev->dev);
	struct dax_kmem_policy policy;
	struct resource span;
	bool still_added;
	int rc;

	/* Not one of our range devices: a firmware node that describes some. */
	if (!range)
		return dax_kmem_fw_probe(pdev);
	if (range->state == DAX_KMEM_REMOVE_FAILED)
		return adopt_stranded(range);
	/*
	 * While the module initialises, driver_attach() also reaches range
	 * devices that a firmware device's probe registered (and that were
	 * probed then) earlier in the same pass. Nothing changed since: keep
	 * the verdict, say it once. -ENODEV keeps the driver core quiet.
	 */
	if (range->state == DAX_KMEM_REFUSED &&
	    THIS_MODULE->state == MODULE_STATE_COMING)
		return -ENODEV;

	policy = dax_kmem_policy_of(range);
	rc = check_node(range);
	if (!rc)
		rc = align_range(range);
	if (!rc)
		rc = claim_span(range);
	if (rc)
		goto refuse;

	/* Most specific first: each later check knows less about the holder. */
	rc = check_not_system_ram(range);
	if (!rc)
		rc = dax_kmem_check_is_memory(range->dev, range->desc.start,
					      range->desc.size,
					      range->desc.firmware_described);
	if (!rc)
		rc = check_not_present(range);
	if (!rc)
		rc = reserve_span(range);
	if (rc)
		goto unclaim;

	/* kmalloc'd, not module rodata: it may have to outlive the module. */
	range->ram_name = kstrdup("System RAM (kmem)", GFP_KERNEL);
	if (!range->ram_name) {
		rc = -ENOMEM;
		goto release;
	}
	/* Before any block is online: the node's tier is chosen then. */
	rc = dax_kmem_tier_join(range, policy.adistance);
	if (rc)
		goto free_name;

	range->memmap_on_range = memmap_goes_on_range(range, policy.memmap);
	rc = dax_kmem_add_memory(range, policy.online_type, &still_added);
	if (rc && still_added) {
		/* Keep name, reservation and tier: the memory still uses them. */
		set_state(range, DAX_KMEM_REMOVE_FAILED, rc);
		__module_get(THIS_MODULE);
		return rc;
	}
	if (rc)
		goto leave_tier;

	set_state(range, DAX_KMEM_ADDED, 0);
	span = added(range);
	dev_info(&pdev->dev,
		 "node %d: added %pR (%llu MiB), %s, memmap in %s, abstract distance %d\n",
		 range->desc.nid, &span, range->aligned.size >> 20,
		 dax_kmem_online_type_name(range->online_now),
		 range->memmap_on_range ? "the range" : "DRAM",
		 range->adistance);
	return 0;

leave_tier:
	dax_kmem_tier_leave(range);
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
 * left exactly as it was: every block in its state, reserved, named.
 * Freeing anything the memory still uses would be a use-after-free
 * waiting to happen.
 */
static void strand(struct dax_kmem_range *range, int rc)
{
	struct resource span = added(range);
	const char *name = dev_name(range->dev);

	set_state(range, DAX_KMEM_REMOVE_FAILED, rc);
	if (unloading) {
		/* Leaked on purpose: the memory keeps using them until reboot. */
		dev_crit(range->dev,
			 "could not offline %pR (%d) while unloading: it stays System RAM until reboot\n",
			 &span, rc);
		range->ram_name = NULL;
		range->reservation = NULL;
		range->reservation_name = NULL;
		unclaim_span(range);
		return;
	}
	/* Pinned so that rmmod cannot take the retry away. */
	__module_get(THIS_MODULE);
	dev_err(range->dev, "could not offline %pR (%d): still in place on node %d\n",
		&span, rc, range->desc.nid);
	dev_err(range->dev,
		"make room on other nodes, then retry: echo %s > %s/bind; echo %s > %s/unbind\n",
		name, DRIVER_DIR, name, DRIVER_DIR);
}

static void dax_kmem_remove(struct platform_device *pdev)
{
	struct dax_kmem_range *range = dax_kmem_range_of(&pdev->dev);
	struct resource span;
	int rc;

	if (!range) {
		dax_kmem_fw_remove(pdev);
		return;
	}
	if (range->state != DAX_KMEM_ADDED)
		return;

	rc = dax_kmem_remove_memory(range);
	if (rc) {
		strand(range, rc);
		return;
	}
	dax_kmem_tier_leave(range);
	kfree(range->ram_name);
	range->ram_name = NULL;
	release_span(range);
	unclaim_span(range);
	set_state(range, DAX_KMEM_ABSENT, 0);
	span = added(range);
	dev_info(&pdev->dev, "node %d: removed %pR\n", range->desc.nid, &span);
}

static struct platform_driver dax_kmem_driver = {
	.probe = dax_kmem_probe,
	DAX_KMEM_PLATFORM_REMOVE(dax_kmem_remove),
	.driver = {
		.name = DAX_KMEM_DRV_NAME,
		/* Not of_match_ptr(): ACPI PRP0001 matching needs it without OF. */
		.of_match_table = dax_kmem_fw_match,
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
