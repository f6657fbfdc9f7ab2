// SPDX-License-Identifier: GPL-2.0
/*
 * The driver of firmware devices that describe ranges: a Device Tree
 * node, or an ACPI PRP0001 device carrying the same compatible in _DSD.
 * Binding one registers one range device per range it describes;
 * unbinding it unregisters them, and their memory goes (or, if it is in
 * use, stays with the state machine until it can). It is a driver of its
 * own, so a range device can never be mistaken for a firmware device or
 * the other way round.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

#define DAX_KMEM_COMPATIBLE "linux,dax-kmem"

const struct of_device_id dax_kmem_fw_match[] = {
	{ .compatible = DAX_KMEM_COMPATIBLE },
	{ }
};
MODULE_DEVICE_TABLE(of, dax_kmem_fw_match);

static int dax_kmem_fw_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int rc = -ENODEV;

	/* driver_override can point any device here: only ours describe ranges. */
	if (device_property_match_string(dev, "compatible",
					 DAX_KMEM_COMPATIBLE) < 0) {
		dev_warn(dev, "not compatible with " DAX_KMEM_COMPATIBLE "\n");
		return -ENODEV;
	}
	if (dev->of_node)
		rc = dax_kmem_of_register_node(dev->of_node, dev);
	else if (has_acpi_companion(dev))
		rc = dax_kmem_acpi_register_device(pdev);
	else
		dev_err(dev, "no firmware node describes a range here\n");
	/*
	 * A platform device cannot say no to device_offline(), so an ACPI
	 * eject would take the memory away under its ranges: refuse it while
	 * bound (unbind this device first, which removes the ranges).
	 */
	if (!rc)
		dax_kmem_set_offline_disabled(dev, true);
	return rc;
}

static void dax_kmem_fw_remove(struct platform_device *pdev)
{
	dax_kmem_set_offline_disabled(&pdev->dev, false);
	dax_kmem_unregister_children(&pdev->dev);
}

static struct platform_driver dax_kmem_fw_driver = {
	.probe = dax_kmem_fw_probe,
	DAX_KMEM_PLATFORM_REMOVE(dax_kmem_fw_remove),
	.driver = {
		.name = DAX_KMEM_FW_DRV_NAME,
		/* Not of_match_ptr(): ACPI PRP0001 matching needs it without OF. */
		.of_match_table = dax_kmem_fw_match,
	},
};

int dax_kmem_fw_driver_init(void)
{
	return platform_driver_register(&dax_kmem_fw_driver);
}

void dax_kmem_fw_driver_exit(void)
{
	platform_driver_unregister(&dax_kmem_fw_driver);
}
