/* SPDX-License-Identifier: GPL-2.0 */
/* Definitions private to the module's own files. */
#ifndef DAX_KMEM_INTERNAL_H
#define DAX_KMEM_INTERNAL_H

#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mod_devicetable.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include <linux/memory-tiers.h>

#include "dax_kmem/range.h"
#include "dax_kmem/range_logic.h"

#define DAX_KMEM_DRV_NAME "dax_kmem"
#define DAX_KMEM_FW_DRV_NAME "dax_kmem_fw"

/* The states of a range; state_machine.c lists the transitions. */
enum dax_kmem_state {
	DAX_KMEM_ABSENT,	/* nothing added: never bound, or removed */
	DAX_KMEM_REFUSED,	/* the last bind refused the range */
	DAX_KMEM_CHECKING,	/* probe claimed the span and checks it */
	DAX_KMEM_ADDING,	/* bound and reserved; the worker adds it */
	DAX_KMEM_ADD_FAILED,	/* the add failed; nothing is held */
	DAX_KMEM_ADDED,		/* memory present; blocks as the kernel says */
	DAX_KMEM_CHANGING,	/* the worker moves blocks to another type */
	DAX_KMEM_REMOVING,	/* the worker offlines and removes it */
	DAX_KMEM_REMOVE_FAILED,	/* memory still in use; retried with backoff */
};

/* Five times DRAM's distance: a tier of its own, below DRAM (as kmem does). */
#define DAX_KMEM_DEFAULT_ADISTANCE (MEMTIER_ADISTANCE_DRAM * 5)

/*
 * One per range, owned by the registry, not by any device: memory that is
 * present keeps its range alive after its device, its firmware parent or
 * a binding is gone (an "orphan"), until the worker has removed it. The
 * registry's reference is dropped only when no memory is left and no
 * device refers to it; the worker holds its own while it works.
 *
 * Every field is written under dax_kmem_sm_lock, which is never held
 * across hotplug calls. Those under "worker" are written by the worker
 * alone (and by probe, before the range is handed to the worker), which
 * reads them without the lock; everyone else reads under it.
 */
struct dax_kmem_range {
	struct kref kref;
	/* The device's id and name for the range's whole life, orphan too. */
	int id;
	char name[24];
	struct dax_kmem_range_desc desc;	/* sm_lock */
	struct list_head node;		/* sm_lock: all_ranges */

	/* sm_lock */
	struct device *dev;		/* NULL: the device is gone */
	enum dax_kmem_state state;
	int last_error;
	bool want_present;		/* bound: the memory should be there */
	bool change_requested;		/* an online_type write to apply */
	bool queued;			/* the worker should look at it */
	bool busy;			/* the worker is working on it */
	const char *busy_name;		/* the state shown until it lets go */
	bool announce_due;		/* a change to tell once it has */
	bool pinned;			/* holds a module reference */
	bool registering;		/* the registry is giving it a device */
	bool quiet;			/* a routine retry: log only failures */
	unsigned int retries;		/* removal attempts since it failed */
	unsigned long retry_at;		/* jiffies: next look at a stranded range */
	unsigned long attempt_at;	/* jiffies: no attempt before, backoff */
	unsigned long force_at;		/* jiffies: next attempt in any case */
	struct dax_kmem_policy sysfs_policy;	/* highest precedence */
	/*
	 * The source's bad pages, those written to bad_pages, and those
	 * found poisoned before the blocks went offline: the kernel forgets
	 * a poisoned page when its block is onlined again.
	 */
	struct dax_kmem_bad_pages bad;
	/* A size write the worker is to apply (0: none), and the size before. */
	u64 resize_to;
	u64 resize_from;
	/*
	 * A size write grew the range past what its source gave: its span
	 * is checked as typed input from then on, whoever made the range.
	 */
	bool grown_by_user;

	/* worker */
	struct dax_kmem_aligned aligned;
	u64 block_size;
	u64 present_size;		/* bytes added, from aligned.start */
	enum dax_kmem_online_type online_now;	/* what the worker applied */
	bool memmap_on_range;
	int mgid;
	int adistance;			/* -1: the node's tier is not ours */
	bool tier_joined;		/* counted in the node's tier */
	int tier_ours;			/* 1 ours, -1 not, 0 not seen online */
	/*
	 * The resource tree and add_memory_driver_managed() keep these name
	 * pointers for as long as the memory exists: kmalloc'd, never module
	 * rodata or the device's own name, so they can outlive both.
	 */
	struct resource *reservation;
	const char *reservation_name;
	const char *ram_name;
};

extern struct mutex dax_kmem_sm_lock;

/*
 * Messages about a range (range_log.c), in the form dev_*() gives them
 * while the driver is bound ("dax_kmem dax_kmem.3: ..."), also when its
 * device is unbound or gone.
 */
__printf(2, 3) void range_crit(const struct dax_kmem_range *range,
			       const char *fmt, ...);
__printf(2, 3) void range_err(const struct dax_kmem_range *range,
			      const char *fmt, ...);
__printf(2, 3) void range_warn(const struct dax_kmem_range *range,
			       const char *fmt, ...);
__printf(2, 3) void range_info(const struct dax_kmem_range *range,
			       const char *fmt, ...);
extern const struct attribute_group *dax_kmem_range_groups[];

/* Only valid on our own range devices (their attributes, say). */
static inline struct dax_kmem_range *dax_kmem_range_of(struct device *dev)
{
	struct dax_kmem_range **slot = dev_get_platdata(dev);

	return *slot;
}

static inline bool dax_kmem_memory_present(enum dax_kmem_state state)
{
	return state == DAX_KMEM_ADDED || state == DAX_KMEM_CHANGING ||
	       state == DAX_KMEM_REMOVING || state == DAX_KMEM_REMOVE_FAILED;
}

/* state_machine.c */
int dax_kmem_sm_init(void);
void dax_kmem_sm_exit(void);
int dax_kmem_sm_bind(struct dax_kmem_range *range, struct device *dev);
void dax_kmem_sm_unbind(struct dax_kmem_range *range);
int dax_kmem_sm_request_online_type(struct dax_kmem_range *range,
				    const struct dax_kmem_policy *policy);
int dax_kmem_sm_resize(struct dax_kmem_range *range, struct device *dev,
		       u64 new_size);
int dax_kmem_sm_span_taken(struct dax_kmem_range *range,
			   const struct dax_kmem_span *mine,
			   struct dax_kmem_span *theirs, char *their_name,
			   size_t name_len);
int dax_kmem_sm_set_add_policy(struct dax_kmem_range *range,
			       const struct dax_kmem_policy *policy);
int dax_kmem_sm_claim(struct dax_kmem_range *range,
		      struct dax_kmem_span *theirs, char *their_name,
		      size_t name_len);
int dax_kmem_sm_checked(struct dax_kmem_range *range);
void dax_kmem_sm_refuse(struct dax_kmem_range *range, int error);
void dax_kmem_sm_offline_progress(void);
bool dax_kmem_sm_offline_may_go_on(struct dax_kmem_range *range);
void dax_kmem_sm_offline_waits_for_lock(void);
void dax_kmem_sm_offline_done(void);
bool dax_kmem_sm_is_worker(void);
struct dax_kmem_range *dax_kmem_sm_find(struct device *dev);
struct dax_kmem_range *dax_kmem_sm_find_by_name(const char *name);
ssize_t dax_kmem_sm_show_orphans(char *buf);
void dax_kmem_range_put(struct dax_kmem_range *range);
const char *dax_kmem_state_name(const struct dax_kmem_range *range);
/* For the registry. */
void dax_kmem_sm_add_range(struct dax_kmem_range *range);
struct dax_kmem_range *dax_kmem_sm_adopt(const struct dax_kmem_range_desc *desc);
bool dax_kmem_sm_origin_registered(const struct dax_kmem_range_desc *desc);
void dax_kmem_sm_attach(struct dax_kmem_range *range, struct device *dev);
void dax_kmem_sm_device_gone(struct dax_kmem_range *range);
struct dax_kmem_range *dax_kmem_sm_newest_child(struct device *parent,
						bool all);

/* validate.c: what probe checks and holds before the worker adds. */
int dax_kmem_validate_and_reserve(struct dax_kmem_range *range,
				  struct device *dev);
void dax_kmem_release_span(struct dax_kmem_range *range);
void dax_kmem_release_span_locked(struct dax_kmem_range *range);
int dax_kmem_validate_growth(struct dax_kmem_range *range, struct device *dev,
			     u64 new_size);
void dax_kmem_shrink_reservation(struct dax_kmem_range *range, u64 size);

/* hotplug.c: only ever called by the worker. */
int dax_kmem_hotplug_init(void);
void dax_kmem_hotplug_exit(void);
int dax_kmem_add_memory(struct dax_kmem_range *range,
			enum dax_kmem_online_type target,
			enum dax_kmem_memmap memmap);
int dax_kmem_set_online_type(struct dax_kmem_range *range,
			     enum dax_kmem_online_type target);
int dax_kmem_remove_memory(struct dax_kmem_range *range);
int dax_kmem_soft_offline(u64 addr);
int dax_kmem_grow_memory(struct dax_kmem_range *range,
			 const struct dax_kmem_aligned *to);
int dax_kmem_shrink_memory(struct dax_kmem_range *range,
			   const struct dax_kmem_aligned *to);
/* The live state of the range's present blocks: what sysfs shows. */
void dax_kmem_count_blocks(const struct dax_kmem_range *range,
			   unsigned long *movable, unsigned long *kernel,
			   unsigned long *offline);

/* tiers.c */
int dax_kmem_tier_check(struct dax_kmem_range *range, struct device *dev,
			int requested);
int dax_kmem_tier_join(struct dax_kmem_range *range, int requested);
void dax_kmem_tier_seen_online(struct dax_kmem_range *range);
void dax_kmem_tier_leave(struct dax_kmem_range *range);
void dax_kmem_tiers_exit(void);

/* policy.c */
struct dax_kmem_policy dax_kmem_policy_of(const struct dax_kmem_range *range);
int dax_kmem_fw_read_policy(struct fwnode_handle *fwnode,
			    struct fwnode_handle *fallback,
			    struct dax_kmem_policy *policy);
int dax_kmem_fw_read_one_u32(struct fwnode_handle *fwnode, const char *name,
			     u32 *val);

/* bad_pages.c: known-bad pages out of use (worker), and their sysfs file. */
void dax_kmem_bad_pages_apply(struct dax_kmem_range *range);
void dax_kmem_bad_pages_record(struct dax_kmem_range *range);
bool dax_kmem_bad_pages_in_memmap(struct dax_kmem_range *range, u64 start,
				  u64 size);
int dax_kmem_fw_read_bad_pages(struct fwnode_handle *fwnode,
			       struct dax_kmem_range_desc *desc,
			       bool only_range);
extern struct device_attribute dev_attr_bad_pages;

/* source_runtime.c: new_range, remove_range, load_ranges, ranges_file=. */
extern struct driver_attribute driver_attr_new_range;
extern struct driver_attribute driver_attr_remove_range;
extern struct driver_attribute driver_attr_load_ranges;
void dax_kmem_file_source_init(void);
/*
 * Physical addresses from user space are refused under lockdown, as the
 * kernel's own module_param_hw() parameters are: true (and logged) then.
 */
bool dax_kmem_user_addresses_locked_down(const char *what);

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

/* range_driver.c: the driver of range devices. */
int dax_kmem_range_driver_init(void);
void dax_kmem_range_driver_exit(void);

/* registry.c */
void dax_kmem_unregister_all(void);
void dax_kmem_registry_free_id(int id);

/* source_fw.c: the driver of firmware devices (DT, ACPI) with ranges. */
extern const struct of_device_id dax_kmem_fw_match[];
int dax_kmem_fw_driver_init(void);
void dax_kmem_fw_driver_exit(void);

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
/*
 * claim=, parsed first thing at init: which kinds of firmware memory
 * that may hold data the admin lets dax_kmem take.
 */
void dax_kmem_claims_init(void);
bool dax_kmem_claimed(const char *claim_word);
void dax_kmem_firmware_source_init(void);
#else
static inline void dax_kmem_claims_init(void) { }
static inline bool dax_kmem_claimed(const char *claim_word) { return false; }
static inline void dax_kmem_firmware_source_init(void) { }
#endif

#endif /* DAX_KMEM_INTERNAL_H */
