// SPDX-License-Identifier: GPL-2.0
/*
 * What a range must be before it is handed to the worker: on a possible
 * node, holding at least one whole memory block, nobody else's, not RAM
 * already; then its span is reserved for it. Runs in probe, so a bad
 * range fails its bind with the errno that says why.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/lockdep.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

/* Sections checked between two chances for others to run. */
#define SECTIONS_PER_RESCHED 1024

/*
 * Node: whatever the source put in the descriptor (explicit beats firmware,
 * the source decides that). Never fall back to node 0: slow memory mixed
 * into a fast node is worse than no memory at all.
 */
static int validate_node(struct dax_kmem_range *range, struct device *dev,
			 const struct resource *span)
{
	int nid = range->desc.nid;

	if (nid == NUMA_NO_NODE) {
		dev_err(dev,
			"%pR: no NUMA node from %s or firmware; name one\n",
			span, range->desc.source);
		return -EINVAL;
	}
	if (nid < 0 || nid >= MAX_NUMNODES) {
		dev_err(dev, "%pR: node %d is outside 0..%d\n", span,
			nid, MAX_NUMNODES - 1);
		return -EINVAL;
	}
	if (!node_possible(nid)) {
		dev_err(dev,
			"%pR: node %d is not possible here (possible: %*pbl)\n",
			span, nid, nodemask_pr_args(&node_possible_map));
		return -EINVAL;
	}
	return 0;
}

static int validate_alignment(struct dax_kmem_range *range, struct device *dev,
			      const struct resource *whole)
{
	struct dax_kmem_span span = {
		.start = range->desc.start,
		.size = range->desc.size,
	};
	u64 block_size = memory_block_size_bytes();
	struct dax_kmem_aligned aligned;

	if (!dax_kmem_align_span(&span, block_size, &aligned)) {
		dev_err(dev,
			"%pR: too small, holds no whole %llu MiB memory block\n",
			whole, block_size >> 20);
		return -EINVAL;
	}
	if (aligned.lost_head || aligned.lost_tail)
		dev_info(dev,
			 "%pR: %llu bytes lost to %llu MiB block alignment (%llu head, %llu tail)\n",
			 whole, aligned.lost_head + aligned.lost_tail,
			 block_size >> 20, aligned.lost_head, aligned.lost_tail);
	mutex_lock(&dax_kmem_sm_lock);
	range->block_size = block_size;
	range->aligned = aligned;
	mutex_unlock(&dax_kmem_sm_lock);
	return 0;
}

/* Our own ranges first: their names are ours to print. */
static int validate_claim(struct dax_kmem_range *range, struct device *dev,
			  const struct resource *whole)
{
	struct dax_kmem_span theirs;
	char name[sizeof(range->name)];
	struct resource held = {};

	if (!dax_kmem_sm_claim(range, &theirs, name, sizeof(name)))
		return 0;
	held.start = theirs.start;
	held.end = theirs.start + theirs.size - 1;
	held.flags = IORESOURCE_MEM;
	dev_err(dev, "%pR: overlaps %s %pR\n", whole, name, &held);
	return -EBUSY;
}

static int validate_not_system_ram(struct dax_kmem_range *range, struct device *dev,
				   const struct resource *whole)
{
	if (region_intersects(whole->start, resource_size(whole),
			      IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) == REGION_DISJOINT)
		return 0;
	dev_err(dev, "%pR: overlaps System RAM\n", whole);
	return -EBUSY;
}

/*
 * Memory the kernel already has struct pages for cannot be added again:
 * boot memory (on arm64 including nomap memory, which /proc/iomem only
 * calls "reserved") or memory someone else hot-added.
 */
static int validate_not_present(struct device *dev, const struct resource *whole,
				const struct dax_kmem_aligned *aligned)
{
	unsigned long pfn = PHYS_PFN(aligned->start);
	unsigned long end = PHYS_PFN(aligned->start + aligned->size);
	unsigned long checked = 0;

	for (; pfn < end; pfn += PAGES_PER_SECTION) {
		if (present_section_nr(pfn_to_section_nr(pfn))) {
			dev_err(dev,
				"%pR: overlaps boot memory or memory already added at %#llx\n",
				whole, (u64)PFN_PHYS(pfn));
			return -EBUSY;
		}
		if (!(++checked % SECTIONS_PER_RESCHED))
			cond_resched();
	}
	return 0;
}

static int validate_find_busy(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;	/* the first one is enough to name */
}

/*
 * The resource tree does not lend modules the names of other holders
 * safely, so say where the busy region is; /proc/iomem names its owner.
 */
static void validate_report_conflict(struct dax_kmem_range *range, struct device *dev,
				     const struct resource *whole)
{
	struct resource busy = {};

	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_MEM | IORESOURCE_BUSY, whole->start,
				whole->end, &busy, validate_find_busy) > 0)
		dev_err(dev, "%pR: %pR is busy (owner in /proc/iomem)\n",
			whole, &busy);
	else
		dev_err(dev, "%pR: could not be reserved\n", whole);
}

static int validate_reserve(struct dax_kmem_range *range, struct device *dev,
			    const struct resource *whole)
{
	struct resource *res;
	const char *name;

	/* The resource keeps the name: it lives as long as the reservation. */
	name = kstrdup(range->name, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	/* The whole described span: its unaligned edges are not anyone's. */
	res = request_mem_region(whole->start, resource_size(whole), name);
	if (!res) {
		validate_report_conflict(range, dev, whole);
		kfree(name);
		return -EBUSY;
	}
	/*
	 * Not busy, so "System RAM (kmem)" can nest inside; plain memory
	 * flags, so nothing inherited from a firmware parent confuses
	 * add_memory.
	 */
	res->flags = IORESOURCE_MEM;
	mutex_lock(&dax_kmem_sm_lock);
	range->reservation = res;
	range->reservation_name = name;
	mutex_unlock(&dax_kmem_sm_lock);
	return 0;
}

/* Caller holds dax_kmem_sm_lock: the span and the state change as one. */
void dax_kmem_release_span_locked(struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	if (!range->reservation)
		return;
	remove_resource(range->reservation);
	kfree(range->reservation);
	kfree(range->reservation_name);
	range->reservation = NULL;
	range->reservation_name = NULL;
}

void dax_kmem_release_span(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	dax_kmem_release_span_locked(range);
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Most specific check first: each later one knows less about whoever
 * holds the memory. On success the range is ADDING with its span
 * reserved; on failure it is REFUSED (or, if its device went away
 * meanwhile, ABSENT) and holds nothing.
 */
int dax_kmem_validate_and_reserve(struct dax_kmem_range *range,
				  struct device *dev)
{
	struct resource whole = DEFINE_RES_MEM(range->desc.start,
					       range->desc.size);
	int adistance, rc;

	mutex_lock(&dax_kmem_sm_lock);
	adistance = dax_kmem_policy_of(range).adistance;
	mutex_unlock(&dax_kmem_sm_lock);

	rc = validate_node(range, dev, &whole);
	if (!rc)
		rc = validate_alignment(range, dev, &whole);
	if (!rc)
		rc = dax_kmem_tier_check(range, dev, adistance);
	if (!rc)
		rc = validate_claim(range, dev, &whole);
	if (rc)
		goto refuse;
	rc = validate_not_system_ram(range, dev, &whole);
	if (!rc)
		rc = dax_kmem_check_is_memory(dev, range->desc.start,
					      range->desc.size,
					      range->desc.firmware_described &&
					      !range->grown_by_user);
	if (!rc)
		rc = validate_not_present(dev, &whole, &range->aligned);
	if (!rc)
		rc = validate_reserve(range, dev, &whole);
	if (!rc)
		return dax_kmem_sm_checked(range);
refuse:
	dax_kmem_sm_refuse(range, rc);
	return rc;
}

/*
 * A grow of an added range to @new_size bytes: the new span at its end
 * gets every check a new range would, then joins the reservation. The
 * worker adds it; dax_kmem_shrink_reservation() undoes this.
 */
int dax_kmem_validate_growth(struct dax_kmem_range *range, struct device *dev,
			     u64 new_size)
{
	u64 old_end = range->desc.start + range->desc.size;
	struct resource ext = DEFINE_RES_MEM(old_end,
					     range->desc.start + new_size - old_end);
	struct dax_kmem_aligned grown;
	struct dax_kmem_span theirs, span = {
		.start = range->desc.start,
		.size = new_size,
	};
	char name[sizeof(range->name)];
	int rc;

	if (!dax_kmem_align_span(&span, range->block_size, &grown))
		return -EINVAL;
	/* Our own ranges first: their names are ours to print. */
	span.start = ext.start;
	span.size = resource_size(&ext);
	if (dax_kmem_sm_span_taken(range, &span, &theirs, name, sizeof(name))) {
		struct resource held = DEFINE_RES_MEM(theirs.start, theirs.size);

		dev_err(dev, "size: %pR overlaps %s %pR\n", &ext, name, &held);
		return -EBUSY;
	}
	rc = validate_not_system_ram(range, dev, &ext);
	if (!rc)
		/* Typed by the user, whatever described the rest. */
		rc = dax_kmem_check_is_memory(dev, ext.start, resource_size(&ext),
					      false);
	if (!rc) {
		/* Only the blocks the grow adds; the others are ours. */
		struct dax_kmem_aligned added = {
			.start = range->aligned.start + range->aligned.size,
			.size = grown.size - range->aligned.size,
		};

		rc = validate_not_present(dev, &ext, &added);
	}
	if (rc)
		return rc;
	mutex_lock(&dax_kmem_sm_lock);
	rc = range->reservation ?
	     adjust_resource(range->reservation, range->desc.start, new_size) :
	     -ENODEV;
	mutex_unlock(&dax_kmem_sm_lock);
	if (rc) {
		validate_report_conflict(range, dev, &ext);
		return -EBUSY;
	}
	return 0;
}

/* The reservation back to @size bytes: after a shrink, or a failed grow. */
void dax_kmem_shrink_reservation(struct dax_kmem_range *range, u64 size)
{
	mutex_lock(&dax_kmem_sm_lock);
	if (range->reservation &&
	    adjust_resource(range->reservation, range->desc.start, size))
		range_err(range, "the reservation could not shrink to %llu MiB: /proc/iomem keeps the larger span\n",
			  size >> 20);
	mutex_unlock(&dax_kmem_sm_lock);
}
