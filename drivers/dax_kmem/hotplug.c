// SPDX-License-Identifier: GPL-2.0
/*
 * A range's memory: adding it, bringing all of its blocks to one state
 * (online movable, online kernel, offline) or none of them, removing it.
 *
 * The kernel auto-onlines hot-added memory by a global policy
 * (auto_online_blocks: offline on Debian 6.1, online into ZONE_NORMAL on
 * 6.12), and modules cannot call device_online() or take the device
 * hotplug lock. So while a range is added a memory notifier vetoes every
 * attempt to online it, and while this module changes a range's blocks it
 * vetoes everyone else's; the blocks change state through their own sysfs
 * "state" store, the one path that takes the right locks, picks the zone
 * per block and sends the uevents an admin's write would.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

/* Give up on a contended device hotplug lock after about 10 s. */
#define STATE_WRITE_RETRIES 2000

enum gate_phase {
	GATE_OPEN,		/* no range of ours is changing */
	GATE_ADDING,		/* veto everyone, the kernel's auto-online too */
	GATE_OWNED,		/* only the owner may online the range */
};

/* Which range is changing, and by whom; see gate_vetoes(). */
static struct {
	spinlock_t lock;	/* taken inside the memory notifier chain */
	enum gate_phase phase;
	unsigned long start_pfn;
	unsigned long end_pfn;
	struct task_struct *owner;
} gate = {
	.lock = __SPIN_LOCK_UNLOCKED(gate.lock),
};

/* One range changes at a time, so one gate is enough. */
static DEFINE_MUTEX(change_lock);

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

static int write_file(struct file *file, const char *word)
{
	ssize_t written;
	loff_t pos;
	int tries;

	for (tries = 0;; tries++) {
		pos = 0;
		written = kernel_write(file, word, strlen(word), &pos);
		if (written != -ERESTARTNOINTR)
			break;
		if (!drop_restart_request())
			return -EINTR;
		if (tries == STATE_WRITE_RETRIES)
			return -EBUSY;
	}
	return written < 0 ? written : 0;
}

/* Reads the start of a sysfs file into @buf (NUL-terminated); "" on error. */
static void read_sysfs(const char *path, char *buf, size_t len)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t got;

	buf[0] = '\0';
	file = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(file))
		return;
	got = kernel_read(file, buf, len - 1, &pos);
	buf[got > 0 ? got : 0] = '\0';
	filp_close(file, NULL);
}

bool dax_kmem_read_sysfs_flag(const char *path)
{
	char flag[4];

	read_sysfs(path, flag, sizeof(flag));
	return flag[0] == 'Y' || flag[0] == '1';
}

/*
 * Where block @id is now: offline, or online in the Movable or a kernel
 * zone; unset if sysfs could not say.
 */
static enum dax_kmem_online_type block_state(unsigned long id)
{
	char path[64], state[16], zones[64];

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", id);
	read_sysfs(path, state, sizeof(state));
	if (!strncmp(state, "offline", 7))
		return DAX_KMEM_ONLINE_OFFLINE;
	if (strncmp(state, "online", 6))
		return DAX_KMEM_ONLINE_UNSET;
	/* An online block's valid_zones names the one zone it is in. */
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/valid_zones", id);
	read_sysfs(path, zones, sizeof(zones));
	if (!zones[0])
		return DAX_KMEM_ONLINE_UNSET;
	return strncmp(zones, "Movable", 7) ? DAX_KMEM_ONLINE_KERNEL :
					      DAX_KMEM_ONLINE_MOVABLE;
}

static unsigned long first_block(const struct dax_kmem_range *range)
{
	return range->aligned.start / range->block_size;
}

static unsigned long block_count(const struct dax_kmem_range *range)
{
	return range->aligned.size / range->block_size;
}

/*
 * The blocks' state files and the record of what this change did, all
 * allocated before anything changes: a rollback comes when memory is
 * tight (offlining failed for want of room elsewhere), and must not need
 * to allocate then. Only the blocks this change moved are moved back, each
 * to where it was, so a block an admin had set by hand stays as it was.
 */
struct block_files {
	unsigned long first;
	unsigned long count;
	struct file **state;
	u8 *offlined_from;	/* online type before, or UNSET: untouched */
	unsigned long *onlined;
};

static void close_block_files(struct block_files *files)
{
	unsigned long i;

	for (i = 0; i < files->count; i++)
		if (!IS_ERR_OR_NULL(files->state[i]))
			filp_close(files->state[i], NULL);
	kfree(files->state);
	kfree(files->offlined_from);
	bitmap_free(files->onlined);
}

static int open_block_files(struct dax_kmem_range *range,
			    struct block_files *files)
{
	char path[64];
	unsigned long i;
	int rc;

	files->first = first_block(range);
	files->count = block_count(range);
	files->state = kcalloc(files->count, sizeof(*files->state), GFP_KERNEL);
	files->offlined_from = kcalloc(files->count, 1, GFP_KERNEL);
	files->onlined = bitmap_zalloc(files->count, GFP_KERNEL);
	if (!files->state || !files->offlined_from || !files->onlined) {
		files->count = 0;
		close_block_files(files);
		return -ENOMEM;
	}
	for (i = 0; i < files->count; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%lu/state",
			 files->first + i);
		files->state[i] = filp_open(path, O_WRONLY, 0);
		if (IS_ERR(files->state[i])) {
			rc = PTR_ERR(files->state[i]);
			dev_err(range->dev, "cannot open %s (%d)%s\n", path, rc,
				rc == -ENOENT ? ": is sysfs mounted on /sys?" : "");
			close_block_files(files);
			return rc;
		}
	}
	return 0;
}

/*
 * Brings the blocks offline_blocks() took offline back to where each
 * was, in dax_kmem_online_order() for the reason onlining uses it.
 */
static int restore_offlined(struct dax_kmem_range *range,
			    struct block_files *files)
{
	unsigned long step, i, restored = 0;
	const char *word;
	int rc = 0;

	for (step = 0; step < files->count; step++) {
		i = dax_kmem_online_order(step, files->count);
		if (files->offlined_from[i] == DAX_KMEM_ONLINE_UNSET)
			continue;
		word = dax_kmem_block_state_word(files->offlined_from[i]);
		if (write_file(files->state[i], word)) {
			dev_err(range->dev, "memory%lu: could not be brought back %s\n",
				files->first + i, word);
			rc = -EIO;
			continue;
		}
		files->offlined_from[i] = DAX_KMEM_ONLINE_UNSET;
		restored++;
	}
	if (restored)
		dev_info(range->dev, "rolled back %lu offlined blocks to their previous state\n",
			 restored);
	return rc;
}

/*
 * Offlines every online block not already in @keep's zone, in
 * dax_kmem_offline_order(); on failure, the blocks it offlined go back.
 */
static int offline_blocks(struct dax_kmem_range *range,
			  struct block_files *files,
			  enum dax_kmem_online_type keep)
{
	enum dax_kmem_online_type was;
	unsigned long step, i;
	int rc;

	for (step = 0; step < files->count; step++) {
		i = dax_kmem_offline_order(step, files->count);
		was = block_state(files->first + i);
		if (was == DAX_KMEM_ONLINE_OFFLINE || was == keep)
			continue;
		/* Unreadable (memory is short): it was where the range was. */
		if (was == DAX_KMEM_ONLINE_UNSET)
			was = range->online_now;
		rc = write_file(files->state[i], "offline");
		if (!rc) {
			files->offlined_from[i] = was;
			continue;
		}
		dev_err(range->dev, "memory%lu: offline failed (%d)\n",
			files->first + i, rc);
		restore_offlined(range, files);
		return rc;
	}
	return 0;
}

/*
 * Onlines every block not yet in @target's zone (all of them if
 * @all_offline), in dax_kmem_online_order(); on failure the blocks it
 * onlined go offline again.
 */
static int online_blocks(struct dax_kmem_range *range,
			 struct block_files *files,
			 enum dax_kmem_online_type target, bool all_offline)
{
	const char *word = dax_kmem_block_state_word(target);
	unsigned long step, back, i;
	int rc;

	for (step = 0; step < files->count; step++) {
		i = dax_kmem_online_order(step, files->count);
		if (!all_offline && block_state(files->first + i) == target)
			continue;
		rc = write_file(files->state[i], word);
		if (!rc) {
			set_bit(i, files->onlined);
			continue;
		}
		dev_err(range->dev, "memory%lu: %s failed (%d)\n",
			files->first + i, word, rc);
		for (back = step; back-- > 0;) {
			i = dax_kmem_online_order(back, files->count);
			if (!test_bit(i, files->onlined))
				continue;
			if (write_file(files->state[i], "offline"))
				dev_err(range->dev,
					"memory%lu: could not be taken back offline\n",
					files->first + i);
			else
				clear_bit(i, files->onlined);
		}
		return rc;
	}
	return 0;
}

/*
 * Brings every block to @target or, on failure, each back to where it
 * was. Blocks already there are left alone, whatever range->online_now
 * says: an admin may have moved some by hand. Right after the add, with
 * the gate closed since, every block is known to be offline
 * (@all_offline), which saves two sysfs reads per block (about 50 ms of
 * the 0.7 s a 64 GiB bind takes under TCG). Caller holds change_lock
 * with the gate owned.
 */
static int set_blocks(struct dax_kmem_range *range,
		      enum dax_kmem_online_type target, bool all_offline)
{
	struct block_files files;
	int rc;

	rc = open_block_files(range, &files);
	if (rc)
		return rc;
	/* A zone change goes through offline: the kernel has no other way. */
	if (!all_offline) {
		rc = offline_blocks(range, &files, target);
		if (rc)
			goto out;
	}
	if (target != DAX_KMEM_ONLINE_OFFLINE) {
		rc = online_blocks(range, &files, target, all_offline);
		if (rc) {
			if (restore_offlined(range, &files)) {
				dev_err(range->dev,
					"could not bring every block back: some stay offline\n");
				range->online_now = DAX_KMEM_ONLINE_OFFLINE;
			}
			goto out;
		}
	}
	range->online_now = target;
out:
	close_block_files(&files);
	return rc;
}

int dax_kmem_set_online_type(struct dax_kmem_range *range,
			     enum dax_kmem_online_type target)
{
	int rc;

	mutex_lock(&change_lock);
	gate_set(GATE_OWNED, range);
	rc = set_blocks(range, target, false);
	gate_set(GATE_OPEN, range);
	mutex_unlock(&change_lock);
	return rc;
}

static int add_calls(struct dax_kmem_range *range, int nid_or_mgid,
		     mhp_t flags)
{
	u64 step = range->aligned.size, done;
	int rc = 0;

	if (range->memmap_on_range && DAX_KMEM_MEMMAP_ON_RANGE_PER_BLOCK)
		step = range->block_size;
	for (done = 0; done < range->aligned.size; done += step) {
		rc = add_memory_driver_managed(nid_or_mgid,
					       range->aligned.start + done,
					       step, range->ram_name, flags);
		if (rc)
			break;
	}
	if (!rc)
		return 0;
	dev_err(range->dev, "add_memory_driver_managed failed at +%#llx (%d)\n",
		done, rc);
	/* What was added is offline: the gate kept everyone away from it. */
	while (done) {
		done -= step;
		if (remove_memory(range->aligned.start + done, step))
			dev_err(range->dev, "could not take back +%#llx\n", done);
	}
	return rc;
}

/* Removes the (offline) memory in the granularity it was added in. */
static int remove_calls(struct dax_kmem_range *range)
{
	u64 step = range->aligned.size, done;
	int rc;

	if (range->memmap_on_range && DAX_KMEM_MEMMAP_ON_RANGE_PER_BLOCK)
		step = range->block_size;
	for (done = 0; done < range->aligned.size; done += step) {
		rc = remove_memory(range->aligned.start + done, step);
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Adds the aligned part of @range as one memory group and brings it to
 * @target. On failure nothing stays added unless *@still_added says
 * otherwise, in which case the memory is in use. The caller holds the
 * reservation.
 */
int dax_kmem_add_memory(struct dax_kmem_range *range,
			enum dax_kmem_online_type target, bool *still_added)
{
	mhp_t flags = MHP_NID_IS_MGID;
	int mgid, rc;

	*still_added = false;
	/* One static group per range: the kernel's policies see it as a unit. */
	mgid = memory_group_register_static(range->desc.nid,
					    PHYS_PFN(range->aligned.size));
	if (mgid < 0) {
		dev_err(range->dev, "memory_group_register_static failed (%d)\n",
			mgid);
		return mgid;
	}
	if (range->memmap_on_range)
		flags |= MHP_MEMMAP_ON_MEMORY;

	mutex_lock(&change_lock);
	gate_set(GATE_ADDING, range);
	rc = add_calls(range, mgid, flags);
	if (rc)
		goto out;
	range->mgid = mgid;
	range->online_now = DAX_KMEM_ONLINE_OFFLINE;
	gate_set(GATE_OWNED, range);
	rc = set_blocks(range, target, true);
	if (rc) {
		/* set_blocks() left every block offline, so this cannot stall. */
		if (range->online_now == DAX_KMEM_ONLINE_OFFLINE &&
		    !remove_calls(range)) {
			range->mgid = -1;
		} else {
			dev_err(range->dev, "could not take back the range\n");
			*still_added = true;
		}
	}
out:
	gate_set(GATE_OPEN, range);
	mutex_unlock(&change_lock);
	if (rc && !*still_added)
		memory_group_unregister(mgid);
	return rc;
}

/*
 * Offlines every block (or none) and removes the memory. On failure the
 * range is exactly as it was: every block in its previous state.
 *
 * The kernel's offline_and_remove_memory() would do this in one call, but
 * it offlines bottom up, and each offline walks the zone from its start
 * to the first hole: quadratic, 3-4 s of 64 GiB under TCG. The blocks go
 * offline here in dax_kmem_offline_order() instead, through the same
 * pre-opened state files as any other change, and the gate keeps anyone
 * else from onlining them before they are removed.
 */
int dax_kmem_remove_memory(struct dax_kmem_range *range)
{
	enum dax_kmem_online_type before = range->online_now;
	int rc;

	mutex_lock(&change_lock);
	gate_set(GATE_OWNED, range);
	rc = set_blocks(range, DAX_KMEM_ONLINE_OFFLINE, false);
	if (rc) {
		dev_err(range->dev, "removal failed (%d)\n", rc);
	} else {
		rc = remove_calls(range);
		if (rc) {
			dev_err(range->dev, "removal of the offline range failed (%d)\n",
				rc);
			if (set_blocks(range, before, true))
				dev_err(range->dev, "the range stays offline\n");
		}
	}
	gate_set(GATE_OPEN, range);
	mutex_unlock(&change_lock);
	if (rc)
		return rc;
	memory_group_unregister(range->mgid);
	range->mgid = -1;
	return 0;
}

int dax_kmem_hotplug_init(void)
{
	return register_memory_notifier(&gate_nb);
}

void dax_kmem_hotplug_exit(void)
{
	unregister_memory_notifier(&gate_nb);
}
