// SPDX-License-Identifier: GPL-2.0
/*
 * dax_kmem: hot-add memory ranges that firmware, Device Tree or the admin
 * describe as System RAM on their own NUMA node, without libnvdimm or
 * device-dax. See Documentation/admin-guide/dax_kmem.rst.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "dax_kmem.h"

static int __init dax_kmem_init(void)
{
	int rc;

	/*
	 * claim= first, parsing only: every check of a range, from the first
	 * firmware device or run-time write on, asks it.
	 */
	dax_kmem_claims_init();
	rc = dax_kmem_hotplug_init();
	if (rc)
		return rc;
	rc = dax_kmem_sm_init();
	if (rc)
		goto hotplug_exit;
	/* Range devices before the firmware devices that register them. */
	rc = dax_kmem_range_driver_init();
	if (rc)
		goto sm_exit;
	rc = dax_kmem_fw_driver_init();
	if (rc)
		goto range_driver_exit;
	/* Each device a source registers is checked at once, added later. */
	dax_kmem_param_source_init();
	dax_kmem_file_source_init();
	dax_kmem_firmware_source_init();
	dax_kmem_reserved_memory_source_init();
	return 0;

range_driver_exit:
	dax_kmem_range_driver_exit();
sm_exit:
	dax_kmem_sm_exit();
hotplug_exit:
	dax_kmem_hotplug_exit();
	return rc;
}
module_init(dax_kmem_init);

static void __exit dax_kmem_exit(void)
{
	dax_kmem_fw_driver_exit();
	dax_kmem_unregister_all();
	dax_kmem_range_driver_exit();
	/* Waits until each range's memory is removed, or has failed to be. */
	dax_kmem_sm_exit();
	dax_kmem_tiers_exit();
	dax_kmem_hotplug_exit();
}
module_exit(dax_kmem_exit);

MODULE_DESCRIPTION("Hot-add firmware and Device Tree memory ranges as System RAM");
MODULE_LICENSE("GPL");
MODULE_VERSION(DAX_KMEM_VERSION);
