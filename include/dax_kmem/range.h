/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The contract between range sources and the core: a source describes a
 * range and registers it; the core alone decides whether and how it becomes
 * memory. A source never calls hotplug APIs.
 */
#ifndef DAX_KMEM_RANGE_H
#define DAX_KMEM_RANGE_H

#include <linux/numa.h>
#include <linux/types.h>

#include "dax_kmem/range_line.h"
#include "dax_kmem/range_logic.h"

struct device;

struct dax_kmem_range_desc {
	u64 start;
	u64 size;
	/* NUMA_NO_NODE when neither the user nor firmware named one. */
	int nid;
	/* Shown in sysfs; a string literal owned by the module. */
	const char *source;
	/* What firmware asks of this range; unset fields take the defaults. */
	struct dax_kmem_policy policy;
	/* Pages firmware or the user know are bad: never handed out. */
	struct dax_kmem_bad_pages bad;
	/*
	 * What described the range (a firmware node, say) and which of its
	 * ranges this is: the same origin and index register only once,
	 * however many times firmware refers to them. NULL: no identity.
	 */
	const void *origin;
	unsigned int origin_index;
	/* The device that found the range, if any; it must outlive it. */
	struct device *parent;
	/*
	 * Read from a firmware memory description (DT, ACPI, e820) rather
	 * than typed by a user: only the latter must also be memory in
	 * firmware's own memory map (memcheck.c).
	 */
	bool firmware_described;
};

/*
 * Registers one platform device for @desc; the driver binds to it at once.
 * Returns 0 even if the range is then refused by the driver: refusing is
 * the driver's decision and is reported on the device, not to the source.
 * -EEXIST: that origin and index are registered already.
 */
int dax_kmem_register_range(const struct dax_kmem_range_desc *desc);

/*
 * For ranges a user asks for at run time (new_range, the descriptor
 * file): registers @desc, then returns the probe's verdict, and a range
 * the probe refused leaves no device behind. On success @name (@len
 * bytes) is the device's name.
 */
int dax_kmem_register_user_range(const struct dax_kmem_range_desc *desc,
				 char *name, size_t len);

/*
 * Unregisters the device @name if a user made it (ranges=, new_range,
 * the descriptor file): -ENODEV when there is none, -EPERM for a
 * firmware range, which goes with its firmware device.
 */
int dax_kmem_unregister_user_range(const char *name);

/* Unregisters, newest first, every range whose parent is @parent. */
void dax_kmem_unregister_children(struct device *parent);

#endif /* DAX_KMEM_RANGE_H */
