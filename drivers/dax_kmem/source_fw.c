// SPDX-License-Identifier: GPL-2.0
/*
 * Firmware devices that describe ranges: a Device Tree node, or an ACPI
 * PRP0001 device carrying the same compatible in _DSD. The driver binds to
 * such a device like to any other and registers one range device per range
 * it describes; unbinding it takes those ranges away again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>

#include "dax_kmem.h"

const struct of_device_id dax_kmem_fw_match[] = {
	{ .compatible = "linux,dax-kmem" },
	{ }
};
MODULE_DEVICE_TABLE(of, dax_kmem_fw_match);

int dax_kmem_fw_probe(struct platform_device *pdev)
{
	struct device_node *np = pdev->dev.of_node;

	if (np)
		return dax_kmem_of_register_node(np, &pdev->dev);
	if (has_acpi_companion(&pdev->dev))
		return dax_kmem_acpi_register_device(pdev);
	dev_err(&pdev->dev, "no firmware node describes a range here\n");
	return -ENODEV;
}

void dax_kmem_fw_remove(struct platform_device *pdev)
{
	dax_kmem_unregister_children(&pdev->dev);
}
