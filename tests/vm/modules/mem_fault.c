// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for the fault-injection scenario: fails the K-th memory
 * notifier event of one kind (and the COUNT-1 after it) for blocks in a
 * physical span. The kernel's memory-notifier-error-inject fails every
 * event of a kind, so it cannot show what a range does when its third
 * block of four refuses to come online.
 *
 * Writing "action" arms the module and zeroes both counters:
 *   action   going_online, going_offline or none
 *   fail_at  the first event to fail, counting from 1 (default 1)
 *   count    how many events fail from there; 0 means all (default 1)
 *   errno    the positive errno the notifier returns (default 12)
 *   span     START-END, physical addresses of the blocks that count
 *   seen     (read) events of the armed kind in the span since arming
 *   injected (read) how many of them were failed
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/memory.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pfn.h>
#include <linux/string.h>

#define MEM_FAULT_NONE 0UL

static unsigned long armed_action = MEM_FAULT_NONE;
static unsigned int fail_at = 1;
static unsigned int count = 1;
static unsigned int err = 12;
static u64 span_start;
static u64 span_end = U64_MAX;
static atomic_t seen = ATOMIC_INIT(0);
static atomic_t injected = ATOMIC_INIT(0);

static const struct {
	const char *name;
	unsigned long action;
} mem_fault_actions[] = {
	{ "none", MEM_FAULT_NONE },
	{ "going_online", MEM_GOING_ONLINE },
	{ "going_offline", MEM_GOING_OFFLINE },
};

static int action_set(const char *val, const struct kernel_param *kp)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mem_fault_actions); i++) {
		if (!sysfs_streq(val, mem_fault_actions[i].name))
			continue;
		WRITE_ONCE(armed_action, MEM_FAULT_NONE);
		atomic_set(&seen, 0);
		atomic_set(&injected, 0);
		WRITE_ONCE(armed_action, mem_fault_actions[i].action);
		return 0;
	}
	return -EINVAL;
}

static int action_get(char *buf, const struct kernel_param *kp)
{
	unsigned long action = READ_ONCE(armed_action);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mem_fault_actions); i++)
		if (mem_fault_actions[i].action == action)
			return sysfs_emit(buf, "%s\n", mem_fault_actions[i].name);
	return -EINVAL;
}

static const struct kernel_param_ops action_ops = {
	.set = action_set,
	.get = action_get,
};
module_param_cb(action, &action_ops, NULL, 0600);
MODULE_PARM_DESC(action, "Event to fail: going_online, going_offline, none");
module_param(fail_at, uint, 0600);
MODULE_PARM_DESC(fail_at, "First event to fail, counting from 1");
module_param(count, uint, 0600);
MODULE_PARM_DESC(count, "Events to fail from fail_at on (0: all)");
/* Only a real errno: 0 would count as injected and fail nothing. */
static int errno_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int rc = kstrtouint(val, 0, &n);

	if (rc)
		return rc;
	if (!n || n > MAX_ERRNO)
		return -EINVAL;
	WRITE_ONCE(err, n);
	return 0;
}

static const struct kernel_param_ops errno_ops = {
	.set = errno_set,
	.get = param_get_uint,
};
module_param_cb(errno, &errno_ops, &err, 0600);
MODULE_PARM_DESC(errno, "Positive errno the notifier returns (1 to 4095)");

static int span_set(const char *val, const struct kernel_param *kp)
{
	char buf[48], *start_str, *end_str;
	u64 start, end;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	start_str = strim(buf);
	end_str = strchr(start_str, '-');
	if (!end_str)
		return -EINVAL;
	*end_str++ = '\0';
	if (kstrtou64(start_str, 0, &start) || kstrtou64(end_str, 0, &end) ||
	    end < start)
		return -EINVAL;
	WRITE_ONCE(span_start, start);
	WRITE_ONCE(span_end, end);
	return 0;
}

static int span_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%#llx-%#llx\n", READ_ONCE(span_start),
			  READ_ONCE(span_end));
}

static const struct kernel_param_ops span_ops = {
	.set = span_set,
	.get = span_get,
};
module_param_cb(span, &span_ops, NULL, 0600);
MODULE_PARM_DESC(span, "START-END: physical span whose blocks count");

static int counter_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", atomic_read(kp->arg));
}

static const struct kernel_param_ops counter_ops = {
	.get = counter_get,
};
module_param_cb(seen, &counter_ops, &seen, 0400);
MODULE_PARM_DESC(seen, "Events of the armed kind in the span since arming");
module_param_cb(injected, &counter_ops, &injected, 0400);
MODULE_PARM_DESC(injected, "Events failed since arming");

static int mem_fault_notify(struct notifier_block *nb, unsigned long action,
			    void *arg)
{
	const struct memory_notify *mn = arg;
	u64 start = PFN_PHYS(mn->start_pfn);
	unsigned int first = READ_ONCE(fail_at), n = READ_ONCE(count);
	int nth;

	if (action != READ_ONCE(armed_action) ||
	    start < READ_ONCE(span_start) || start > READ_ONCE(span_end))
		return NOTIFY_OK;
	nth = atomic_inc_return(&seen);
	if (nth < first || (n && nth >= first + n))
		return NOTIFY_OK;
	atomic_inc(&injected);
	pr_info("failing event %d (%s) of [mem %#llx-%#llx] with -%u\n", nth,
		action == MEM_GOING_ONLINE ? "going online" : "going offline",
		start, start + PFN_PHYS(mn->nr_pages) - 1, READ_ONCE(err));
	return notifier_from_errno(-(int)READ_ONCE(err));
}

static struct notifier_block mem_fault_nb = {
	.notifier_call = mem_fault_notify,
};

static int __init mem_fault_init(void)
{
	return register_memory_notifier(&mem_fault_nb);
}
module_init(mem_fault_init);

static void __exit mem_fault_exit(void)
{
	unregister_memory_notifier(&mem_fault_nb);
}
module_exit(mem_fault_exit);

MODULE_DESCRIPTION("dax_kmem tests: fail the K-th memory hotplug notifier event");
MODULE_LICENSE("GPL");
