/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels we build for (Debian 6.1, 6.12 and 7.x),
 * each behind one small named helper so the logic reads the same on all.
 * The DAX_KMEM_HAVE_* flags come from the header probes in Kbuild.
 */
#ifndef DAX_KMEM_COMPAT_H
#define DAX_KMEM_COMPAT_H

#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/memory-tiers.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
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

/*
 * Memory types: 6.1 drops a reference with destroy_memory_type(), later
 * kernels (6.12 here; the rename came around 6.10) with put_memory_type().
 * Only 6.1 and 6.12 are built and tested.
 */
static inline void dax_kmem_put_memory_type(struct memory_dev_type *mtype)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
	put_memory_type(mtype);
#else
	destroy_memory_type(mtype);
#endif
}

/*
 * The abstract distance firmware (HMAT) gives @nid, or *@adist unchanged.
 * mt_calc_adistance() arrived around 6.7; 6.1 cannot ask.
 */
static inline void dax_kmem_firmware_adistance(int nid, int *adist)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	mt_calc_adistance(nid, adist);
#endif
}

/*
 * Whether a memory notifier @action is the kernel asking to online a
 * block. Since 6.8 MEM_PREPARE_ONLINE comes first, before the block's
 * struct pages are initialised, so a refusal then costs nothing; 6.19
 * dropped it again, and before 6.8 MEM_GOING_ONLINE is the first word.
 * Whether the headers define it is probed (Kbuild), not assumed from the
 * version: since 6.17 the states are an enum, invisible to #ifdef.
 */
static inline bool dax_kmem_is_online_request(unsigned long action)
{
#ifdef DAX_KMEM_HAVE_MEM_PREPARE_ONLINE
	if (action == MEM_PREPARE_ONLINE)
		return true;
#endif
	return action == MEM_GOING_ONLINE;
}

#ifdef CONFIG_X86
#include <asm/e820/api.h>

/*
 * Whether an e820 entry of @type touches [@start, @end). Firmware's own
 * table keeps what mem= hides and what memmap= carved out as the RAM it
 * was; where it is not exported to us (7.x keeps it for KVM) only the
 * kernel's edited copy can be asked, which has no RAM above mem= at all.
 */
#ifdef DAX_KMEM_HAVE_E820_RAW_EXPORT
#define DAX_KMEM_E820_MAP_NAME "firmware's e820 map"
static inline bool dax_kmem_e820_mapped(u64 start, u64 end, enum e820_type type)
{
	return e820__mapped_raw_any(start, end, type);
}
#else
#define DAX_KMEM_E820_MAP_NAME "the kernel's e820 map (firmware's is not exported)"
static inline bool dax_kmem_e820_mapped(u64 start, u64 end, enum e820_type type)
{
	return e820__mapped_any(start, end, type);
}
#endif
#endif /* CONFIG_X86 */

/*
 * Calls @func for every Soft Reserved range firmware described, until it
 * returns non-zero. Since 7.1 the kernel keeps them in a tree of their
 * own, and puts one into iomem_resource only once hmem or CXL owns it;
 * before 7.1 they are all in iomem, and this walks nothing.
 */
static inline int dax_kmem_walk_soft_reserve_tree(void *arg,
						  int (*func)(struct resource *, void *))
{
#ifdef DAX_KMEM_HAVE_SOFT_RESERVE_TREE
	return walk_soft_reserve_res(0, U64_MAX, arg, func);
#else
	return 0;
#endif
}

/*
 * Calls @func for every firmware memory range of kind @desc (an IORES_DESC_*)
 * until it returns non-zero: from that tree for Soft Reserved where there
 * is one, so that ranges nobody owns yet are found too.
 */
static inline int dax_kmem_walk_firmware_ranges(unsigned long desc, void *arg,
						int (*func)(struct resource *, void *))
{
#ifdef DAX_KMEM_HAVE_SOFT_RESERVE_TREE
	if (desc == IORES_DESC_SOFT_RESERVED)
		return dax_kmem_walk_soft_reserve_tree(arg, func);
#endif
	return walk_iomem_res_desc(desc, IORESOURCE_MEM, 0, U64_MAX, arg, func);
}

/*
 * Whether blocks that carry their own memmap can be offlined again. arm64
 * kernels that split kernel leaf mappings on demand (the probe) also refuse
 * to offline a pfn range whose vmemmap edges fall inside a leaf mapping
 * ("splits a leaf entry in vmemmap"), and the part of a block after its own
 * memmap always starts inside one: such a range could never be removed.
 */
static inline bool dax_kmem_memmap_on_range_removable(void)
{
#if defined(CONFIG_ARM64) && defined(DAX_KMEM_HAVE_ARM64_LEAF_SPLIT)
	return false;
#else
	return true;
#endif
}

/*
 * Whether a notifier can refuse an online before the kernel initialises
 * the block's struct pages (MEM_PREPARE_ONLINE). Where it cannot (6.1,
 * and 7.x again), a refused auto-online has already cost one block's
 * memmap initialisation.
 */
static inline bool dax_kmem_refuses_before_memmap(void)
{
#ifdef DAX_KMEM_HAVE_MEM_PREPARE_ONLINE
	return true;
#else
	return false;
#endif
}

/*
 * Marks @dev as one device_offline() must refuse (an ACPI eject), or not.
 * 7.x keeps the device core's flags in a bitmap behind accessors.
 */
static inline void dax_kmem_set_offline_disabled(struct device *dev, bool disabled)
{
#ifdef DAX_KMEM_HAVE_DEV_FLAG_ACCESSORS
	dev_assign_offline_disabled(dev, disabled);
#else
	dev->offline_disabled = disabled;
#endif
}

/*
 * Whether the kernel will place a hot-added block's memmap on the block.
 * Both kernels need memory_hotplug.memmap_on_memory=1 at boot; 6.12 says
 * so through an exported helper, 6.1 only through its (read-only) module
 * parameter, whose sysfs file the caller reads.
 */
/* A "Y"/"1" sysfs flag (hotplug.c reads it the way it writes blocks). */
bool dax_kmem_read_sysfs_flag(const char *path);

/*
 * memory_hotplug.memmap_on_memory as booted. No kernel exports the
 * parameter itself: 6.1 needs it to know whether the memmap may go on the
 * range at all, and every kernel to say why it may not when the helper
 * below says no (the parameter is off, or this block size cannot carry
 * its own memmap).
 */
static inline bool dax_kmem_memmap_on_memory_param(void)
{
	return dax_kmem_read_sysfs_flag("/sys/module/memory_hotplug/parameters/memmap_on_memory");
}

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
static inline bool dax_kmem_memmap_on_memory_enabled(void)
{
	return mhp_supports_memmap_on_memory();
}
#else
static inline bool dax_kmem_memmap_on_memory_enabled(void)
{
	return dax_kmem_memmap_on_memory_param();
}
#endif

#endif /* DAX_KMEM_COMPAT_H */
