// SPDX-License-Identifier: GPL-2.0
/*
 * Per-range attributes (Documentation/ABI/testing/sysfs-bus-platform-drivers-dax_kmem).
 * They hang off the device, not the driver, so a range whose removal failed
 * can still say so after unbind. Writes only ask the state machine.
 */
#include <linux/device.h>
#include <linux/kstrtox.h>
#include <linux/log2.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "dax_kmem.h"

/* How much of a bad write a message quotes. */
#define SYSFS_QUOTE "%.32s"

/* The written word without its newline, for a message. */
static void sysfs_word(const char *buf, size_t count, char *word, size_t len)
{
	strscpy(word, buf, min(count + 1, len));
	strim(word);
}

/* A consistent copy of the fields one show() prints. */
static void sysfs_snapshot(struct device *dev, struct dax_kmem_range *copy)
{
	mutex_lock(&dax_kmem_sm_lock);
	*copy = *dax_kmem_range_of(dev);
	mutex_unlock(&dax_kmem_sm_lock);
}

static bool sysfs_memory_present(const struct dax_kmem_range *range)
{
	return dax_kmem_memory_present(range->state);
}

static ssize_t source_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	return sysfs_emit(buf, "%s\n", range.desc.source);
}
static DEVICE_ATTR_RO(source);

static ssize_t node_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	return sysfs_emit(buf, "%d\n", range.desc.nid);
}
static DEVICE_ATTR_RO(node);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  dax_kmem_state_name(dax_kmem_range_of(dev)));
}
static DEVICE_ATTR_RO(state);

static ssize_t last_error_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	return sysfs_emit(buf, "%d\n", range.last_error);
}
static DEVICE_ATTR_RO(last_error);

static ssize_t memory_blocks_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;
	u64 first, count;

	sysfs_snapshot(dev, &range);
	if (!sysfs_memory_present(&range))
		return sysfs_emit(buf, "\n");
	first = range.aligned.start >> ilog2(range.block_size);
	count = range.present_size >> ilog2(range.block_size);
	return sysfs_emit(buf, "%llu-%llu\n", first, first + count - 1);
}
static DEVICE_ATTR_RO(memory_blocks);

static ssize_t added_bytes_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	return sysfs_emit(buf, "%llu\n",
			  sysfs_memory_present(&range) ? range.present_size : 0);
}
static DEVICE_ATTR_RO(added_bytes);

static ssize_t alignment_loss_bytes_show(struct device *dev,
					 struct device_attribute *attr,
					 char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

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
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	return sysfs_emit(buf, "%#llx-%#llx\n", range.desc.start,
			  range.desc.start + range.desc.size - 1);
}
static DEVICE_ATTR_ADMIN_RO(range);

static ssize_t added_range_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	if (!sysfs_memory_present(&range))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%#llx-%#llx\n", range.aligned.start,
			  range.aligned.start + range.present_size - 1);
}
static DEVICE_ATTR_ADMIN_RO(added_range);

/*
 * Policy attributes read what is in force: while memory is present, what
 * it was added with (online_type: what the worker last applied; the
 * blocks' own states are in state); otherwise what the next bind uses.
 */
static ssize_t online_type_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	enum dax_kmem_online_type type;
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	type = dax_kmem_policy_of(&range).online_type;
	if (sysfs_memory_present(&range))
		type = range.online_now;
	return sysfs_emit(buf, "%s\n", dax_kmem_online_type_name(type));
}

/*
 * Asks the worker to bring every block of a present range to the type,
 * or none (each block goes back where it was; state and last_error say
 * how it went); otherwise the type applies to the next bind.
 */
static ssize_t online_type_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct dax_kmem_policy policy = { };
	char word[40];
	int rc;

	if (!dax_kmem_parse_online_type(buf, &policy.online_type)) {
		sysfs_word(buf, count, word, sizeof(word));
		dev_err(dev, "online_type: \"" SYSFS_QUOTE "\" is not one of "
			DAX_KMEM_ONLINE_TYPE_NAMES "\n", word);
		return -EINVAL;
	}
	rc = dax_kmem_sm_request_online_type(dax_kmem_range_of(dev), &policy);
	if (rc)
		dev_err(dev, "online_type: the range is being removed; bind it to keep it\n");
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(online_type);

/* Placement and tier are chosen when memory is added: not while it is. */
static int sysfs_store_unless_added(struct device *dev, const char *name,
				    const struct dax_kmem_policy *policy)
{
	int rc = dax_kmem_sm_set_add_policy(dax_kmem_range_of(dev), policy);

	if (rc)
		dev_err(dev, "%s: chosen when the memory is added; unbind the range first\n",
			name);
	return rc;
}

static ssize_t memmap_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct dax_kmem_range range;
	enum dax_kmem_memmap memmap;

	sysfs_snapshot(dev, &range);
	memmap = dax_kmem_policy_of(&range).memmap;
	if (sysfs_memory_present(&range))
		memmap = range.memmap_on_range ? DAX_KMEM_MEMMAP_RANGE :
						  DAX_KMEM_MEMMAP_DRAM;
	return sysfs_emit(buf, "%s\n", dax_kmem_memmap_name(memmap));
}

static ssize_t memmap_store(struct device *dev, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct dax_kmem_policy policy = { };
	char word[40];
	int rc;

	if (!dax_kmem_parse_memmap(buf, &policy.memmap)) {
		sysfs_word(buf, count, word, sizeof(word));
		dev_err(dev, "memmap: \"" SYSFS_QUOTE "\" is not one of "
			DAX_KMEM_MEMMAP_NAMES "\n", word);
		return -EINVAL;
	}
	rc = sysfs_store_unless_added(dev, "memmap", &policy);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(memmap);

static ssize_t adistance_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	/* -1: the node kept the tier it had; dax_kmem set none. */
	if (sysfs_memory_present(&range))
		return sysfs_emit(buf, "%d\n", range.adistance);
	/* 0: the next bind asks firmware (HMAT), else uses the default. */
	return sysfs_emit(buf, "%d\n", dax_kmem_policy_of(&range).adistance);
}

static ssize_t adistance_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct dax_kmem_policy policy = { };
	char word[40];
	int rc;

	rc = kstrtoint(buf, 0, &policy.adistance);
	if (rc || policy.adistance <= 0) {
		sysfs_word(buf, count, word, sizeof(word));
		dev_err(dev, "adistance: \"" SYSFS_QUOTE "\" is not a number from 1 to %d\n",
			word, INT_MAX);
		return -EINVAL;
	}
	rc = sysfs_store_unless_added(dev, "adistance", &policy);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(adistance);

static ssize_t memmap_dram_bytes_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	return sysfs_emit(buf, "%llu\n", sysfs_memory_present(&range) ?
			  dax_kmem_memmap_dram_bytes(&range) : 0);
}
static DEVICE_ATTR_RO(memmap_dram_bytes);

static ssize_t memmap_range_bytes_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	return sysfs_emit(buf, "%llu\n", sysfs_memory_present(&range) ?
			  dax_kmem_memmap_range_bytes(&range) : 0);
}
static DEVICE_ATTR_RO(memmap_range_bytes);

static ssize_t memory_group_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);

	if (!sysfs_memory_present(&range))
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%d\n", range.mgid);
}
static DEVICE_ATTR_RO(memory_group);

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct dax_kmem_range range;

	sysfs_snapshot(dev, &range);
	return sysfs_emit(buf, "%llu\n", range.desc.size);
}

/* Grows or shrinks the range at its end: "2G", "0x80000000", bytes. */
static ssize_t size_store(struct device *dev, struct device_attribute *attr,
			  const char *buf, size_t count)
{
	char word[32];
	const char *end;
	u64 size;
	int rc;

	if (count >= sizeof(word)) {
		dev_err(dev, "size: %zu bytes written, no size is that long\n",
			count);
		return -EINVAL;
	}
	memcpy(word, buf, count);
	word[count] = '\0';
	if (!dax_kmem_parse_size(strim(word), &end, &size) || *end) {
		dev_err(dev, "size: \"%s\" is not a size with optional K/M/G/T suffix\n",
			strim(word));
		return -EINVAL;
	}
	if (!size) {
		dev_err(dev, "size: 0: unbind the range, or remove_range it, instead\n");
		return -EINVAL;
	}
	/* Against probe, which reads the size, and other size writers. */
	device_lock(dev);
	rc = dax_kmem_sm_resize(dax_kmem_range_of(dev), dev, size);
	device_unlock(dev);
	return rc ? rc : count;
}
static DEVICE_ATTR_RW(size);

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
	&dev_attr_bad_pages.attr,
	&dev_attr_size.attr,
	NULL,
};

static const struct attribute_group dax_kmem_range_group = {
	.attrs = dax_kmem_range_attrs,
};

const struct attribute_group *dax_kmem_range_groups[] = {
	&dax_kmem_range_group,
	NULL,
};
