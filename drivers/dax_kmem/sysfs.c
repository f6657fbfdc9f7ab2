// SPDX-License-Identifier: GPL-2.0
/*
 * Per-range attributes (Documentation/ABI/testing/sysfs-bus-platform-dax_kmem).
 * They hang off the device, not the driver, so a range whose removal failed
 * can still say so after unbind.
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/sysfs.h>

#include "dax_kmem.h"

static const char *state_name(const struct dax_kmem_range *range)
{
	switch (range->state) {
	case DAX_KMEM_ABSENT:
		return "absent";
	case DAX_KMEM_ADDED:
		return range->online_now == DAX_KMEM_ONLINE_OFFLINE ?
		       "offline" : "online";
	case DAX_KMEM_REFUSED:
		return "refused";
	case DAX_KMEM_REMOVE_FAILED:
		return "remove-failed";
	}
	return "unknown";
}

/* A consistent copy of the fields one show() prints. */
static struct dax_kmem_range snapshot(struct device *dev)
{
	struct dax_kmem_range copy;

	mutex_lock(&dax_kmem_state_lock);
	copy = *dax_kmem_range_of(dev);
	mutex_unlock(&dax_kmem_state_lock);
	return copy;
}

static bool memory_present(const struct dax_kmem_range *range)
{
	return range->state == DAX_KMEM_ADDED ||
	       range->state == DAX_KMEM_REMOVE_FAILED;
}

static ssize_t source_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", dax_kmem_range_of(dev)->desc.source);
}
static DEVICE_ATTR_RO(source);

static ssize_t node_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%d\n", dax_kmem_range_of(dev)->desc.nid);
}
static DEVICE_ATTR_RO(node);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	return sysfs_emit(buf, "%s\n", state_name(&range));
}
static DEVICE_ATTR_RO(state);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", snapshot(dev).last_error);
}
static DEVICE_ATTR_RO(last_error);

static ssize_t memory_blocks_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);
	u64 first, count;

	if (!memory_present(&range))
		return sysfs_emit(buf, "\n");
	first = range.aligned.start / range.block_size;
	count = range.aligned.size / range.block_size;
	return sysfs_emit(buf, "%llu-%llu\n", first, first + count - 1);
}
static DEVICE_ATTR_RO(memory_blocks);

static ssize_t added_bytes_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	return sysfs_emit(buf, "%llu\n",
			  memory_present(&range) ? range.aligned.size : 0);
}
static DEVICE_ATTR_RO(added_bytes);

static ssize_t alignment_loss_bytes_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	/* Known once a probe has aligned the range, whatever came after. */
	if (!range.block_size)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%llu\n",
			  range.aligned.lost_head + range.aligned.lost_tail);
}
static DEVICE_ATTR_RO(alignment_loss_bytes);

/* Physical addresses are for root only, as in /proc/iomem. */
static ssize_t range_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	const struct dax_kmem_range_desc *desc = &dax_kmem_range_of(dev)->desc;

	return sysfs_emit(buf, "%#llx-%#llx\n", desc->start,
			  desc->start + desc->size - 1);
}
static DEVICE_ATTR_ADMIN_RO(range);

static ssize_t added_range_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	if (!memory_present(&range))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%#llx-%#llx\n", range.aligned.start,
			  range.aligned.start + range.aligned.size - 1);
}
static DEVICE_ATTR_ADMIN_RO(added_range);

/*
 * Policy attributes read what is in force: while the range is added, what
 * it was added with; otherwise what the next bind will use.
 */
static ssize_t online_type_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);
	enum dax_kmem_online_type type = dax_kmem_policy_of(&range).online_type;

	if (range.state == DAX_KMEM_ADDED)
		type = range.online_now;
	return sysfs_emit(buf, "%s\n", dax_kmem_online_type_name(type));
}

static void set_sysfs_policy(struct dax_kmem_range *range,
			     const struct dax_kmem_policy *policy)
{
	mutex_lock(&dax_kmem_state_lock);
	range->sysfs_policy = dax_kmem_policy_merge(range->sysfs_policy, *policy);
	mutex_unlock(&dax_kmem_state_lock);
}

/*
 * Brings every block of an added range to the type, or none: on failure
 * each block is back where it was and the write fails with the reason.
 * Otherwise the type applies to the next bind.
 */
static ssize_t online_type_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct dax_kmem_range *range = dax_kmem_range_of(dev);
	struct dax_kmem_policy policy = { };
	int rc = 0;

	if (!dax_kmem_parse_online_type(buf, &policy.online_type)) {
		dev_err(dev, "online_type: not one of " DAX_KMEM_ONLINE_TYPE_NAMES "\n");
		return -EINVAL;
	}
	/* Serialises with bind and unbind, which change the same blocks. */
	device_lock(dev);
	if (range->state == DAX_KMEM_REMOVE_FAILED)
		rc = -EBUSY;
	else if (range->state == DAX_KMEM_ADDED)
		rc = dax_kmem_set_online_type(range, policy.online_type);
	if (rc)
		dev_err(dev, "online_type %s: failed (%d), the range stays %s\n",
			dax_kmem_online_type_name(policy.online_type), rc,
			dax_kmem_online_type_name(range->online_now));
	else
		set_sysfs_policy(range, &policy);
	device_unlock(dev);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(online_type);

/* Placement and tier are chosen when memory is added: not while it is. */
static int store_unless_added(struct device *dev,
			      const struct dax_kmem_policy *policy)
{
	struct dax_kmem_range *range = dax_kmem_range_of(dev);
	int rc = 0;

	device_lock(dev);
	if (range->state == DAX_KMEM_ADDED ||
	    range->state == DAX_KMEM_REMOVE_FAILED) {
		dev_err(dev, "applies when the range is added: unbind it first\n");
		rc = -EBUSY;
	} else {
		set_sysfs_policy(range, policy);
	}
	device_unlock(dev);
	return rc;
}

static ssize_t memmap_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dax_kmem_range range = snapshot(dev);
	enum dax_kmem_memmap memmap = dax_kmem_policy_of(&range).memmap;

	if (memory_present(&range))
		memmap = range.memmap_on_range ? DAX_KMEM_MEMMAP_RANGE :
						  DAX_KMEM_MEMMAP_DRAM;
	return sysfs_emit(buf, "%s\n", dax_kmem_memmap_name(memmap));
}

static ssize_t memmap_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct dax_kmem_policy policy = { };
	int rc;

	if (!dax_kmem_parse_memmap(buf, &policy.memmap)) {
		dev_err(dev, "memmap: not one of " DAX_KMEM_MEMMAP_NAMES "\n");
		return -EINVAL;
	}
	rc = store_unless_added(dev, &policy);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(memmap);

static ssize_t adistance_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	if (memory_present(&range))
		return sysfs_emit(buf, "%d\n", range.adistance);
	/* 0: the next bind asks firmware (HMAT), else uses the default. */
	return sysfs_emit(buf, "%d\n", dax_kmem_policy_of(&range).adistance);
}

static ssize_t adistance_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct dax_kmem_policy policy = { };
	int rc;

	rc = kstrtoint(buf, 0, &policy.adistance);
	if (rc || policy.adistance <= 0) {
		dev_err(dev, "adistance: not a positive number\n");
		return -EINVAL;
	}
	rc = store_unless_added(dev, &policy);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(adistance);

static ssize_t memmap_dram_bytes_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	return sysfs_emit(buf, "%llu\n", memory_present(&range) ?
			  dax_kmem_memmap_dram_bytes(&range) : 0);
}
static DEVICE_ATTR_RO(memmap_dram_bytes);

static ssize_t memmap_range_bytes_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	return sysfs_emit(buf, "%llu\n", memory_present(&range) ?
			  dax_kmem_memmap_range_bytes(&range) : 0);
}
static DEVICE_ATTR_RO(memmap_range_bytes);

static ssize_t memory_group_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range = snapshot(dev);

	if (!memory_present(&range))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%d\n", range.mgid);
}
static DEVICE_ATTR_RO(memory_group);

static struct attribute *dax_kmem_range_attrs[] = {
	&dev_attr_online_type.attr,
	&dev_attr_memmap.attr,
	&dev_attr_adistance.attr,
	&dev_attr_memmap_dram_bytes.attr,
	&dev_attr_memmap_range_bytes.attr,
	&dev_attr_memory_group.attr,
	&dev_attr_source.attr,
	&dev_attr_node.attr,
	&dev_attr_state.attr,
	&dev_attr_last_error.attr,
	&dev_attr_memory_blocks.attr,
	&dev_attr_added_bytes.attr,
	&dev_attr_alignment_loss_bytes.attr,
	&dev_attr_range.attr,
	&dev_attr_added_range.attr,
	NULL,
};

static const struct attribute_group dax_kmem_range_group = {
	.attrs = dax_kmem_range_attrs,
};

const struct attribute_group *dax_kmem_range_groups[] = {
	&dax_kmem_range_group,
	NULL,
};
