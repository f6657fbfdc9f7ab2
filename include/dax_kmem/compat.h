/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels we build for (Debian 6.1 and 6.12), each
 * behind one small named helper so the logic reads the same on both.
 */
#ifndef DAX_KMEM_COMPAT_H
#define DAX_KMEM_COMPAT_H

#include <linux/memregion.h>
#include <linux/numa.h>
#include <linux/platform_device.h>
#include <linux/range.h>
#include <linux/string.h>
#include <linux/version.h>

/* 6.11 turned platform_driver.remove into the void callback remove_new was. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define DAX_KMEM_PLATFORM_REMOVE(fn) .remove = (fn)
#else
#define DAX_KMEM_PLATFORM_REMOVE(fn) .remove_new = (fn)
#endif

/*
 * The node firmware (SRAT) gives a physical address, or NUMA_NO_NODE.
 * Only x86 answers from firmware tables; the generic fallback elsewhere
 * returns node 0 with a note, which is exactly the guess we must not make.
 */
static inline int dax_kmem_firmware_node(u64 start)
{
#ifdef CONFIG_X86
	return phys_to_target_node(start);
#else
	return NUMA_NO_NODE;
#endif
}

/*
 * The range a dax_hmem "hmem" device stands for. 6.1 gives it as the
 * device's memory resource (found by the generic resource walk, so false
 * here); since 6.3 the device has no resource and carries the range in its
 * struct memregion_info platform data instead.
 */
static inline bool dax_kmem_hmem_device_range(struct platform_device *pdev,
					      u64 *start, u64 *size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	const struct memregion_info *info = dev_get_platdata(&pdev->dev);

	if (strcmp(pdev->name, "hmem") || !info)
		return false;
	*start = info->range.start;
	*size = range_len(&info->range);
	return true;
#else
	return false;
#endif
}

#endif /* DAX_KMEM_COMPAT_H */
