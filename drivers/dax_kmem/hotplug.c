// SPDX-License-Identifier: GPL-2.0
/*
 * A range's memory: adding it, bringing all of its blocks to one state
 * (online movable, online kernel, offline) or none of them, removing it.
 * Every function here runs in the state machine's worker thread only.
 *
 * The kernel onlines hot-added memory by a global policy
 * (auto_online_blocks: offline on Debian 6.1, online into ZONE_NORMAL on
 * 6.12), and modules can neither pick a zone per add nor call
 * device_online(). So while a range is being added, a memory notifier
 * refuses the kernel's own onlining of it, as early as the kernel asks
 * (before it initialises the block's struct pages where it can: 6.8 to
 * 6.18 ask with MEM_PREPARE_ONLINE), and while the worker changes a
 * range's blocks it refuses everyone else's onlining of them.
 *
 * The compromise: blocks change state through their own sysfs "state"
 * store, the one exported path that takes the device hotplug lock, picks
 * the zone per block and sends the uevents an admin's write would. Only
 * the worker writes them, in init's root and mount namespace with kernel
 * credentials, never from inside another sysfs write; it reads block
 * states from the kernel itself (pfn_to_online_page()), not from sysfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

#define HOTPLUG_NO_SYSFS_HINT ": is sysfs mounted on /sys for init (PID 1)?"

enum hotplug_gate_phase {
	GATE_OPEN,		/* no range of ours is changing */
	GATE_ADDING,		/* refuse everyone, the kernel's auto-online too */
	GATE_OWNED,		/* only the worker may online the range */
};

/* Which range is changing; see hotplug_gate_vetoes(). */
static struct {
	spinlock_t lock;	/* taken inside the memory notifier chain */
	enum hotplug_gate_phase phase;
	unsigned long start_pfn;
	unsigned long end_pfn;
} gate = {
	.lock = __SPIN_LOCK_UNLOCKED(gate.lock),
};

static void hotplug_gate_set(enum hotplug_gate_phase phase,
			     const struct dax_kmem_range *range)
{
	spin_lock(&gate.lock);
	gate.phase = phase;
	gate.start_pfn = PHYS_PFN(range->aligned.start);
	gate.end_pfn = PHYS_PFN(range->aligned.start + range->aligned.size);
	spin_unlock(&gate.lock);
}

static bool hotplug_gate_vetoes(const struct memory_notify *mn)
{
	bool veto = false;

	spin_lock(&gate.lock);
	if (gate.phase != GATE_OPEN && mn->start_pfn < gate.end_pfn &&
	    mn->start_pfn + mn->nr_pages > gate.start_pfn)
		veto = gate.phase == GATE_ADDING || !dax_kmem_sm_is_worker();
	spin_unlock(&gate.lock);
	return veto;
}

static int hotplug_gate_notify(struct notifier_block *nb,
			       unsigned long action, void *arg)
{
	const struct memory_notify *mn = arg;

	if (!dax_kmem_is_online_request(action) || !hotplug_gate_vetoes(mn))
		return NOTIFY_OK;
	if (!dax_kmem_refuses_before_memmap())
		pr_info_once("refused an online at pfn %#lx after its memmap was initialised: this kernel asks notifiers no earlier\n",
			     mn->start_pfn);
	return notifier_from_errno(-EBUSY);
}

static struct notifier_block hotplug_gate_nb = {
	.notifier_call = hotplug_gate_notify,
	/* First in the chain: nobody prepares for an online we then refuse. */
	.priority = INT_MAX,
};

/*
 * lock_device_hotplug_sysfs() asks for a restart by flagging a signal
 * while another task holds the lock. Returns true when a real signal
 * (the state machine interrupting an offline) is pending and the write
 * may give up; one that must not give up drops it.
 */
static bool hotplug_restart_interrupted(bool interruptible)
{
	/* Only exec replaces a task's sighand; the worker never execs. */
	struct sighand_struct *sighand =
		rcu_dereference_protected(current->sighand, true);
	bool pending;

	spin_lock_irq(&sighand->siglock);
	recalc_sigpending();
	pending = signal_pending(current);
	spin_unlock_irq(&sighand->siglock);
	if (pending && !interruptible) {
		flush_signals(current);
		pending = false;
	}
	return pending;
}

/*
 * Writes @word to a block's state file, waiting as long as another task
 * holds the device hotplug lock: the worker has no caller to time out.
 */
static int hotplug_write_state(struct file *file, const char *word,
			       bool interruptible)
{
	ssize_t written;
	loff_t pos;

	for (;;) {
		pos = 0;
		written = kernel_write(file, word, strlen(word), &pos);
		if (written != -ERESTARTNOINTR)
			break;
		if (hotplug_restart_interrupted(interruptible))
			return -EINTR;
		dax_kmem_sm_offline_waits_for_lock();
	}
	return written < 0 ? written : 0;
}

/*
 * Opens @path as init (PID 1) sees it. Kernel threads used to share init's
 * fs_struct, so a plain filp_open() from the worker resolved in init's
 * root; 7.x mounts the rootfs on top of a nullfs and leaves kernel threads
 * on the nullfs, where there is no /sys. Asking for init's root gives the
 * same answer on every kernel.
 */
static struct file *hotplug_filp_open(const char *path, int flags)
{
	struct task_struct *init;
	struct file *file = ERR_PTR(-ESRCH);
	struct path root;

	/* PID 1 of the initial namespace, whoever the caller is. */
	rcu_read_lock();
	init = pid_task(find_pid_ns(1, &init_pid_ns), PIDTYPE_PID);
	if (init)
		get_task_struct(init);
	rcu_read_unlock();
	if (!init)
		return file;
	task_lock(init);
	if (init->fs) {
		get_fs_root(init->fs, &root);
		task_unlock(init);
		file = file_open_root(&root, path, flags, 0);
		path_put(&root);
	} else {
		task_unlock(init);
	}
	put_task_struct(init);
	return file;
}

/* Reads the start of a sysfs file into @buf (NUL-terminated); "" on error. */
static void hotplug_read_sysfs(const char *path, char *buf, size_t len)
{
	struct file *file;
	loff_t pos = 0;
	ssize_t got;

	buf[0] = '\0';
	file = hotplug_filp_open(path, O_RDONLY);
	if (IS_ERR(file))
		return;
	got = kernel_read(file, buf, len - 1, &pos);
	buf[got > 0 ? got : 0] = '\0';
	filp_close(file, NULL);
}

/*
 * Takes a known-bad page out of use through the kernel's soft_offline_page
 * file (soft_offline_page() is not exported): a free page leaves the
 * allocator for good, a page already in use is migrated first, and it is
 * marked poisoned and counted in HardwareCorrupted either way. Nobody is
 * killed for a page that has not failed yet, as memory_failure() would
 * kill the owner of a page allocated in the moment after its online.
 * The same compromise as the block state files (see the top).
 */
int dax_kmem_soft_offline(u64 addr)
{
	struct file *file;
	ssize_t written;
	loff_t pos = 0;
	char word[24];

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;
	file = hotplug_filp_open("/sys/devices/system/memory/soft_offline_page",
				 O_WRONLY);
	if (IS_ERR(file))
		return PTR_ERR(file);
	snprintf(word, sizeof(word), "%#llx", addr);
	written = kernel_write(file, word, strlen(word), &pos);
	filp_close(file, NULL);
	return written < 0 ? written : 0;
}

bool dax_kmem_read_sysfs_flag(const char *path)
{
	char flag[4];

	hotplug_read_sysfs(path, flag, sizeof(flag));
	return flag[0] == 'Y' || flag[0] == '1';
}

static unsigned long hotplug_block_count(const struct dax_kmem_range *range)
{
	return range->present_size / range->block_size;
}

/* Where block @i of @range is now, as the kernel itself says. */
static enum dax_kmem_online_type
hotplug_block_now(const struct dax_kmem_range *range, unsigned long i)
{
	struct page *page;

	page = pfn_to_online_page(PHYS_PFN(range->aligned.start +
					   i * range->block_size));
	if (!page)
		return DAX_KMEM_ONLINE_OFFLINE;
	return zone_idx(page_zone(page)) == ZONE_MOVABLE ?
	       DAX_KMEM_ONLINE_MOVABLE : DAX_KMEM_ONLINE_KERNEL;
}

void dax_kmem_count_blocks(const struct dax_kmem_range *range,
			   unsigned long *movable, unsigned long *kernel,
			   unsigned long *offline)
{
	unsigned long i, count = hotplug_block_count(range);

	*movable = 0;
	*kernel = 0;
	*offline = 0;
	for (i = 0; i < count; i++) {
		switch (hotplug_block_now(range, i)) {
		case DAX_KMEM_ONLINE_MOVABLE:
			(*movable)++;
			break;
		case DAX_KMEM_ONLINE_KERNEL:
			(*kernel)++;
			break;
		default:
			(*offline)++;
			break;
		}
	}
}

static void hotplug_set_online_now(struct dax_kmem_range *range,
				   enum dax_kmem_online_type type)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->online_now = type;
	mutex_unlock(&dax_kmem_sm_lock);
}

static void hotplug_set_present(struct dax_kmem_range *range, u64 size)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->present_size = size;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * The blocks' state files and the record of what this change did, all
 * allocated before anything changes: a rollback comes when memory is
 * tight (offlining failed for want of room elsewhere), and must not need
 * to allocate then. Only the blocks this change moved are moved back, each
 * to where it was, so a block an admin had set by hand stays as it was.
 */
struct hotplug_blocks {
	unsigned long first;	/* memoryN of the set's block 0 */
	unsigned long base;	/* the range's block index of block 0 */
	unsigned long count;
	struct file **state;
	u8 *offlined_from;	/* online type before, or UNSET: untouched */
	unsigned long *onlined;
};

static void hotplug_close_blocks(struct hotplug_blocks *blocks)
{
	unsigned long i;

	for (i = 0; i < blocks->count; i++)
		if (!IS_ERR_OR_NULL(blocks->state[i]))
			filp_close(blocks->state[i], NULL);
	kfree(blocks->state);
	kfree(blocks->offlined_from);
	bitmap_free(blocks->onlined);
}

/* The range's present blocks from @base on. */
static int hotplug_open_blocks_from(struct dax_kmem_range *range,
				    struct hotplug_blocks *blocks,
				    unsigned long base)
{
	char path[64];
	unsigned long i;
	int rc;

	blocks->base = base;
	blocks->first = range->aligned.start / range->block_size + base;
	blocks->count = hotplug_block_count(range) - base;
	blocks->state = kcalloc(blocks->count, sizeof(*blocks->state),
				GFP_KERNEL);
	blocks->offlined_from = kcalloc(blocks->count, 1, GFP_KERNEL);
	blocks->onlined = bitmap_zalloc(blocks->count, GFP_KERNEL);
	if (!blocks->state || !blocks->offlined_from || !blocks->onlined) {
		blocks->count = 0;
		hotplug_close_blocks(blocks);
		return -ENOMEM;
	}
	for (i = 0; i < blocks->count; i++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/memory/memory%lu/state",
			 blocks->first + i);
		blocks->state[i] = hotplug_filp_open(path, O_WRONLY);
		if (IS_ERR(blocks->state[i])) {
			rc = PTR_ERR(blocks->state[i]);
			range_err(range, "cannot open %s (%d)%s\n", path, rc,
				  rc == -ENOENT ? HOTPLUG_NO_SYSFS_HINT : "");
			hotplug_close_blocks(blocks);
			return rc;
		}
		cond_resched();
	}
	return 0;
}

static int hotplug_open_blocks(struct dax_kmem_range *range,
			       struct hotplug_blocks *blocks)
{
	return hotplug_open_blocks_from(range, blocks, 0);
}

/*
 * Brings the blocks hotplug_offline_blocks() took offline back to where
 * each was, in dax_kmem_online_order() for the reason onlining uses it.
 */
static int hotplug_restore_offlined(struct dax_kmem_range *range,
				    struct hotplug_blocks *blocks)
{
	unsigned long step, i, restored = 0;
	const char *word;
	int rc = 0;

	for (step = 0; step < blocks->count; step++) {
		i = dax_kmem_online_order(step, blocks->count);
		/* Removed since it went offline: nothing to bring back. */
		if (blocks->offlined_from[i] == DAX_KMEM_ONLINE_UNSET ||
		    blocks->base + i >= hotplug_block_count(range))
			continue;
		word = dax_kmem_block_state_word(blocks->offlined_from[i]);
		if (hotplug_write_state(blocks->state[i], word, false)) {
			range_err(range, "memory%lu: could not be brought back %s\n",
				  blocks->first + i, word);
			rc = -EIO;
			continue;
		}
		blocks->offlined_from[i] = DAX_KMEM_ONLINE_UNSET;
		restored++;
	}
	if (restored)
		range_info(range, "rolled back %lu offlined blocks to their previous state\n",
			   restored);
	return rc;
}

/*
 * Offlines every online block not already in @keep's zone, in
 * dax_kmem_offline_order(); on failure, the blocks it offlined go back.
 */
static int hotplug_offline_blocks(struct dax_kmem_range *range,
				  struct hotplug_blocks *blocks,
				  enum dax_kmem_online_type keep)
{
	enum dax_kmem_online_type was;
	unsigned long step, i;
	int rc;

	for (step = 0; step < blocks->count; step++) {
		i = dax_kmem_offline_order(step, blocks->count);
		was = hotplug_block_now(range, blocks->base + i);
		if (was == DAX_KMEM_ONLINE_OFFLINE || was == keep)
			continue;
		if (!dax_kmem_sm_offline_may_go_on(range)) {
			hotplug_restore_offlined(range, blocks);
			return -EINTR;
		}
		rc = hotplug_write_state(blocks->state[i], "offline", true);
		if (!rc) {
			blocks->offlined_from[i] = was;
			dax_kmem_sm_offline_progress();
			continue;
		}
		range_err(range, "memory%lu: offline failed (%d)\n",
			  blocks->first + i, rc);
		hotplug_restore_offlined(range, blocks);
		return rc;
	}
	return 0;
}

/*
 * Onlines every block not yet in @target's zone, in
 * dax_kmem_online_order(); on failure the blocks it onlined go offline
 * again.
 */
static int hotplug_online_blocks(struct dax_kmem_range *range,
				 struct hotplug_blocks *blocks,
				 enum dax_kmem_online_type target)
{
	const char *word = dax_kmem_block_state_word(target);
	unsigned long step, back, i;
	int rc;

	for (step = 0; step < blocks->count; step++) {
		i = dax_kmem_online_order(step, blocks->count);
		if (hotplug_block_now(range, blocks->base + i) == target)
			continue;
		rc = hotplug_write_state(blocks->state[i], word, false);
		if (!rc) {
			set_bit(i, blocks->onlined);
			/* At once: the block's pages are being handed out. */
			dax_kmem_bad_pages_apply(range);
			continue;
		}
		range_err(range, "memory%lu: %s failed (%d)\n",
			  blocks->first + i, word, rc);
		for (back = step; back-- > 0;) {
			i = dax_kmem_online_order(back, blocks->count);
			if (!test_bit(i, blocks->onlined))
				continue;
			if (hotplug_write_state(blocks->state[i], "offline", false))
				range_err(range, "memory%lu: could not be taken back offline\n",
					  blocks->first + i);
			else
				clear_bit(i, blocks->onlined);
		}
		return rc;
	}
	return 0;
}

/*
 * Brings every present block to @target or, on failure, each back to
 * where it was. Blocks already there are left alone: an admin may have
 * moved some by hand. The gate is owned by the worker meanwhile.
 */
static int hotplug_set_blocks_from(struct dax_kmem_range *range,
				   enum dax_kmem_online_type target,
				   unsigned long base)
{
	struct hotplug_blocks blocks;
	int rc;

	rc = hotplug_open_blocks_from(range, &blocks, base);
	if (rc)
		return rc;
	/* Onlining a block again makes the kernel forget its poison. */
	dax_kmem_bad_pages_record(range);
	/* A zone change goes through offline: the kernel has no other way. */
	rc = hotplug_offline_blocks(range, &blocks, target);
	/* What follows (onlining, rollbacks) must not be interrupted. */
	dax_kmem_sm_offline_done();
	if (!rc && target != DAX_KMEM_ONLINE_OFFLINE) {
		rc = hotplug_online_blocks(range, &blocks, target);
		if (rc && hotplug_restore_offlined(range, &blocks))
			range_err(range, "could not bring every block back: see its state\n");
	}
	if (!rc)
		hotplug_set_online_now(range, target);
	/* Whatever is online now, rolled back or not, keeps bad pages out. */
	dax_kmem_bad_pages_apply(range);
	hotplug_close_blocks(&blocks);
	return rc;
}

static int hotplug_set_blocks(struct dax_kmem_range *range,
			      enum dax_kmem_online_type target)
{
	return hotplug_set_blocks_from(range, target, 0);
}

int dax_kmem_set_online_type(struct dax_kmem_range *range,
			     enum dax_kmem_online_type target)
{
	int rc;

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;

	hotplug_gate_set(GATE_OWNED, range);
	rc = hotplug_set_blocks(range, target);
	hotplug_gate_set(GATE_OPEN, range);
	return rc;
}

/*
 * The size of the next add or remove call for @left bytes: one memory
 * block, always. The kernel removes memory only in the pieces it was
 * added in: x86 frees the direct map's page tables per removal, and
 * removing part of a 1 GiB-aligned add (mapped with a 1 GiB page) takes
 * that page for a page table and frees the range's first page (seen: a
 * shrink, then "kernel BUG at mm/page_alloc.c" offlining the first block,
 * on 6.1 and 6.12). A shrink or grow changes a range by whole blocks, so
 * blocks are the unit every removal can match. 6.1 also takes the memmap
 * on the range only in calls of one block.
 */
static u64 hotplug_call_size(const struct dax_kmem_range *range, u64 left)
{
	return min(left, range->block_size);
}

/*
 * Removes (offline) memory from the top down to @keep bytes, one call at
 * a time, so that what stays after a failure is a prefix a later removal
 * finishes.
 */
static int hotplug_remove_calls(struct dax_kmem_range *range, u64 keep)
{
	u64 size = range->present_size, step;
	int rc;

	while (size > keep) {
		step = hotplug_call_size(range, size - keep);
		rc = remove_memory(range->aligned.start + size - step, step);
		if (rc)
			return rc;
		size -= step;
		hotplug_set_present(range, size);
		cond_resched();
	}
	return 0;
}

/* Adds what is not yet present of range->aligned, from the bottom up. */
static int hotplug_add_calls(struct dax_kmem_range *range, int mgid,
			     mhp_t flags)
{
	u64 keep = range->present_size, done, step = 0;
	int rc = 0;

	for (done = keep; done < range->aligned.size; done += step) {
		step = hotplug_call_size(range, range->aligned.size - done);
		rc = add_memory_driver_managed(mgid, range->aligned.start + done,
					       step, range->ram_name, flags);
		if (rc)
			break;
		hotplug_set_present(range, done + step);
		cond_resched();
	}
	if (!rc)
		return 0;
	range_err(range, "add_memory_driver_managed failed at +%#llx (%d)\n",
		  done, rc);
	/* What was added is offline: the gate kept everyone away from it. */
	if (hotplug_remove_calls(range, keep))
		range_err(range, "could not take back the %llu MiB already added\n",
			  range->present_size >> 20);
	return rc;
}

/*
 * Struct pages on the range itself need memory_hotplug.memmap_on_memory=1
 * at boot and a block whose memmap fills whole pageblocks (not so with
 * 16 KiB pages: 512 KiB of a 128 MiB block, pageblocks of 32 MiB); else
 * the kernel would quietly put them in DRAM anyway, so decide here and say
 * which. Where such blocks could never be offlined, DRAM it is too.
 */
static bool hotplug_memmap_on_range(struct dax_kmem_range *range,
				    enum dax_kmem_memmap wanted)
{
	if (wanted != DAX_KMEM_MEMMAP_RANGE)
		return false;
	if (dax_kmem_bad_pages_in_memmap(range, range->aligned.start,
					 range->aligned.size)) {
		range_warn(range, "memmap on the range: a bad page lies where a block's memmap would go; it goes to DRAM\n");
		return false;
	}
	if (!dax_kmem_memmap_on_range_removable()) {
		range_warn(range, "memmap on the range: this kernel could never offline such blocks (it will not split the vmemmap's mapping); it goes to DRAM\n");
		return false;
	}
	if (dax_kmem_memmap_on_memory_enabled())
		return true;
	if (dax_kmem_memmap_on_memory_param())
		range_warn(range, "memmap on the range: the kernel cannot place the memmap of a %llu MiB block on it with %lu KiB pages; it goes to DRAM\n",
			   range->block_size >> 20, PAGE_SIZE >> 10);
	else
		range_warn(range, "memmap on the range needs memory_hotplug.memmap_on_memory=1 at boot; it goes to DRAM\n");
	return false;
}

u64 dax_kmem_memmap_dram_bytes(const struct dax_kmem_range *range)
{
	if (range->memmap_on_range)
		return 0;
	return PHYS_PFN(range->present_size) * sizeof(struct page);
}

u64 dax_kmem_memmap_range_bytes(const struct dax_kmem_range *range)
{
	u64 per_block;

	if (!range->memmap_on_range)
		return 0;
	/* The kernel takes whole pageblocks of each block for its memmap. */
	per_block = ALIGN(PHYS_PFN(range->block_size) * sizeof(struct page),
			  PAGE_SIZE << pageblock_order);
	return per_block * hotplug_block_count(range);
}

static void hotplug_unregister_group(struct dax_kmem_range *range)
{
	int rc = memory_group_unregister(range->mgid);

	if (rc)
		range_err(range, "memory group %d stays registered (%d)\n",
			  range->mgid, rc);
	mutex_lock(&dax_kmem_sm_lock);
	range->mgid = -1;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Adds the aligned part of @range as one memory group and brings it to
 * @target. On failure what is still added is range->present_size bytes
 * (in use, or offline where a rollback failed); nothing if zero.
 */
int dax_kmem_add_memory(struct dax_kmem_range *range,
			enum dax_kmem_online_type target,
			enum dax_kmem_memmap memmap)
{
	/* One resource however many calls: a later grow or shrink keeps it one. */
	mhp_t flags = MHP_NID_IS_MGID | MHP_MERGE_RESOURCE;
	bool on_range;
	int mgid, rc;

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;

	on_range = hotplug_memmap_on_range(range, memmap);
	/* kmalloc'd, not module rodata: it may have to outlive the module. */
	range->ram_name = kstrdup("System RAM (kmem)", GFP_KERNEL);
	if (!range->ram_name)
		return -ENOMEM;
	/* One static group per range: the kernel's policies see it as a unit. */
	mgid = memory_group_register_static(range->desc.nid,
					    PHYS_PFN(range->aligned.size));
	if (mgid < 0) {
		range_err(range, "memory_group_register_static failed (%d)\n",
			  mgid);
		rc = mgid;
		goto free_name;
	}
	mutex_lock(&dax_kmem_sm_lock);
	range->mgid = mgid;
	range->memmap_on_range = on_range;
	range->online_now = DAX_KMEM_ONLINE_OFFLINE;
	mutex_unlock(&dax_kmem_sm_lock);
	if (on_range)
		flags |= MHP_MEMMAP_ON_MEMORY;

	hotplug_gate_set(GATE_ADDING, range);
	rc = hotplug_add_calls(range, mgid, flags);
	if (!rc) {
		hotplug_gate_set(GATE_OWNED, range);
		rc = hotplug_set_blocks(range, target);
		/* Each block is back offline, or where a failed rollback left it. */
		if (rc && hotplug_remove_calls(range, 0))
			range_err(range, "could not take back the range: %llu MiB stay added\n",
				  range->present_size >> 20);
	}
	hotplug_gate_set(GATE_OPEN, range);
	if (range->present_size)
		return rc;
	hotplug_unregister_group(range);
free_name:
	kfree(range->ram_name);
	range->ram_name = NULL;
	return rc;
}

/*
 * Offlines every block (or none) and removes the memory. On failure the
 * range is as it was, each block in its previous state, unless a block
 * could not be brought back, or part of an offline range could not be
 * removed: range->present_size says what is left for the next attempt.
 *
 * The kernel's offline_and_remove_memory() would do this in one call, but
 * it offlines bottom up, and each offline walks the zone from its start
 * to the first hole: quadratic in the range's size. The blocks go
 * offline here in dax_kmem_offline_order() instead, and the gate keeps
 * anyone else from onlining them before they are removed.
 */
int dax_kmem_remove_memory(struct dax_kmem_range *range)
{
	enum dax_kmem_online_type before = range->online_now;
	struct hotplug_blocks blocks;
	int rc;

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;

	hotplug_gate_set(GATE_OWNED, range);
	rc = hotplug_open_blocks(range, &blocks);
	if (!rc) {
		/* The list outlives the memory; the kernel's poison does not. */
		dax_kmem_bad_pages_record(range);
		rc = hotplug_offline_blocks(range, &blocks,
					    DAX_KMEM_ONLINE_OFFLINE);
		if (rc) {
			range_err(range, "removal failed (%d)\n", rc);
		} else {
			hotplug_set_online_now(range, DAX_KMEM_ONLINE_OFFLINE);
			rc = hotplug_remove_calls(range, 0);
			if (rc) {
				range_err(range, "removal of the offline range failed (%d)\n",
					  rc);
				if (hotplug_restore_offlined(range, &blocks))
					range_err(range, "some blocks stay offline\n");
				else
					hotplug_set_online_now(range, before);
			}
		}
		/* Blocks a failure brought back online keep bad pages out. */
		if (rc)
			dax_kmem_bad_pages_apply(range);
		hotplug_close_blocks(&blocks);
	}
	hotplug_gate_set(GATE_OPEN, range);
	if (rc)
		return rc;
	hotplug_unregister_group(range);
	return 0;
}

/*
 * Grows the added range at its end to @to (same start, whole blocks more)
 * and brings the new blocks to the range's online type; all of it or, on
 * failure, none. The caller has reserved the new span.
 */
int dax_kmem_grow_memory(struct dax_kmem_range *range,
			 const struct dax_kmem_aligned *to)
{
	const struct dax_kmem_aligned from = range->aligned;
	u64 keep = range->present_size;
	mhp_t flags = MHP_NID_IS_MGID | MHP_MERGE_RESOURCE;
	int rc;

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;
	if (keep != from.size)
		return -EBUSY;	/* a partial add: finish or remove it first */
	if (range->memmap_on_range) {
		/* The placement stays the range's: a bad page must not hold it. */
		if (dax_kmem_bad_pages_in_memmap(range, from.start + from.size,
						 to->size - from.size)) {
			range_err(range, "size: a bad page lies where a new block's memmap would go, and this range's memmap is on the range\n");
			return -EINVAL;
		}
		flags |= MHP_MEMMAP_ON_MEMORY;
	}

	mutex_lock(&dax_kmem_sm_lock);
	range->aligned = *to;
	mutex_unlock(&dax_kmem_sm_lock);
	hotplug_gate_set(GATE_ADDING, range);
	rc = hotplug_add_calls(range, range->mgid, flags);
	if (!rc) {
		hotplug_gate_set(GATE_OWNED, range);
		/* Only the new blocks: the old ones stay as an admin left them. */
		rc = hotplug_set_blocks_from(range, range->online_now,
					     keep / range->block_size);
		/* The old blocks are as they were; the new ones go again. */
		if (rc && hotplug_remove_calls(range, keep))
			range_err(range, "could not take back the %llu MiB of the growth\n",
				  (range->present_size - keep) >> 20);
	}
	hotplug_gate_set(GATE_OPEN, range);
	if (range->present_size == keep) {
		mutex_lock(&dax_kmem_sm_lock);
		range->aligned = from;
		mutex_unlock(&dax_kmem_sm_lock);
	}
	return rc;
}

/*
 * Offlines and removes the blocks above @to (same start, whole blocks
 * fewer); on failure every block is as it was.
 */
int dax_kmem_shrink_memory(struct dax_kmem_range *range,
			   const struct dax_kmem_aligned *to)
{
	struct hotplug_blocks tail;
	int rc;

	if (WARN_ON_ONCE(!dax_kmem_sm_is_worker()))
		return -EPERM;
	if (range->present_size != range->aligned.size)
		return -EBUSY;

	hotplug_gate_set(GATE_OWNED, range);
	rc = hotplug_open_blocks_from(range, &tail,
				      to->size / range->block_size);
	if (!rc) {
		dax_kmem_bad_pages_record(range);
		rc = hotplug_offline_blocks(range, &tail,
					    DAX_KMEM_ONLINE_OFFLINE);
		dax_kmem_sm_offline_done();
		if (!rc) {
			rc = hotplug_remove_calls(range, to->size);
			if (rc && hotplug_restore_offlined(range, &tail))
				range_err(range, "some blocks of the tail stay offline\n");
		}
		if (rc)
			dax_kmem_bad_pages_apply(range);
		hotplug_close_blocks(&tail);
	}
	hotplug_gate_set(GATE_OPEN, range);
	if (range->present_size == to->size) {
		mutex_lock(&dax_kmem_sm_lock);
		range->aligned = *to;
		mutex_unlock(&dax_kmem_sm_lock);
		return 0;
	}
	return rc ? rc : -EBUSY;
}

int dax_kmem_hotplug_init(void)
{
	return register_memory_notifier(&hotplug_gate_nb);
}

void dax_kmem_hotplug_exit(void)
{
	unregister_memory_notifier(&hotplug_gate_nb);
}
