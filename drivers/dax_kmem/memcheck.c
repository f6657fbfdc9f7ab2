// SPDX-License-Identifier: GPL-2.0
/*
 * Input trust: is a range memory at all? The core asks before it reserves
 * anything. In this order, each refusal with one log line:
 *
 *  1. The range lies inside what memory hotplug can add here
 *     (mhp_get_pluggable_range()) and inside the CPU's physical address
 *     space (the end of iomem_resource, the physical address width on
 *     x86), else -ERANGE. First, so that no later check walks an
 *     impossible range section by section.
 *  2. It touches nothing in the resource tree that is not memory, else
 *     -EBUSY: see check_iomem().
 *  3. A range the user typed (ranges=) must be memory in firmware's own
 *     map (memory_map.h), else -EINVAL, unless allow_undescribed=1: then
 *     it goes on, with a warning and TAINT_USER. Ranges that came from a
 *     firmware memory description (DT, ACPI, e820) are that map already.
 *
 * The decisions themselves are plain C in range_logic.c, unit-tested on
 * the host; this file gathers the facts and says what it found.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/range.h>
#include <linux/sched.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"
#include "memory_map.h"

static bool allow_undescribed;
module_param(allow_undescribed, bool, 0444);
MODULE_PARM_DESC(allow_undescribed,
		 "Accept ranges= spans that firmware's memory map does not describe as memory (warns, taints the kernel; default: refuse them)");

static struct resource span_res(const struct dax_kmem_span *span)
{
	struct resource res = DEFINE_RES_MEM(span->start, span->size);

	return res;
}

static int check_addressable(struct device *dev,
			     const struct dax_kmem_span *span)
{
	struct range pluggable = mhp_get_pluggable_range(true);
	struct resource whole = span_res(span);
	struct resource limit = {
		.start = pluggable.start,
		.end = pluggable.end,
		.flags = IORESOURCE_MEM,
	};
	u64 cpu_end = iomem_resource.end;

	if (!dax_kmem_span_within(span, pluggable.start, pluggable.end)) {
		dev_err(dev,
			"%pR: outside the range memory hotplug can add here, %pR; check the range's address and size\n",
			&whole, &limit);
		return -ERANGE;
	}
	if (!dax_kmem_span_within(span, 0, cpu_end)) {
		dev_err(dev,
			"%pR: beyond the CPU's physical address space, which ends at %#llx (%d bits); check the range's address and size\n",
			&whole, cpu_end, fls64(cpu_end));
		return -ERANGE;
	}
	return 0;
}

/* ---- the resource tree ---------------------------------------------- */

/*
 * Which resources a range may touch. walk_iomem_res_desc() hands each
 * callback a copy clipped to the range, with flags and desc but no name
 * (the tree's lock is the kernel's own, so a module cannot read names
 * safely); a resource is therefore named by its whole range and by what
 * its descriptor and flags say it is. Three walks, because each one
 * meets only the outermost resource with its flags at any address:
 *
 *  - every resource (IORESOURCE_MEM): mostly what firmware and the PCI
 *    core put at the top, e820 entries and host bridge windows;
 *  - bus windows (IORESOURCE_WINDOW), also where they nest deeper;
 *  - busy resources, at any depth: MMCONFIG, IOAPIC, HPET, a namespace
 *    or dax device that owns a pmem range, anything a driver holds.
 *
 * A range may nest in e820 Reserved, Soft Reserved and Persistent Memory
 * (legacy), or in the resource of the firmware device that described it
 * (an ACPI PRP0001 device, which itself nests under those); it must not
 * touch a bus window, a device's region, ACPI tables or NVS, NFIT pmem,
 * a CXL window or anything busy. System RAM is the core's to refuse, and
 * memory the kernel already has pages for (arm64 no-map memory, which
 * the tree calls "reserved" with no descriptor) is the presence check's.
 * Not seen: a non-busy device resource nested inside a Reserved region
 * that is not a bus window; reserving the range then fails, or nests in it.
 */
struct iomem_walk {
	struct device *dev;
	struct dax_kmem_span span;
	bool typed_by_user;
	unsigned long flags;	/* of this walk */
	/* The first resource the range must not touch, and why. */
	enum dax_kmem_res_verdict verdict;
	struct dax_kmem_res_facts facts;
	struct resource bad;
	/*
	 * Memory that may hold data, unclaimed: said only if nothing worse
	 * turns up, since firmware's pmem and Soft Reserved entries are never
	 * busy themselves, only what a driver put inside (a namespace, a dax
	 * region), and claim= would not make those free.
	 */
	bool holds_data;
	struct dax_kmem_res_facts data_facts;
	struct resource data_region;
};

static enum dax_kmem_res_kind kind_of(const struct resource *res)
{
	if (res->flags & IORESOURCE_SYSRAM)
		return DAX_KMEM_RES_SYSTEM_RAM;
	if (res->flags & IORESOURCE_WINDOW)
		return DAX_KMEM_RES_WINDOW;
	switch (res->desc) {
	case IORES_DESC_RESERVED:
		return DAX_KMEM_RES_RESERVED;
	case IORES_DESC_SOFT_RESERVED:
		return DAX_KMEM_RES_SOFT_RESERVED;
	case IORES_DESC_PERSISTENT_MEMORY_LEGACY:
		return DAX_KMEM_RES_PMEM_LEGACY;
	case IORES_DESC_PERSISTENT_MEMORY:
		return DAX_KMEM_RES_PMEM;
	case IORES_DESC_ACPI_TABLES:
	case IORES_DESC_ACPI_NV_STORAGE:
		return DAX_KMEM_RES_ACPI;
	case IORES_DESC_CXL:
		return DAX_KMEM_RES_CXL;
	default:
		return DAX_KMEM_RES_OTHER;
	}
}

struct whole_walk {
	const struct resource *part;
	struct resource whole;
};

static int note_whole(struct resource *res, void *arg)
{
	struct whole_walk *walk = arg;

	if (res->end < walk->part->start)
		return 0;
	walk->whole.start = res->start;
	walk->whole.end = res->end;
	return 1;
}

/*
 * The whole of the resource of which a walk with @flags met @part: the
 * outermost resource with those flags at @part's addresses. A walk with
 * the same flags over the whole address space meets the outermost ones in
 * order, each unclipped (they do not overlap), and the first that reaches
 * @part is it. (Should the tree change in between, a log line shows a
 * stale range; nothing else depends on it.)
 */
static struct resource whole_of(unsigned long flags,
				const struct resource *part)
{
	struct whole_walk walk = { .part = part, .whole = *part };

	walk_iomem_res_desc(IORES_DESC_NONE, flags, 0, U64_MAX, &walk,
			    note_whole);
	return walk.whole;
}

/* Every section of [@start, @end] present: boot memory or memory added. */
static bool all_present(u64 start, u64 end)
{
	unsigned long nr = pfn_to_section_nr(PHYS_PFN(start));
	unsigned long last = pfn_to_section_nr(PHYS_PFN(end));

	for (; nr <= last; nr++) {
		if (!present_section_nr(nr))
			return false;
		if (!(nr & 1023))
			cond_resched();
	}
	return true;
}

/* The resource of the firmware device (ACPI PRP0001) that described it. */
static bool own_resource(struct device *dev, const struct resource *whole)
{
	struct platform_device *parent;
	unsigned int i;

	if (!dev->parent || !dev_is_platform(dev->parent))
		return false;
	parent = to_platform_device(dev->parent);
	for (i = 0; i < parent->num_resources; i++) {
		const struct resource *res = &parent->resource[i];

		if (resource_type(res) == IORESOURCE_MEM &&
		    res->start == whole->start && res->end == whole->end)
			return true;
	}
	return false;
}

/* @part: the resource clipped to the span; @whole: all of it. */
static int judge_part(struct iomem_walk *walk, const struct resource *part,
		      const struct resource *whole)
{
	u64 last = walk->span.start + (walk->span.size - 1);
	enum dax_kmem_res_kind kind = kind_of(part);
	struct dax_kmem_res_facts facts = {
		.kind = kind,
		.busy = part->flags & IORESOURCE_BUSY,
		.boot_memory = all_present(part->start, part->end),
		.own = own_resource(walk->dev, whole),
		.contains_span = whole->start <= walk->span.start &&
				 whole->end >= last,
		.typed_by_user = walk->typed_by_user,
		.claimed = dax_kmem_claimed(dax_kmem_res_claim_word(kind)),
	};
	enum dax_kmem_res_verdict verdict = dax_kmem_res_verdict(&facts);

	if (verdict == DAX_KMEM_RES_LEAVE || verdict == DAX_KMEM_RES_NEST)
		return 0;
	if (verdict == DAX_KMEM_RES_HOLDS_DATA) {
		if (!walk->holds_data) {
			walk->holds_data = true;
			walk->data_facts = facts;
			walk->data_region = *whole;
		}
		return 0;
	}
	walk->verdict = verdict;
	walk->facts = facts;
	walk->bad = *whole;
	return 1;	/* the first is enough to name */
}

static int judge(struct resource *part, void *arg)
{
	struct iomem_walk *walk = arg;
	struct resource whole = whole_of(walk->flags, part);

	return judge_part(walk, part, &whole);
}

/*
 * A Soft Reserved range from the kernel's tree of them (compat.h), where
 * those no driver owns yet are, and only there: the walk covers the whole
 * tree, so @res is unclipped and the part the span touches is cut here.
 * Owned ones are in iomem too and were judged by the walks before.
 */
static int judge_soft_reserved(struct resource *res, void *arg)
{
	struct iomem_walk *walk = arg;
	struct resource span = span_res(&walk->span), part = *res;

	if (res->end < span.start || res->start > span.end)
		return 0;
	part.start = max(res->start, span.start);
	part.end = min(res->end, span.end);
	return judge_part(walk, &part, res);
}

static int check_iomem(struct device *dev, const struct dax_kmem_span *span,
		       bool typed_by_user)
{
	static const unsigned long walks[] = {
		IORESOURCE_MEM,
		IORESOURCE_MEM | IORESOURCE_WINDOW,
		IORESOURCE_MEM | IORESOURCE_BUSY,
	};
	struct iomem_walk walk = {
		.dev = dev,
		.span = *span,
		.typed_by_user = typed_by_user,
	};
	struct resource whole = span_res(span);
	bool refused = false;
	const char *what;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walks) && !refused; i++) {
		walk.flags = walks[i];
		refused = walk_iomem_res_desc(IORES_DESC_NONE, walk.flags,
					      whole.start, whole.end, &walk,
					      judge) > 0;
	}
	if (!refused)
		refused = dax_kmem_walk_soft_reserve_tree(&walk,
							  judge_soft_reserved) > 0;
	if (!refused) {
		if (!walk.holds_data)
			return 0;
		dev_err(dev,
			"%pR: lies in %pR (%s), which may hold data; a range given by address takes it only when loaded with claim=%s\n",
			&whole, &walk.data_region,
			dax_kmem_res_kind_str(walk.data_facts.kind, false),
			dax_kmem_res_claim_word(walk.data_facts.kind));
		return -EPERM;
	}

	what = dax_kmem_res_kind_str(walk.facts.kind, walk.facts.busy);
	if (walk.verdict == DAX_KMEM_RES_CROSSES)
		dev_err(dev,
			"%pR: runs across the edge of %pR (%s); a range must lie inside such a region or outside it\n",
			&whole, &walk.bad, what);
	else
		dev_err(dev,
			"%pR: overlaps %pR, %s; leave it out of the range (/proc/iomem names its owner)\n",
			&whole, &walk.bad, what);
	return -EBUSY;
}

/* ---- firmware's memory map ------------------------------------------ */

static int check_described(struct device *dev,
			   const struct dax_kmem_span *span)
{
	struct resource whole = span_res(span), hole;
	struct dax_kmem_span gap;
	int covered;

	covered = dax_kmem_memory_map_covers(span, &gap);
	if (covered < 0) {
		dev_err(dev, "%pR: could not read %s (%d)\n", &whole,
			dax_kmem_memory_map_name(), covered);
		return covered;
	}
	if (covered)
		return 0;

	hole = span_res(&gap);
	if (!allow_undescribed) {
		dev_err(dev,
			"%pR: not memory in %s, which leaves out %pR; check the range, or load with allow_undescribed=1 if you know it is memory (taints the kernel)\n",
			&whole, dax_kmem_memory_map_name(), &hole);
		return -EINVAL;
	}
	dev_warn(dev,
		 "%pR: not memory in %s, which leaves out %pR; accepted as allow_undescribed=1 asks, kernel tainted\n",
		 &whole, dax_kmem_memory_map_name(), &hole);
	add_taint(TAINT_USER, LOCKDEP_STILL_OK);
	return 0;
}

int dax_kmem_check_is_memory(struct device *dev, u64 start, u64 size,
			     bool firmware_described)
{
	struct dax_kmem_span span = { .start = start, .size = size };
	int rc;

	rc = check_addressable(dev, &span);
	if (!rc)
		rc = check_iomem(dev, &span, !firmware_described);
	if (!rc && !firmware_described)
		rc = check_described(dev, &span);
	return rc;
}
