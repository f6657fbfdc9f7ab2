// SPDX-License-Identifier: GPL-2.0
/*
 * The driver of range devices: binding one asks the state machine for
 * its memory, unbinding asks for its removal. Neither waits for the
 * memory: the state machine's worker adds and removes it, and the
 * device's state attribute (pollable, with a change uevent) says when it
 * is done. The driver never knows which source made the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/platform_device.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

static int dax_kmem_range_probe(struct platform_device *pdev)
{
	struct dax_kmem_range *range;
	int rc;

	/* driver_override can point any device here: take only our own. */
	range = dax_kmem_sm_find(&pdev->dev);
	if (!range) {
		dev_warn(&pdev->dev, "not a dax_kmem range device\n");
		return -ENODEV;
	}
	rc = dax_kmem_sm_bind(range, &pdev->dev);
	dax_kmem_range_put(range);
	return rc;
}

/* Cannot fail, and does not wait: the removal is the worker's. */
static void dax_kmem_range_remove(struct platform_device *pdev)
{
	struct dax_kmem_range *range = dax_kmem_sm_find(&pdev->dev);

	if (!range)
		return;
	dax_kmem_sm_unbind(range);
	dax_kmem_range_put(range);
}

static ssize_t orphans_show(struct device_driver *drv, char *buf)
{
	return dax_kmem_sm_show_orphans(buf);
}

/* Physical addresses: root only, as each range's own range file. */
static struct driver_attribute driver_attr_orphans =
	__ATTR_RO_MODE(orphans, 0400);

static struct attribute *dax_kmem_driver_attrs[] = {
	&driver_attr_orphans.attr,
	&driver_attr_new_range.attr,
	&driver_attr_remove_range.attr,
	&driver_attr_load_ranges.attr,
	NULL
};
ATTRIBUTE_GROUPS(dax_kmem_driver);

static struct platform_driver dax_kmem_range_driver = {
	.probe = dax_kmem_range_probe,
	DAX_KMEM_PLATFORM_REMOVE(dax_kmem_range_remove),
	.driver = {
		.name = DAX_KMEM_DRV_NAME,
		.groups = dax_kmem_driver_groups,
	},
};

int dax_kmem_range_driver_init(void)
{
	return platform_driver_register(&dax_kmem_range_driver);
}

void dax_kmem_range_driver_exit(void)
{
	platform_driver_unregister(&dax_kmem_range_driver);
}
