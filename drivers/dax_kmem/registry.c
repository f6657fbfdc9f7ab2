// SPDX-License-Identifier: GPL-2.0
/*
 * Range devices: the one place sources turn a descriptor into a range
 * object and a platform device, and the module takes the devices down
 * again. A range whose memory is still present when its device goes
 * stays with the state machine, and a device registered later for the
 * same span and node takes it over.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/idr.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "dax_kmem.h"

/* Serialises registrations and unregistrations; probes run inside it. */
static DEFINE_MUTEX(registry_lock);
static DEFINE_IDA(range_ids);
/*
 * Set once the module is going: a new_range or load_ranges write that
 * races rmmod must not leave a device whose range the exit frees.
 */
static bool registry_closing;

void dax_kmem_registry_free_id(int id)
{
	ida_free(&range_ids, id);
}

static struct dax_kmem_range *registry_new_range(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range *range;
	int id;

	range = kzalloc(sizeof(*range), GFP_KERNEL);
	if (!range)
		return NULL;
	id = ida_alloc(&range_ids, GFP_KERNEL);
	if (id < 0) {
		kfree(range);
		return NULL;
	}
	kref_init(&range->kref);	/* the state machine's list holds it */
	INIT_LIST_HEAD(&range->node);
	range->id = id;
	snprintf(range->name, sizeof(range->name), "%s.%d", DAX_KMEM_DRV_NAME,
		 id);
	range->desc = *desc;
	range->bad = desc->bad;
	range->mgid = -1;
	range->registering = true;
	kref_get(&range->kref);		/* the caller's */
	dax_kmem_sm_add_range(range);
	return range;
}

/* With @out, the range comes back with a reference for the caller. */
static int registry_register(const struct dax_kmem_range_desc *desc,
			     struct dax_kmem_range **out)
{
	struct platform_device *pdev;
	struct dax_kmem_range *range;
	int rc = -ENOMEM;

	lockdep_assert_held(&registry_lock);
	if (registry_closing)
		return -ENODEV;
	if (dax_kmem_sm_origin_registered(desc))
		return -EEXIST;
	/* Either way the range is "registering": nobody frees it meanwhile. */
	range = dax_kmem_sm_adopt(desc);
	if (range)
		pr_info("%s: a device for [mem %#010llx-%#010llx] from %s again: it takes over the memory still present\n",
			range->name, desc->start, desc->start + desc->size - 1,
			desc->source);
	else
		range = registry_new_range(desc);
	if (!range)
		goto failed;
	pdev = platform_device_alloc(DAX_KMEM_DRV_NAME, range->id);
	if (!pdev)
		goto gone;
	/* A pointer to the range: attributes find it without a lookup. */
	rc = platform_device_add_data(pdev, &range, sizeof(range));
	if (rc) {
		platform_device_put(pdev);
		goto gone;
	}
	/* Attributes belong to the device, so they still speak after unbind. */
	pdev->dev.groups = dax_kmem_range_groups;
	pdev->dev.parent = desc->parent;
	if (desc->nid >= 0 && desc->nid < MAX_NUMNODES && node_possible(desc->nid))
		set_dev_node(&pdev->dev, desc->nid);

	dax_kmem_sm_attach(range, &pdev->dev);
	rc = platform_device_add(pdev);
	if (rc) {
		/* The range forgets the device before the device is freed. */
		dax_kmem_sm_device_gone(range);
		platform_device_put(pdev);
		dax_kmem_range_put(range);
		goto failed;
	}
	if (out)
		*out = range;
	else
		dax_kmem_range_put(range);
	return 0;

gone:
	dax_kmem_sm_device_gone(range);
	dax_kmem_range_put(range);
failed:
	pr_err("could not register a device for [mem %#010llx-%#010llx] from %s (%d)\n",
	       desc->start, desc->start + desc->size - 1, desc->source, rc);
	return rc;
}

int dax_kmem_register_range(const struct dax_kmem_range_desc *desc)
{
	int rc;

	mutex_lock(&registry_lock);
	rc = registry_register(desc, NULL);
	mutex_unlock(&registry_lock);
	return rc;
}

/* The registry's half of an unregistration; the caller's reference stays. */
static void registry_unregister(struct dax_kmem_range *range)
{
	struct device *dev;

	lockdep_assert_held(&registry_lock);
	mutex_lock(&dax_kmem_sm_lock);
	dev = range->dev;
	mutex_unlock(&dax_kmem_sm_lock);
	if (!dev)
		return;
	/*
	 * Unbinding asks for the memory to go; the range stays with the
	 * state machine until it has.
	 */
	dax_kmem_sm_device_gone(range);
	platform_device_unregister(to_platform_device(dev));
}

int dax_kmem_register_user_range(const struct dax_kmem_range_desc *desc,
				 char *name, size_t len)
{
	struct dax_kmem_range *range;
	int rc;

	mutex_lock(&registry_lock);
	rc = registry_register(desc, &range);
	if (rc)
		goto unlock;
	/* Probe ran inside platform_device_add(): its verdict is in. */
	mutex_lock(&dax_kmem_sm_lock);
	if (range->state == DAX_KMEM_REFUSED)
		rc = range->last_error ? range->last_error : -EINVAL;
	mutex_unlock(&dax_kmem_sm_lock);
	strscpy(name, range->name, len);
	if (rc)
		registry_unregister(range);
	dax_kmem_range_put(range);
unlock:
	mutex_unlock(&registry_lock);
	return rc;
}

int dax_kmem_unregister_user_range(const char *name)
{
	struct dax_kmem_range *range;
	int rc = 0;

	mutex_lock(&registry_lock);
	range = dax_kmem_sm_find_by_name(name);
	if (!range) {
		rc = -ENODEV;
		goto unlock;
	}
	mutex_lock(&dax_kmem_sm_lock);
	if (range->desc.firmware_described)
		rc = -EPERM;
	mutex_unlock(&dax_kmem_sm_lock);
	if (!rc)
		registry_unregister(range);
	dax_kmem_range_put(range);
unlock:
	mutex_unlock(&registry_lock);
	return rc;
}

/* Newest first, so ranges go away in the reverse order they came. */
static void registry_unregister_matching(struct device *parent, bool all)
{
	struct dax_kmem_range *range;

	mutex_lock(&registry_lock);
	while ((range = dax_kmem_sm_newest_child(parent, all))) {
		registry_unregister(range);
		dax_kmem_range_put(range);
	}
	mutex_unlock(&registry_lock);
}

void dax_kmem_unregister_children(struct device *parent)
{
	registry_unregister_matching(parent, false);
}

void dax_kmem_unregister_all(void)
{
	mutex_lock(&registry_lock);
	registry_closing = true;
	mutex_unlock(&registry_lock);
	registry_unregister_matching(NULL, true);
}
