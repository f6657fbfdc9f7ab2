// SPDX-License-Identifier: GPL-2.0
/*
 * Range devices: the one place sources turn a descriptor into a platform
 * device, and the module takes them all down again on unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "dax_kmem.h"

static DEFINE_MUTEX(registry_lock);
static LIST_HEAD(registered_ranges);
static DEFINE_IDA(range_ids);

/* Caller holds registry_lock. */
static bool origin_registered(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range *range;

	if (!desc->origin)
		return false;
	list_for_each_entry(range, &registered_ranges, registered)
		if (range->desc.origin == desc->origin &&
		    range->desc.origin_index == desc->origin_index)
			return true;
	return false;
}

int dax_kmem_register_range(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range template = { .desc = *desc };
	struct platform_device *pdev;
	struct dax_kmem_range *range;
	int id, rc;

	/*
	 * Held across registration so two sources racing on one origin
	 * cannot both pass the check; probing does not take this lock.
	 */
	mutex_lock(&registry_lock);
	if (origin_registered(desc)) {
		mutex_unlock(&registry_lock);
		return -EEXIST;
	}
	id = ida_alloc(&range_ids, GFP_KERNEL);
	if (id < 0) {
		rc = id;
		goto unlock;
	}
	pdev = platform_device_alloc(DAX_KMEM_DRV_NAME, id);
	if (!pdev) {
		rc = -ENOMEM;
		goto free_id;
	}
	/* Device-lifetime state, not driver data: see struct dax_kmem_range. */
	rc = platform_device_add_data(pdev, &template, sizeof(template));
	if (rc)
		goto put;
	range = dax_kmem_range_of(&pdev->dev);
	range->dev = &pdev->dev;
	INIT_LIST_HEAD(&range->claimed);
	/* Attributes belong to the device, so they still speak after unbind. */
	pdev->dev.groups = dax_kmem_range_groups;
	pdev->dev.parent = desc->parent;
	if (desc->nid >= 0 && desc->nid < MAX_NUMNODES && node_possible(desc->nid))
		set_dev_node(&pdev->dev, desc->nid);

	list_add_tail(&range->registered, &registered_ranges);
	rc = platform_device_add(pdev);
	if (rc) {
		list_del(&range->registered);
		goto put;
	}
	mutex_unlock(&registry_lock);
	return 0;

put:
	platform_device_put(pdev);
free_id:
	ida_free(&range_ids, id);
unlock:
	mutex_unlock(&registry_lock);
	pr_err("could not register a device for [mem %#010llx-%#010llx] from %s (%d)\n",
	       desc->start, desc->start + desc->size - 1, desc->source, rc);
	return rc;
}

/* The newest range with @parent (any range when @all), off the list. */
static struct dax_kmem_range *take_newest(struct device *parent, bool all)
{
	struct dax_kmem_range *range, *found = NULL;

	mutex_lock(&registry_lock);
	list_for_each_entry_reverse(range, &registered_ranges, registered) {
		if (all || range->desc.parent == parent) {
			found = range;
			list_del(&found->registered);
			break;
		}
	}
	mutex_unlock(&registry_lock);
	return found;
}

/* Newest first, so ranges go away in the reverse order they came. */
static void unregister_matching(struct device *parent, bool all)
{
	struct dax_kmem_range *range;
	struct platform_device *pdev;
	int id;

	while ((range = take_newest(parent, all))) {
		pdev = to_platform_device(range->dev);
		id = pdev->id;
		/* Unbinds (removing the memory), then frees @range with it. */
		platform_device_unregister(pdev);
		ida_free(&range_ids, id);
	}
}

void dax_kmem_unregister_children(struct device *parent)
{
	unregister_matching(parent, false);
}

void dax_kmem_unregister_all(void)
{
	unregister_matching(NULL, true);
}
