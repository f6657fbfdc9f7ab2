// SPDX-License-Identifier: GPL-2.0
/*
 * Memory tiers: the node a range joins gets a memory type of the range's
 * abstract distance, so the kernel puts it in a tier below DRAM and can
 * demote to it, instead of treating slow memory as more DRAM. One type per
 * node, shared by every range on it: set before the node's first block
 * comes online (the tiering code picks a node's tier then), released when
 * its last range is gone.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/memory-tiers.h>
#include <linux/mutex.h>
#include <linux/numa.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

struct node_tier {
	struct memory_dev_type *mtype;
	int adistance;
	unsigned int ranges;
};

static struct node_tier node_tiers[MAX_NUMNODES];
static DEFINE_MUTEX(tier_lock);

/* The range's distance: its policy's, else firmware's (HMAT), else 5x DRAM. */
static int adistance_for(const struct dax_kmem_range *range, int requested)
{
	int adistance = DAX_KMEM_DEFAULT_ADISTANCE;

	if (requested)
		return requested;
	dax_kmem_firmware_adistance(range->desc.nid, &adistance);
	return adistance;
}

int dax_kmem_tier_join(struct dax_kmem_range *range, int requested)
{
	int nid = range->desc.nid, adistance = adistance_for(range, requested);
	struct node_tier *tier = &node_tiers[nid];
	struct memory_dev_type *mtype;
	int rc = 0;

	mutex_lock(&tier_lock);
	if (tier->ranges && tier->adistance != adistance) {
		dev_err(range->dev,
			"node %d is at abstract distance %d for its other ranges; this one asks %d: a node has one tier\n",
			nid, tier->adistance, adistance);
		rc = -EINVAL;
		goto unlock;
	}
	if (!tier->ranges) {
		mtype = alloc_memory_type(adistance);
		if (IS_ERR(mtype)) {
			rc = PTR_ERR(mtype);
			goto unlock;
		}
		tier->mtype = mtype;
		tier->adistance = adistance;
	}
	init_node_memory_type(nid, tier->mtype);
	tier->ranges++;
	range->adistance = adistance;
unlock:
	mutex_unlock(&tier_lock);
	return rc;
}

void dax_kmem_tier_leave(struct dax_kmem_range *range)
{
	int nid = range->desc.nid;
	struct node_tier *tier = &node_tiers[nid];

	mutex_lock(&tier_lock);
	clear_node_memory_type(nid, tier->mtype);
	if (!--tier->ranges) {
		dax_kmem_put_memory_type(tier->mtype);
		tier->mtype = NULL;
	}
	mutex_unlock(&tier_lock);
}
