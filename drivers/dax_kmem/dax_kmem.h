/* SPDX-License-Identifier: GPL-2.0 */
/* Definitions private to the module's own files. */
#ifndef DAX_KMEM_INTERNAL_H
#define DAX_KMEM_INTERNAL_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include <linux/memory-tiers.h>

#include "dax_kmem/range.h"
#include "dax_kmem/range_logic.h"

#define DAX_KMEM_DRV_NAME "dax_kmem"

enum dax_kmem_state {
	DAX_KMEM_ABSENT,	/* nothing added: never bound, or removed */
	DAX_KMEM_ADDED,		/* added; every block in state online_now */
	DAX_KMEM_REFUSED,	/* the last probe refused the range */
	DAX_KMEM_REMOVE_FAILED,	/* unbound, but the memory is still in use */
};

/* Five times DRAM's distance: a tier of its own, below DRAM (as kmem does). */
#define DAX_KMEM_DEFAULT_ADISTANCE (MEMTIER_ADISTANCE_DRAM * 5)

/*
 * One per range device, stored as its platform data so that it lives as
 * long as the device, not the binding: a removal that fails must leave the
 * facts about memory still in use where the next bind can find them.
 */
struct dax_kmem_range {
	struct dax_kmem_range_desc desc;
	struct device *dev;
	struct list_head registered;	/* registry.c, module lifetime */
	struct list_head claimed;	/* core.c, while the span is held */

	/* Written under dax_kmem_state_lock; read by sysfs. */
	enum dax_kmem_state state;
	int last_error;
	struct dax_kmem_aligned aligned;
	u64 block_size;
	/* What sysfs writes asked; the highest-precedence policy source. */
	struct dax_kmem_policy sysfs_policy;
	/* While added: the state every block is in, and how it was added. */
	enum dax_kmem_online_type online_now;
	bool memmap_on_range;
	int mgid;
	int adistance;
	/*
	 * The resource tree and add_memory_driver_managed() keep these name
	 * pointers for as long as the memory exists: kmalloc'd, never module
	 * rodata or the device's own name, so they can outlive both.
	 */
	struct resource *reservation;
	const char *reservation_name;
	const char *ram_name;
};

extern struct mutex dax_kmem_state_lock;
extern const struct attribute_group *dax_kmem_range_groups[];

static inline struct dax_kmem_range *dax_kmem_range_of(struct device *dev)
{
	return dev_get_platdata(dev);
}

/* hotplug.c */
int dax_kmem_hotplug_init(void);
void dax_kmem_hotplug_exit(void);
int dax_kmem_add_memory(struct dax_kmem_range *range,
			enum dax_kmem_online_type target, bool *still_added);
int dax_kmem_set_online_type(struct dax_kmem_range *range,
			     enum dax_kmem_online_type target);
int dax_kmem_remove_memory(struct dax_kmem_range *range);

/* tiers.c */
int dax_kmem_tier_join(struct dax_kmem_range *range, int requested);
void dax_kmem_tier_leave(struct dax_kmem_range *range);

/* policy.c */
struct dax_kmem_policy dax_kmem_policy_of(const struct dax_kmem_range *range);
int dax_kmem_fw_read_policy(struct fwnode_handle *fwnode,
			    struct fwnode_handle *fallback,
			    struct dax_kmem_policy *policy);

/* Bytes of DRAM, and of the range, that the range's struct pages take. */
u64 dax_kmem_memmap_dram_bytes(const struct dax_kmem_range *range);
u64 dax_kmem_memmap_range_bytes(const struct dax_kmem_range *range);

/*
 * memcheck.c: 0 when [@start, @start + @size) can be memory at all, else
 * a precise errno with one log line on @dev. @firmware_described: the
 * range came from a firmware memory description, not free-form input.
 */
int dax_kmem_check_is_memory(struct device *dev, u64 start, u64 size,
			     bool firmware_described);

/* core.c */
int dax_kmem_driver_init(void);
void dax_kmem_driver_exit(void);
void dax_kmem_begin_unload(void);

/* registry.c */
void dax_kmem_unregister_all(void);

/* source_fw.c: firmware devices (DT, ACPI) that describe ranges. */
extern const struct of_device_id dax_kmem_fw_match[];
int dax_kmem_fw_probe(struct platform_device *pdev);
void dax_kmem_fw_remove(struct platform_device *pdev);

#ifdef CONFIG_OF
/* source_of.c */
int dax_kmem_of_register_node(struct device_node *np, struct device *parent);
void dax_kmem_reserved_memory_source_init(void);
#else
static inline int dax_kmem_of_register_node(struct device_node *np,
					    struct device *parent)
{
	return -ENODEV;
}

static inline void dax_kmem_reserved_memory_source_init(void) { }
#endif

#ifdef CONFIG_ACPI
/* source_acpi.c */
int dax_kmem_acpi_register_device(struct platform_device *pdev);
#else
static inline int dax_kmem_acpi_register_device(struct platform_device *pdev)
{
	return -ENODEV;
}
#endif

/* Range sources: each registers what it finds, or nothing. */
void dax_kmem_param_source_init(void);
/* Calls @fn for each trimmed item of a comma-separated parameter, from 1. */
typedef void (*dax_kmem_item_fn)(const char *item, unsigned int index);
void dax_kmem_split_items(const char *list, dax_kmem_item_fn fn);
#ifdef CONFIG_X86
void dax_kmem_firmware_source_init(void);
#else
static inline void dax_kmem_firmware_source_init(void) { }
#endif

#endif /* DAX_KMEM_INTERNAL_H */
