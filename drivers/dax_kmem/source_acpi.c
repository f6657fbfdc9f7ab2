// SPDX-License-Identifier: GPL-2.0
/*
 * Range source: ACPI. A PRP0001 device whose _DSD compatible is
 * "linux,dax-kmem" (the Device Tree binding's) describes one range per
 * memory descriptor in its _CRS. The node is _PXM's (on the device or a
 * parent), else the one SRAT gives each range; with neither, the range is
 * refused rather than put on node 0. See the ACPI section of
 * Documentation/admin-guide/dax_kmem.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/platform_device.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

static int source_acpi_node(struct device *dev, int pxm_nid, const struct resource *res)
{
	int nid = pxm_nid;

	if (nid == NUMA_NO_NODE)
		nid = dax_kmem_firmware_node(res->start);
	if (nid == NUMA_NO_NODE)
		dev_err(dev, "%pR: no _PXM and no SRAT entry covers it: add _PXM to the device\n",
			res);
	return nid;
}

/* Length of a memory descriptor, or -1 for descriptors of anything else. */
static s64 source_acpi_descriptor_length(struct acpi_resource *ares)
{
	struct acpi_resource_address64 addr;

	switch (ares->type) {
	case ACPI_RESOURCE_TYPE_MEMORY24:
		return ares->data.memory24.address_length;
	case ACPI_RESOURCE_TYPE_MEMORY32:
		return ares->data.memory32.address_length;
	case ACPI_RESOURCE_TYPE_FIXED_MEMORY32:
		return ares->data.fixed_memory32.address_length;
	case ACPI_RESOURCE_TYPE_ADDRESS16:
	case ACPI_RESOURCE_TYPE_ADDRESS32:
	case ACPI_RESOURCE_TYPE_ADDRESS64:
		if (ACPI_FAILURE(acpi_resource_to_address64(ares, &addr)) ||
		    addr.resource_type != ACPI_MEMORY_RANGE)
			return -1;
		return addr.address.address_length;
	default:
		return -1;
	}
}

struct source_acpi_crs_walk {
	struct device *dev;
	unsigned int index;
};

static acpi_status source_acpi_note_zero_length(struct acpi_resource *ares, void *data)
{
	struct source_acpi_crs_walk *walk = data;

	if (source_acpi_descriptor_length(ares) == 0)
		dev_err(walk->dev,
			"_CRS descriptor %u is memory of zero length; skipped\n",
			walk->index);
	walk->index++;
	return AE_OK;
}

/*
 * The ACPI core drops zero-length memory descriptors before they become
 * resources, so look at _CRS itself to say why a range is missing.
 */
static void source_acpi_report_zero_length(struct device *dev)
{
	struct source_acpi_crs_walk walk = { .dev = dev };

	acpi_walk_resources(ACPI_HANDLE(dev), METHOD_NAME__CRS,
			    source_acpi_note_zero_length, &walk);
}

int dax_kmem_acpi_register_device(struct platform_device *pdev)
{
	int pxm_nid = acpi_get_node(ACPI_HANDLE(&pdev->dev));
	struct device *dev = &pdev->dev;
	struct dax_kmem_policy policy;
	unsigned int i, found = 0, memory_entries = 0;
	int rc;

	/* _DSD carries the same policy properties as the DT binding. */
	if (dax_kmem_fw_read_policy(dev_fwnode(dev), NULL, &policy)) {
		dev_err(dev, "device refused for its invalid policy\n");
		return -EINVAL;
	}

	/* With one memory range, every bad page must lie in it. */
	for (i = 0; i < pdev->num_resources; i++)
		if (resource_type(&pdev->resource[i]) == IORESOURCE_MEM)
			memory_entries++;

	for (i = 0; i < pdev->num_resources; i++) {
		struct resource *res = &pdev->resource[i];
		struct dax_kmem_range_desc desc = {
			.source = "acpi",
			.policy = policy,
			.origin = dev_fwnode(dev),
			.origin_index = i,
			.parent = dev,
			.firmware_described = true,
		};

		if (resource_type(res) != IORESOURCE_MEM) {
			dev_info(dev, "_CRS entry %u %pR is not memory; ignored\n",
				 i, res);
			continue;
		}
		if (!resource_size(res) || (res->flags & IORESOURCE_DISABLED)) {
			dev_err(dev, "_CRS entry %u %pR has zero length; skipped\n",
				i, res);
			continue;
		}
		desc.start = res->start;
		desc.size = resource_size(res);
		desc.nid = source_acpi_node(dev, pxm_nid, res);
		if (dax_kmem_fw_read_bad_pages(dev_fwnode(dev), &desc,
					       memory_entries == 1)) {
			dev_err(dev, "_CRS entry %u %pR skipped for its bad-pages\n",
				i, res);
			continue;
		}
		rc = dax_kmem_register_range(&desc);
		if (!rc || rc == -EEXIST)
			found++;
	}
	source_acpi_report_zero_length(dev);
	if (!found) {
		dev_err(dev, "_CRS describes no usable memory range; device refused\n");
		return -EINVAL;
	}
	return 0;
}
