// SPDX-License-Identifier: GPL-2.0
/*
 * Range source: x86 firmware memory that the boot kernel left alone.
 *
 *  - "Persistent Memory (legacy)": e820 type 12, or memmap=SIZE!START.
 *  - "Soft Reserved": EFI_MEMORY_SP, or memmap=SIZE%START-1+0xefffffff.
 *
 * Either may hold data someone wants to keep, so nothing is claimed unless
 * claim= names the kind, and a range another driver (nd_e820/nd_pmem,
 * dax_hmem, ...) already owns is skipped with a message, never taken.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

#define MAX_FIRMWARE_RANGES 64

static char *claim;
module_param(claim, charp, 0444);
MODULE_PARM_DESC(claim,
		 "Firmware ranges to hot-add (they may hold data): legacy-pmem,soft-reserved");

struct firmware_kind {
	const char *word;	/* as written in claim= and shown as source */
	const char *iomem_name;	/* for messages */
	unsigned long desc;
	/* Platform device whose driver owns every range of this kind. */
	const char *owner_device;
};

static const struct firmware_kind kinds[] = {
	{ "legacy-pmem", "Persistent Memory (legacy)",
	  IORES_DESC_PERSISTENT_MEMORY_LEGACY, "e820_pmem" },
	{ "soft-reserved", "Soft Reserved", IORES_DESC_SOFT_RESERVED, NULL },
};

struct found_ranges {
	unsigned int count;
	bool overflow;
	struct dax_kmem_span spans[MAX_FIRMWARE_RANGES];
};

static int collect(struct resource *res, void *arg)
{
	struct found_ranges *found = arg;
	struct dax_kmem_span span = {
		.start = res->start,
		.size = resource_size(res),
	};

	if (found->count == MAX_FIRMWARE_RANGES) {
		found->overflow = true;
		return 1;
	}
	found->spans[found->count++] = span;
	return 0;
}

static int note_busy(struct resource *res, void *arg)
{
	*(struct resource *)arg = *res;
	return 1;
}

struct owner_query {
	struct dax_kmem_span span;
	struct device *owner;
	char driver[32];	/* the owner's driver, when it was found */
};

/*
 * The name of the driver bound to @dev into @name, or false if none. The
 * device lock keeps the driver from unbinding (and its module from going)
 * while its name is read.
 */
static bool bound_driver_name(struct device *dev, char *name, size_t len)
{
	bool bound;

	device_lock(dev);
	bound = dev->driver;
	if (bound)
		strscpy(name, dev->driver->name, len);
	device_unlock(dev);
	return bound;
}

/* Whether one of @pdev's memory resources (or its hmem range) overlaps. */
static bool device_covers(struct platform_device *pdev,
			  const struct dax_kmem_span *span)
{
	struct dax_kmem_span hmem;
	unsigned int i;

	for (i = 0; i < pdev->num_resources; i++) {
		struct resource *res = &pdev->resource[i];
		struct dax_kmem_span theirs = {
			.start = res->start,
			.size = resource_size(res),
		};

		if (resource_type(res) == IORESOURCE_MEM &&
		    dax_kmem_spans_overlap(span, &theirs))
			return true;
	}
	return dax_kmem_hmem_device_range(pdev, &hmem.start, &hmem.size) &&
	       dax_kmem_spans_overlap(span, &hmem);
}

/*
 * A bound platform device whose memory covers part of the span. Only
 * such devices are locked to read their driver: dax_kmem's own drivers
 * (ranges, firmware devices) own nothing here.
 */
static int match_bound_owner(struct device *dev, void *arg)
{
	struct owner_query *query = arg;

	if (!device_covers(to_platform_device(dev), &query->span) ||
	    !bound_driver_name(dev, query->driver, sizeof(query->driver)) ||
	    !strncmp(query->driver, DAX_KMEM_DRV_NAME, strlen(DAX_KMEM_DRV_NAME)))
		return 0;
	query->owner = get_device(dev);
	return 1;
}

static bool owned_elsewhere(const struct firmware_kind *kind,
			    const struct dax_kmem_span *span)
{
	struct owner_query query = { .span = *span };
	struct dax_kmem_span theirs;
	char range_name[32];
	struct resource busy = {};
	struct device *dev;
	bool owned = false;

	/*
	 * A range of ours inside it (a ranges= item, probed by now): its
	 * reservation is not busy until the worker has added the memory, so
	 * the walk of busy resources below may not see it yet.
	 */
	if (dax_kmem_sm_span_taken(NULL, span, &theirs, range_name,
				   sizeof(range_name))) {
		pr_info("%s [mem %#010llx-%#010llx] skipped: part of it is %s [mem %#010llx-%#010llx]\n",
			kind->iomem_name, span->start,
			span->start + span->size - 1, range_name, theirs.start,
			theirs.start + theirs.size - 1);
		return true;
	}
	if (kind->owner_device) {
		dev = bus_find_device_by_name(&platform_bus_type, NULL,
					      kind->owner_device);
		if (dev && bound_driver_name(dev, query.driver,
					     sizeof(query.driver))) {
			pr_info("%s [mem %#010llx-%#010llx] skipped: owned by %s (driver %s)\n",
				kind->iomem_name, span->start,
				span->start + span->size - 1, dev_name(dev),
				query.driver);
			owned = true;
		}
		put_device(dev);
		if (owned)
			return true;
	}
	bus_for_each_dev(&platform_bus_type, NULL, &query, match_bound_owner);
	if (query.owner) {
		pr_info("%s [mem %#010llx-%#010llx] skipped: owned by %s (driver %s)\n",
			kind->iomem_name, span->start,
			span->start + span->size - 1, dev_name(query.owner),
			query.driver);
		put_device(query.owner);
		return true;
	}
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_MEM | IORESOURCE_BUSY, span->start,
				span->start + span->size - 1, &busy,
				note_busy) > 0) {
		pr_info("%s [mem %#010llx-%#010llx] skipped: %pR is already in use (see /proc/iomem)\n",
			kind->iomem_name, span->start,
			span->start + span->size - 1, &busy);
		return true;
	}
	return false;
}

static void claim_kind(const struct firmware_kind *kind)
{
	struct found_ranges *found;
	unsigned int i;

	found = kzalloc(sizeof(*found), GFP_KERNEL);
	if (!found)
		return;	/* the allocator has said why */
	/* Collect first: probing nests resources that carry the same desc. */
	dax_kmem_walk_firmware_ranges(kind->desc, found, collect);
	if (found->overflow)
		pr_warn("claim=%s: more than %d ranges, the rest ignored\n",
			kind->word, MAX_FIRMWARE_RANGES);
	if (!found->count)
		pr_info("claim=%s: firmware describes no %s range\n",
			kind->word, kind->iomem_name);

	for (i = 0; i < found->count; i++) {
		const struct dax_kmem_span *span = &found->spans[i];
		struct dax_kmem_range_desc desc = {
			.start = span->start,
			.size = span->size,
			.nid = dax_kmem_firmware_node(span->start),
			.source = kind->word,
			.firmware_described = true,
		};

		/* A device's resource wrapping a firmware one repeats it. */
		if (i && dax_kmem_spans_overlap(span, &found->spans[i - 1]))
			continue;
		if (owned_elsewhere(kind, span))
			continue;
		dax_kmem_register_range(&desc);
	}
	kfree(found);
}

/* Bit i: kinds[i] is named in claim=. Set first thing at init, then read-only. */
static unsigned long claimed_kinds;

static void claim_word(const char *word, unsigned int index)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		if (!strcmp(word, kinds[i].word)) {
			__set_bit(i, &claimed_kinds);
			return;
		}
	}
	pr_err("claim=: unknown kind \"%s\" (known: legacy-pmem, soft-reserved); ignored\n",
	       word);
}

void dax_kmem_claims_init(void)
{
	dax_kmem_split_items(claim, claim_word);
}

bool dax_kmem_claimed(const char *claim_word)
{
	unsigned int i;

	if (!claim_word)
		return false;
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (test_bit(i, &claimed_kinds) &&
		    !strcmp(claim_word, kinds[i].word))
			return true;
	return false;
}

void dax_kmem_firmware_source_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (test_bit(i, &claimed_kinds))
			claim_kind(&kinds[i]);
}
