// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for make check-debug: binds or unbinds a device while
 * holding device_hotplug_lock, the way the ACPI core does when a device
 * appears through a bus check (probe) or is ejected (remove). A driver
 * whose probe or remove takes that lock, directly or through a memory
 * block's sysfs file, deadlocks here, which the scenario reports as a
 * write that never returns and lockdep as recursive locking.
 *
 * lock_device_hotplug() is not exported; a kprobe resolves it, which is
 * good enough for a test and never shipped.
 */
#include <linux/device.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/string.h>

static void (*hotplug_lock)(void);
static void (*hotplug_unlock)(void);

static void *resolve(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	void *addr;

	if (register_kprobe(&kp))
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
	return addr;
}

static struct device *find_platform_device(const char *val)
{
	char name[64];

	strscpy(name, val, sizeof(name));
	strim(name);
	return bus_find_device_by_name(&platform_bus_type, NULL, name);
}

static int attach_set(const char *val, const struct kernel_param *kp)
{
	struct device *dev = find_platform_device(val);
	int ret;

	if (!dev)
		return -ENODEV;
	hotplug_lock();
	ret = device_attach(dev);
	hotplug_unlock();
	put_device(dev);
	if (ret < 0)
		return ret;
	return ret ? 0 : -ENXIO;
}

static int release_set(const char *val, const struct kernel_param *kp)
{
	struct device *dev = find_platform_device(val);

	if (!dev)
		return -ENODEV;
	hotplug_lock();
	device_release_driver(dev);
	hotplug_unlock();
	put_device(dev);
	return 0;
}

static const struct kernel_param_ops attach_ops = { .set = attach_set };
static const struct kernel_param_ops release_ops = { .set = release_set };
module_param_cb(attach, &attach_ops, NULL, 0200);
MODULE_PARM_DESC(attach, "Platform device to bind with device_hotplug_lock held");
module_param_cb(release, &release_ops, NULL, 0200);
MODULE_PARM_DESC(release, "Platform device to unbind with device_hotplug_lock held");

static int __init hotplug_lock_holder_init(void)
{
	hotplug_lock = resolve("lock_device_hotplug");
	hotplug_unlock = resolve("unlock_device_hotplug");
	if (!hotplug_lock || !hotplug_unlock)
		return -ENOENT;
	return 0;
}
module_init(hotplug_lock_holder_init);

static void __exit hotplug_lock_holder_exit(void)
{
}
module_exit(hotplug_lock_holder_exit);

MODULE_DESCRIPTION("dax_kmem test: bind and unbind under device_hotplug_lock");
MODULE_LICENSE("GPL");
