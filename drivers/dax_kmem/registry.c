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

int dax_kmem_register_range(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range template = { .desc = *desc };
	struct platform_device *pdev;
	struct dax_kmem_range *range;
	int id, rc;

	id = ida_alloc(&range_ids, GFP_KERNEL);
	if (id < 0)
		return id;
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
	if (desc->nid >= 0 && desc->nid < MAX_NUMNODES && node_possible(desc->nid))
		set_dev_node(&pdev->dev, desc->nid);

	mutex_lock(&registry_lock);
	list_add_tail(&range->registered, &registered_ranges);
	mutex_unlock(&registry_lock);

	rc = platform_device_add(pdev);
	if (rc) {
		mutex_lock(&registry_lock);
		list_del(&range->registered);
		mutex_unlock(&registry_lock);
		goto put;
	}
	return 0;

put:
	platform_device_put(pdev);
free_id:
	ida_free(&range_ids, id);
	pr_err("could not register a device for [mem %#010llx-%#010llx] from %s (%d)\n",
	       desc->start, desc->start + desc->size - 1, desc->source, rc);
	return rc;
}

/* Newest first, so ranges go away in the reverse order they came. */
void dax_kmem_unregister_all(void)
{
	struct dax_kmem_range *range;
	struct platform_device *pdev;
	int id;

	for (;;) {
		mutex_lock(&registry_lock);
		range = NULL;
		if (!list_empty(&registered_ranges)) {
			range = list_last_entry(&registered_ranges,
						struct dax_kmem_range,
						registered);
			list_del(&range->registered);
		}
		mutex_unlock(&registry_lock);
		if (!range)
			break;
		pdev = to_platform_device(range->dev);
		id = pdev->id;
		/* Unbinds (removing the memory), then frees @range with it. */
		platform_device_unregister(pdev);
		ida_free(&range_ids, id);
	}
}
