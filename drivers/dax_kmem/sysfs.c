// SPDX-License-Identifier: GPL-2.0
/*
 * Per-range attributes (Documentation/ABI/testing/sysfs-bus-platform-dax_kmem).
 * They hang off the device, not the driver, so a range whose removal failed
 * can still say so after unbind.
 */
#include <linux/device.h>
#include <linux/sysfs.h>

#include "dax_kmem.h"

const char *dax_kmem_state_name(enum dax_kmem_state state)
{
	switch (state) {
	case DAX_KMEM_ABSENT:
		return "absent";
	case DAX_KMEM_ONLINE:
		return "online";
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
	return range->state == DAX_KMEM_ONLINE ||
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

	return sysfs_emit(buf, "%s\n", dax_kmem_state_name(range.state));
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

static struct attribute *dax_kmem_range_attrs[] = {
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
