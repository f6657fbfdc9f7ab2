// SPDX-License-Identifier: GPL-2.0
/*
 * Bringing a range's memory online in the zone the range asks for.
 *
 * The kernel auto-onlines hot-added memory by a global policy
 * (auto_online_blocks: offline on Debian 6.1, online into ZONE_NORMAL on
 * 6.12), and modules cannot call device_online() or take the device hotplug
 * lock. So while a range is being added, a memory notifier vetoes every
 * attempt to online it; afterwards this task onlines each block through the
 * block's own sysfs "state" store, the one path that takes the right locks,
 * picks the zone per block and sends the uevents an admin's write would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/spinlock.h>

#include "dax_kmem.h"

/* Give up on a contended device hotplug lock after about 10 s. */
#define STATE_WRITE_RETRIES 2000

enum gate_phase {
	GATE_OPEN,		/* no range of ours is being brought up */
	GATE_ADDING,		/* veto everyone, the kernel's auto-online too */
	GATE_ONLINING,		/* only the owner may online the range */
};

/* Which range is being brought up, and by whom; see gate_vetoes(). */
static struct {
	spinlock_t lock;	/* taken inside the memory notifier chain */
	enum gate_phase phase;
	unsigned long start_pfn;
	unsigned long end_pfn;
	struct task_struct *owner;
} gate = {
	.lock = __SPIN_LOCK_UNLOCKED(gate.lock),
};

/* One range is brought up at a time, so one gate is enough. */
static DEFINE_MUTEX(bring_up_lock);

static void gate_set(enum gate_phase phase, const struct dax_kmem_range *range)
{
	spin_lock(&gate.lock);
	gate.phase = phase;
	gate.start_pfn = PHYS_PFN(range->aligned.start);
	gate.end_pfn = PHYS_PFN(range->aligned.start + range->aligned.size);
	gate.owner = current;
	spin_unlock(&gate.lock);
}

static bool gate_vetoes(const struct memory_notify *mn)
{
	bool veto = false;

	spin_lock(&gate.lock);
	if (gate.phase != GATE_OPEN && mn->start_pfn < gate.end_pfn &&
	    mn->start_pfn + mn->nr_pages > gate.start_pfn)
		veto = gate.phase == GATE_ADDING || gate.owner != current;
	spin_unlock(&gate.lock);
	return veto;
}

static int gate_notify(struct notifier_block *nb, unsigned long action,
		       void *arg)
{
	if (action != MEM_GOING_ONLINE || !gate_vetoes(arg))
		return NOTIFY_OK;
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block gate_nb = {
	.notifier_call = gate_notify,
	/* First in the chain: nobody prepares for an online we then refuse. */
	.priority = INT_MAX,
};

/* restart_syscall() flagged a signal to retry; only real ones may stay. */
static bool drop_restart_request(void)
{
	/* Only exec replaces a task's sighand, and that is this task's doing. */
	struct sighand_struct *sighand =
		rcu_dereference_protected(current->sighand, true);

	spin_lock_irq(&sighand->siglock);
	recalc_sigpending();
	spin_unlock_irq(&sighand->siglock);
	return !signal_pending(current);
}

static int write_block_state(unsigned long block_id, const char *state)
{
	char path[64];
	struct file *file;
	ssize_t written;
	loff_t pos;
	int tries;

	snprintf(path, sizeof(path),
		 "/sys/devices/system/memory/memory%lu/state", block_id);
	file = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);

	for (tries = 0;; tries++) {
		pos = 0;
		written = kernel_write(file, state, strlen(state), &pos);
		if (written != -ERESTARTNOINTR)
			break;
		if (!drop_restart_request()) {
			written = -EINTR;
			break;
		}
		if (tries == STATE_WRITE_RETRIES) {
			written = -EBUSY;
			break;
		}
	}
	filp_close(file, NULL);
	return written < 0 ? written : 0;
}

static int online_blocks_movable(struct dax_kmem_range *range)
{
	unsigned long first = range->aligned.start / range->block_size;
	unsigned long count = range->aligned.size / range->block_size;
	unsigned long id;
	int rc;

	for (id = first; id < first + count; id++) {
		rc = write_block_state(id, "online_movable");
		if (rc) {
			dev_err(range->dev,
				"memory%lu: online_movable failed (%d)%s\n", id,
				rc, rc == -ENOENT ? ": is sysfs mounted on /sys?" : "");
			return rc;
		}
	}
	return 0;
}

/*
 * Adds the aligned part of @range and onlines all of it movable. On failure
 * nothing stays added unless *@still_added says otherwise, in which case the
 * memory is online and in use. The caller holds the reservation.
 */
int dax_kmem_add_online_movable(struct dax_kmem_range *range, bool *still_added)
{
	int nid = range->desc.nid;
	int rc, undo;

	*still_added = false;
	mutex_lock(&bring_up_lock);
	gate_set(GATE_ADDING, range);
	/* One call for the whole range: the kernel accepts any block multiple. */
	rc = add_memory_driver_managed(nid, range->aligned.start,
				       range->aligned.size, range->ram_name,
				       MHP_NONE);
	if (rc) {
		dev_err(range->dev, "add_memory_driver_managed failed (%d)\n",
			rc);
		goto out;
	}

	gate_set(GATE_ONLINING, range);
	rc = online_blocks_movable(range);
	if (rc) {
		/* Offlines what did come online, then removes it all. */
		undo = offline_and_remove_memory(range->aligned.start,
						 range->aligned.size);
		if (undo) {
			/* Leaves the memory usable rather than freeing under it. */
			dev_err(range->dev,
				"could not take back the half-onlined range (%d)\n",
				undo);
			*still_added = true;
		}
	}
out:
	gate_set(GATE_OPEN, range);
	mutex_unlock(&bring_up_lock);
	return rc;
}

int dax_kmem_online_init(void)
{
	return register_memory_notifier(&gate_nb);
}

void dax_kmem_online_exit(void)
{
	unregister_memory_notifier(&gate_nb);
}
