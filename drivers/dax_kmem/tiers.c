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
#include <linux/nodemask.h>
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
static int tiers_adistance_for(const struct dax_kmem_range *range, int requested)
{
	int adistance = DAX_KMEM_DEFAULT_ADISTANCE;

	if (requested)
		return requested;
	dax_kmem_firmware_adistance(range->desc.nid, &adistance);
	return adistance;
}

static void tiers_set_adistance(struct dax_kmem_range *range, int adistance)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->adistance = adistance;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Probe's early word on what dax_kmem_tier_join() would refuse: a node
 * has one tier, so all of dax_kmem's ranges on it share one distance.
 */
int dax_kmem_tier_check(struct dax_kmem_range *range, struct device *dev,
			int requested)
{
	int nid = range->desc.nid, adistance = tiers_adistance_for(range, requested);
	struct node_tier *tier = &node_tiers[nid];
	int rc = 0;

	mutex_lock(&tier_lock);
	if (tier->ranges && tier->adistance != adistance) {
		dev_err(dev,
			"node %d is at abstract distance %d for its other ranges; this one asks %d: a node has one tier\n",
			nid, tier->adistance, adistance);
		rc = -EINVAL;
	}
	mutex_unlock(&tier_lock);
	return rc;
}

/*
 * init_node_memory_type() quietly keeps a type the node already has (boot
 * DRAM, or another driver's, such as kmem's), and clearing a type the
 * node does not have frees or dereferences what is not ours. A node that
 * has memory has a type: join only a memoryless node, or one whose type
 * dax_kmem set, and leave only what was joined.
 */
int dax_kmem_tier_join(struct dax_kmem_range *range, int requested)
{
	int nid = range->desc.nid, adistance = tiers_adistance_for(range, requested);
	struct node_tier *tier = &node_tiers[nid];
	struct memory_dev_type *mtype;
	int rc = 0;

	mutex_lock(&tier_lock);
	if (!tier->ranges && node_state(nid, N_MEMORY)) {
		range_info(range,
			   "node %d already has memory and so a memory tier: it keeps it (abstract distance %d not applied)\n",
			   nid, adistance);
		tiers_set_adistance(range, -1);
		goto unlock;
	}
	if (tier->ranges && tier->adistance != adistance) {
		range_err(range,
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
	tiers_set_adistance(range, adistance);
	mutex_lock(&dax_kmem_sm_lock);
	range->tier_joined = true;
	range->tier_ours = 0;
	mutex_unlock(&dax_kmem_sm_lock);
unlock:
	mutex_unlock(&tier_lock);
	return rc;
}

/*
 * Whether the node's tier really is ours can only be seen once it has
 * memory online: the tiering code then lists the node in the type it
 * uses. Called by the worker after each add or change.
 */
void dax_kmem_tier_seen_online(struct dax_kmem_range *range)
{
	int nid = range->desc.nid, ours;

	if (!range->tier_joined || range->tier_ours ||
	    !node_state(nid, N_MEMORY))
		return;
	mutex_lock(&tier_lock);
	ours = node_isset(nid, node_tiers[nid].mtype->nodes) ? 1 : -1;
	mutex_unlock(&tier_lock);
	if (ours < 0)
		range_info(range, "node %d kept the memory tier another driver gave it: abstract distance %d not applied\n",
			   nid, range->adistance);
	mutex_lock(&dax_kmem_sm_lock);
	range->tier_ours = ours;
	if (ours < 0)
		range->adistance = -1;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Clears the node's type only where it was seen to be ours: a node whose
 * type is someone else's, or was never seen online, keeps what it has
 * (our type then stays referenced by the node, never freed under it).
 */
void dax_kmem_tier_leave(struct dax_kmem_range *range)
{
	int nid = range->desc.nid;
	struct node_tier *tier = &node_tiers[nid];

	/* Not joined: the node had memory (and a tier), or the join failed. */
	if (!range->tier_joined)
		return;
	mutex_lock(&tier_lock);
	if (range->tier_ours > 0)
		clear_node_memory_type(nid, tier->mtype);
	if (!--tier->ranges) {
		dax_kmem_put_memory_type(tier->mtype);
		tier->mtype = NULL;
	}
	mutex_unlock(&tier_lock);
	mutex_lock(&dax_kmem_sm_lock);
	range->adistance = 0;
	range->tier_joined = false;
	range->tier_ours = 0;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * At unload, after every range is removed or left in place: the types
 * still held are those of nodes whose ranges stay System RAM until
 * reboot. The reference dax_kmem took at alloc_memory_type() lives only
 * in this module's node_tiers[], so drop it now; a node using the type
 * holds its own reference (init_node_memory_type()) and keeps it.
 */
void dax_kmem_tiers_exit(void)
{
	int nid;

	mutex_lock(&tier_lock);
	for (nid = 0; nid < MAX_NUMNODES; nid++) {
		struct node_tier *tier = &node_tiers[nid];

		if (!tier->mtype)
			continue;
		dax_kmem_put_memory_type(tier->mtype);
		tier->mtype = NULL;
		tier->ranges = 0;
	}
	mutex_unlock(&tier_lock);
}
