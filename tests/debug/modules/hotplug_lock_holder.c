// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for make check-debug: holds device_hotplug_lock while it
 * binds a device (as the ACPI core does when a device appears through a
 * bus check), offlines one (as an ACPI eject does first), or for a while
 * (an admin's slow offline elsewhere). A driver whose probe adds memory
 * itself deadlocks on attach, which the scenario reports as a write that
 * never returns.
 *
 * lock_device_hotplug() and device_offline() are not exported; kprobes
 * resolve them, which is good enough for a test and never shipped.
 * Called through such a pointer (past ENDBR), they would fault on a CPU
 * with IBT, so the module refuses to load there.
 */
#include <linux/cpufeature.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kprobes.h>
#include <linux/kstrtox.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/string.h>

static void (*hotplug_lock)(void);
static void (*hotplug_unlock)(void);
static int (*dev_offline)(struct device *dev);
static int (*dev_online)(struct device *dev);

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

/* Runs @op on the platform device named @val with device_hotplug_lock held. */
static int with_hotplug_lock(const char *val, int (*op)(struct device *dev))
{
	struct device *dev = find_platform_device(val);
	int ret;

	if (!dev)
		return -ENODEV;
	hotplug_lock();
	ret = op(dev);
	hotplug_unlock();
	put_device(dev);
	return ret;
}

static int attach_op(struct device *dev)
{
	int ret = device_attach(dev);

	if (ret < 0)
		return ret;
	return ret ? 0 : -ENXIO;
}

/* An eject's first step; put back at once when it succeeds. */
static int offline_op(struct device *dev)
{
	int ret = dev_offline(dev);

	if (ret == 0)
		dev_online(dev);
	return ret;
}

static int attach_set(const char *val, const struct kernel_param *kp)
{
	return with_hotplug_lock(val, attach_op);
}

static int offline_set(const char *val, const struct kernel_param *kp)
{
	return with_hotplug_lock(val, offline_op);
}

static int hold_set(const char *val, const struct kernel_param *kp)
{
	unsigned int seconds;
	int ret;

	ret = kstrtouint(val, 10, &seconds);
	if (ret)
		return ret;
	hotplug_lock();
	msleep(seconds * 1000);
	hotplug_unlock();
	return 0;
}

static const struct kernel_param_ops attach_ops = { .set = attach_set };
static const struct kernel_param_ops offline_ops = { .set = offline_set };
static const struct kernel_param_ops hold_ops = { .set = hold_set };
module_param_cb(attach, &attach_ops, NULL, 0200);
MODULE_PARM_DESC(attach, "Platform device to bind with device_hotplug_lock held");
module_param_cb(offline, &offline_ops, NULL, 0200);
MODULE_PARM_DESC(offline, "Platform device to offline with device_hotplug_lock held, as an eject does");
module_param_cb(hold, &hold_ops, NULL, 0200);
MODULE_PARM_DESC(hold, "Seconds to hold device_hotplug_lock");

static int __init hotplug_lock_holder_init(void)
{
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		return -EOPNOTSUPP;
	hotplug_lock = resolve("lock_device_hotplug");
	hotplug_unlock = resolve("unlock_device_hotplug");
	dev_offline = resolve("device_offline");
	dev_online = resolve("device_online");
	if (!hotplug_lock || !hotplug_unlock || !dev_offline || !dev_online)
		return -ENOENT;
	return 0;
}
module_init(hotplug_lock_holder_init);

static void __exit hotplug_lock_holder_exit(void)
{
}
module_exit(hotplug_lock_holder_exit);

MODULE_DESCRIPTION("dax_kmem test: bind, offline and wait under device_hotplug_lock");
MODULE_LICENSE("GPL");
