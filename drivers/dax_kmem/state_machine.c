// SPDX-License-Identifier: GPL-2.0
/*
 * The range state machine. Binding, unbinding, sysfs writes, a firmware
 * device going away and module unload only request a change; one kernel
 * thread, dax_kmemd, makes every change to memory. It holds no device
 * lock and no kernfs file while it does, and it runs in init's mount
 * namespace with kernel credentials, so nothing about whoever asked (the
 * locks it holds, its root, its namespaces, its LSM profile, its signals)
 * is on the path.
 *
 * States (enum dax_kmem_state) and who moves a range between them:
 *
 *   ABSENT, REFUSED, ADD_FAILED
 *       -- bind, checks fail (probe) -----------------------> REFUSED
 *       -- bind, checks pass, span reserved (probe) --------> ADDING
 *   ADDING
 *       -- worker: added, blocks in the online type --------> ADDED
 *       -- worker: add failed, nothing left ----------------> ADD_FAILED
 *       -- worker: unbound before it was added -------------> ABSENT
 *   ADDED
 *       -- online_type write, worker ------------------------> CHANGING
 *       -- unbind, device gone or unload, worker ------------> REMOVING
 *   CHANGING -- worker: moved, or each block back -----------> ADDED
 *   REMOVING
 *       -- worker: offlined and removed ---------------------> ABSENT
 *       -- bind while offlining: interrupted, rolled back ---> ADDED
 *       -- memory in use ------------------------------------> REMOVE_FAILED
 *   REMOVE_FAILED
 *       -- worker: retry with backoff -----------------------> REMOVING
 *       -- bind: the memory is taken back -------------------> ADDED
 *
 * A range in REMOVE_FAILED pins the module so that rmmod cannot take its
 * retries away. At unload nothing is pinned: each range gets one removal,
 * and one that fails is left in place, named, until reboot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

#define DRIVER_DIR "/sys/bus/platform/drivers/" DAX_KMEM_DRV_NAME

/*
 * A stranded range is looked at every second, and tried again when the
 * other nodes seem to have room for what it holds, or once a minute in
 * any case while they have room for a block (see guarding): what an
 * attempt that fails has moved stays where it went, so a hopeless one is
 * not made often.
 */
#define RETRY_CHECK_SECONDS 1
#define RETRY_FORCE_SECONDS 60

static unsigned int offline_timeout = 10;
module_param(offline_timeout, uint, 0644);
MODULE_PARM_DESC(offline_timeout,
		 "Seconds a memory block may take to go offline before the removal is interrupted and retried later; 0: no limit (default 10)");

/* Guards every range's fields and all_ranges. Never held across hotplug. */
DEFINE_MUTEX(dax_kmem_sm_lock);
static LIST_HEAD(all_ranges);
static bool unloading;

static struct task_struct *worker;
static DECLARE_WAIT_QUEUE_HEAD(worker_wait);
static bool worker_kicked;		/* WRITE_ONCE under sm_lock */
static DECLARE_WAIT_QUEUE_HEAD(settled_wait);
static unsigned long steps_done;	/* bumped after every worker step */

/* The range whose offlining a bind or the timer may interrupt. */
static struct dax_kmem_range *offlining;

/*
 * offline_pages() retries migration until the task has a signal pending,
 * which a kernel thread never has unless it asks: the worker accepts
 * SIGINT from the kernel only, sent by this timer or by a bind.
 */
static void sm_offline_timed_out(struct timer_list *unused)
{
	send_sig(SIGINT, worker, 1);
}

static DEFINE_TIMER(offline_timer, sm_offline_timed_out);

bool dax_kmem_sm_is_worker(void)
{
	return current == worker;
}

/* Called by hotplug.c after each block that went offline. */
/* Longest offline_timeout honoured, so that seconds * HZ cannot wrap. */
#define OFFLINE_TIMEOUT_MAX_SECONDS 3600

void dax_kmem_sm_offline_progress(void)
{
	unsigned long seconds = min_t(unsigned int, READ_ONCE(offline_timeout),
				      OFFLINE_TIMEOUT_MAX_SECONDS);

	if (seconds)
		mod_timer(&offline_timer, jiffies + seconds * HZ);
	else
		timer_delete(&offline_timer);
}

/*
 * Called by hotplug.c while a block's state write waits for the device
 * hotplug lock: time another task holds it (an admin's slow offline
 * elsewhere) is not this offline making no progress.
 */
void dax_kmem_sm_offline_waits_for_lock(void)
{
	if (timer_pending(&offline_timer))
		dax_kmem_sm_offline_progress();
}

/*
 * Called by hotplug.c once the offlining a timeout may interrupt is over:
 * a late interrupt must not hit the onlining or rollback that follows.
 */
void dax_kmem_sm_offline_done(void)
{
	timer_delete_sync(&offline_timer);
	flush_signals(current);
}

static void sm_free(struct kref *kref)
{
	struct dax_kmem_range *range = container_of(kref, struct dax_kmem_range,
						    kref);

	dax_kmem_registry_free_id(range->id);
	kfree(range);
}

void dax_kmem_range_put(struct dax_kmem_range *range)
{
	kref_put(&range->kref, sm_free);
}

static void sm_kick(struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	range->queued = true;
	WRITE_ONCE(worker_kicked, true);
	wake_up(&worker_wait);
}

static const char *sm_added_name(const struct dax_kmem_range *range)
{
	unsigned long movable, kernel, offline;

	dax_kmem_count_blocks(range, &movable, &kernel, &offline);
	if (!movable && !kernel)
		return "offline";
	if (!offline)
		return "online";
	return "partial";
}

/* What the fields say, whether or not the worker still holds @range. */
static const char *sm_fields_name_locked(const struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	switch (range->state) {
	case DAX_KMEM_ABSENT:
		return "absent";
	case DAX_KMEM_REFUSED:
		return "refused";
	case DAX_KMEM_CHECKING:
	case DAX_KMEM_ADDING:
		return "adding";
	case DAX_KMEM_ADD_FAILED:
		return "add-failed";
	case DAX_KMEM_ADDED:
		/* What was asked and not yet done shows at once. */
		if (!range->want_present)
			return "removing";
		if (range->queued)
			return "changing";
		return sm_added_name(range);
	case DAX_KMEM_CHANGING:
		return "changing";
	case DAX_KMEM_REMOVING:
		return range->want_present ? "changing" : "removing";
	case DAX_KMEM_REMOVE_FAILED:
		return range->want_present ? "changing" : "remove-failed";
	}
	return "unknown";
}

/* Nothing is asked of @range that its state does not show done. */
static bool sm_at_rest_locked(const struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	switch (range->state) {
	case DAX_KMEM_ABSENT:
	case DAX_KMEM_REFUSED:
	case DAX_KMEM_ADD_FAILED:
		return true;
	case DAX_KMEM_ADDED:
		return range->want_present && !range->queued;
	case DAX_KMEM_REMOVE_FAILED:
		return !range->want_present;
	default:
		return false;
	}
}

/*
 * A step sets where it ends a little before the worker lets go of the
 * range, and writes that need the worker idle are refused until then. So
 * the state shows the step until the worker has let go: a script that
 * waits for a settled state may write at once.
 */
static const char *sm_state_name_locked(const struct dax_kmem_range *range)
{
	if (range->busy && sm_at_rest_locked(range))
		return range->busy_name;
	return sm_fields_name_locked(range);
}

const char *dax_kmem_state_name(const struct dax_kmem_range *range)
{
	const char *name;

	mutex_lock(&dax_kmem_sm_lock);
	name = sm_state_name_locked(range);
	mutex_unlock(&dax_kmem_sm_lock);
	return name;
}

static bool sm_holds_span(const struct dax_kmem_range *range);

/*
 * The driver's orphans file: ranges that no longer have a device (their
 * firmware device was unbound or ejected) while the worker still has
 * work on them or memory they hold, the only way to watch those
 * removals finish. Whole lines only: a page holds about 50, and a line
 * cut short would read as a state that does not exist.
 */
ssize_t dax_kmem_sm_show_orphans(char *buf)
{
	struct dax_kmem_range *range;
	char line[96];
	ssize_t len = 0;
	int n;

	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry(range, &all_ranges, node) {
		if (range->dev ||
		    !(sm_holds_span(range) || range->busy || range->queued))
			continue;
		n = scnprintf(line, sizeof(line), "%s %#llx-%#llx %d %s\n",
			      range->name, range->desc.start,
			      range->desc.start + range->desc.size - 1,
			      range->desc.nid, sm_state_name_locked(range));
		if (len + n >= PAGE_SIZE)
			break;
		len += sysfs_emit_at(buf, len, "%s", line);
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return len;
}

/*
 * Tells userspace that @range changed: poll(2) on its state file wakes
 * up, and udev sees a change event that says where the range is now.
 */
static void sm_announce(struct dax_kmem_range *range)
{
	char state[32], node[24], source[40], error[24];
	char *envp[5];
	struct device *dev;

	envp[0] = state;
	envp[1] = node;
	envp[2] = source;
	envp[3] = error;
	envp[4] = NULL;

	mutex_lock(&dax_kmem_sm_lock);
	/* Told when the state file says so too: once the worker lets go. */
	range->announce_due = range->busy && sm_at_rest_locked(range);
	if (range->announce_due) {
		mutex_unlock(&dax_kmem_sm_lock);
		return;
	}
	dev = range->dev ? get_device(range->dev) : NULL;
	snprintf(state, sizeof(state), "DAX_KMEM_STATE=%s",
		 sm_state_name_locked(range));
	snprintf(node, sizeof(node), "DAX_KMEM_NODE=%d", range->desc.nid);
	snprintf(source, sizeof(source), "DAX_KMEM_SOURCE=%s",
		 range->desc.source);
	snprintf(error, sizeof(error), "DAX_KMEM_ERRNO=%d", range->last_error);
	mutex_unlock(&dax_kmem_sm_lock);
	if (!dev)
		return;
	sysfs_notify(&dev->kobj, NULL, "state");
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE, envp);
	put_device(dev);
}

static void sm_set_state(struct dax_kmem_range *range,
			 enum dax_kmem_state state, int error)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->state = state;
	range->last_error = error;
	mutex_unlock(&dax_kmem_sm_lock);
	sm_announce(range);
}

static void sm_unpin(struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	if (!range->pinned)
		return;
	range->pinned = false;
	module_put(THIS_MODULE);
}

/* Claimed, reserved or present: nobody else's, and not to be freed. */
static bool sm_holds_span(const struct dax_kmem_range *range)
{
	lockdep_assert_held(&dax_kmem_sm_lock);
	return range->state == DAX_KMEM_CHECKING ||
	       range->state == DAX_KMEM_ADDING ||
	       dax_kmem_memory_present(range->state);
}

/* Drops the registry's reference once nothing can need @range again. */
static void sm_release_if_done(struct dax_kmem_range *range)
{
	bool done;

	mutex_lock(&dax_kmem_sm_lock);
	done = !range->dev && !range->busy && !range->registering &&
	       !sm_holds_span(range) && !list_empty(&range->node);
	if (done)
		list_del_init(&range->node);
	mutex_unlock(&dax_kmem_sm_lock);
	if (done)
		dax_kmem_range_put(range);
}

static void sm_add(struct dax_kmem_range *range,
		   const struct dax_kmem_policy *policy)
{
	struct resource span = {};
	int rc;

	rc = dax_kmem_tier_join(range, policy->adistance);
	if (!rc) {
		rc = dax_kmem_add_memory(range, policy->online_type,
					 policy->memmap);
		if (rc && !range->present_size)
			dax_kmem_tier_leave(range);
	}
	if (rc && !range->present_size) {
		dax_kmem_release_span(range);
		sm_set_state(range, DAX_KMEM_ADD_FAILED, rc);
		return;
	}
	dax_kmem_tier_seen_online(range);
	/* Logged first: whoever waits for the state may read the log. */
	span.start = range->aligned.start;
	span.end = range->aligned.start + range->present_size - 1;
	span.flags = IORESOURCE_MEM;
	range_info(range,
		   "node %d: added %pR (%llu MiB), %s, memmap in %s, abstract distance %d\n",
		   range->desc.nid, &span, range->present_size >> 20,
		   dax_kmem_online_type_name(range->online_now),
		   range->memmap_on_range ? "the range" : "DRAM",
		   range->adistance);
	/* A partial add that could not be rolled back stays, and says so. */
	sm_set_state(range, DAX_KMEM_ADDED, rc);
}

/*
 * Nothing is present (any more): release the span and go ABSENT, unless
 * a bind came meanwhile, in which case the reservation is kept and the
 * range added again. Decided under the lock a bind takes.
 */
static void sm_absent_unless_bound(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	sm_unpin(range);
	range->retries = 0;
	if (range->want_present && !unloading) {
		range->state = DAX_KMEM_ADDING;
		range->last_error = 0;
		sm_kick(range);
	} else {
		dax_kmem_release_span_locked(range);
		range->state = DAX_KMEM_ABSENT;
		range->last_error = 0;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	sm_announce(range);
}

static void sm_forget(struct dax_kmem_range *range)
{
	sm_absent_unless_bound(range);
}

static void sm_change(struct dax_kmem_range *range,
		      enum dax_kmem_online_type target)
{
	unsigned long movable, kernel, offline, movable_now, kernel_now,
		      offline_now;
	int rc;

	sm_set_state(range, DAX_KMEM_CHANGING, 0);
	dax_kmem_count_blocks(range, &movable, &kernel, &offline);
	/* A change to offline, or of zone, offlines: bounded as removal is. */
	flush_signals(current);
	dax_kmem_sm_offline_progress();
	rc = dax_kmem_set_online_type(range, target);
	dax_kmem_sm_offline_done();
	if (rc) {
		/*
		 * A block onlined to ZONE_NORMAL may take kernel allocations
		 * at once and then refuse to go back: say what is left.
		 */
		dax_kmem_count_blocks(range, &movable_now, &kernel_now,
				      &offline_now);
		if (movable_now == movable && kernel_now == kernel &&
		    offline_now == offline)
			range_err(range, "online_type %s: failed (%d), every block is back where it was\n",
				  dax_kmem_online_type_name(target), rc);
		else
			range_err(range, "online_type %s: failed (%d), and not every block could go back: %lu movable, %lu kernel, %lu offline now; set online_type again\n",
				  dax_kmem_online_type_name(target), rc,
				  movable_now, kernel_now, offline_now);
		/* A write that failed is not a policy for later. */
		mutex_lock(&dax_kmem_sm_lock);
		range->sysfs_policy.online_type = range->online_now;
		mutex_unlock(&dax_kmem_sm_lock);
	}
	dax_kmem_tier_seen_online(range);
	sm_set_state(range, DAX_KMEM_ADDED, rc);
}

/* Grows or shrinks the added range at its end, as dax_kmem_sm_resize() asked. */
static void sm_resize(struct dax_kmem_range *range, u64 new_size)
{
	struct dax_kmem_span span = {
		.start = range->desc.start,
		.size = new_size,
	};
	u64 old = range->resize_from;
	struct dax_kmem_aligned to;
	bool grow = new_size > old;
	int rc = -EINVAL;

	sm_set_state(range, DAX_KMEM_CHANGING, 0);
	if (dax_kmem_align_span(&span, range->block_size, &to) && grow) {
		rc = dax_kmem_grow_memory(range, &to);
	} else if (to.size) {
		/* Bounded by offline_timeout; rmmod may interrupt it too. */
		flush_signals(current);
		mutex_lock(&dax_kmem_sm_lock);
		offlining = range;
		mutex_unlock(&dax_kmem_sm_lock);
		dax_kmem_sm_offline_progress();
		rc = dax_kmem_shrink_memory(range, &to);
		dax_kmem_sm_offline_done();
		mutex_lock(&dax_kmem_sm_lock);
		offlining = NULL;
		mutex_unlock(&dax_kmem_sm_lock);
		flush_signals(current);
	}
	mutex_lock(&dax_kmem_sm_lock);
	range->resize_to = 0;
	/* A failed shrink leaves the size and the reservation as they were. */
	if (!rc)
		range->desc.size = new_size;
	else if (grow)
		range->desc.size = old;
	mutex_unlock(&dax_kmem_sm_lock);
	if (grow ? rc : !rc)
		dax_kmem_shrink_reservation(range, rc ? old : new_size);
	if (rc)
		range_err(range, "size %llu MiB: failed (%d); %llu MiB stay added\n",
			  new_size >> 20, rc, range->present_size >> 20);
	else
		range_info(range, "size: %llu MiB, was %llu MiB; %llu MiB added\n",
			   new_size >> 20, old >> 20, range->present_size >> 20);
	sm_set_state(range, DAX_KMEM_ADDED, rc);
}

/* An online_type write that came with the size write waits its turn. */
static void sm_resize_then(struct dax_kmem_range *range, u64 new_size,
			   bool change)
{
	sm_resize(range, new_size);
	if (!change)
		return;
	mutex_lock(&dax_kmem_sm_lock);
	range->change_requested = true;
	sm_kick(range);
	mutex_unlock(&dax_kmem_sm_lock);
}

/* An unbind came before the worker saw a size write: it is void. */
static void sm_resize_dropped(struct dax_kmem_range *range)
{
	u64 old;

	mutex_lock(&dax_kmem_sm_lock);
	old = range->resize_from;
	range->resize_to = 0;
	range->desc.size = old;
	mutex_unlock(&dax_kmem_sm_lock);
	dax_kmem_shrink_reservation(range, old);
}

static void sm_removed(struct dax_kmem_range *range)
{
	struct resource span = DEFINE_RES_MEM(range->aligned.start,
					      range->aligned.size);

	dax_kmem_tier_leave(range);
	kfree(range->ram_name);
	range->ram_name = NULL;
	range_info(range, "node %d: removed %pR\n", range->desc.nid, &span);
	sm_absent_unless_bound(range);
}

/*
 * What the other nodes can take without going below their high
 * watermarks, in pages: their free pages above them, and half their file
 * cache (reclaim gives it back, but not all of it is clean and unmapped).
 */
static unsigned long sm_room_elsewhere(int own)
{
	unsigned long room = 0, free, high;
	struct zone *zone;
	int nid, i;

	for_each_online_node(nid) {
		if (nid == own)
			continue;
		for (i = 0; i < MAX_NR_ZONES; i++) {
			zone = &NODE_DATA(nid)->node_zones[i];
			if (!populated_zone(zone))
				continue;
			free = zone_page_state(zone, NR_FREE_PAGES);
			high = high_wmark_pages(zone);
			room += free > high ? free - high : 0;
			room += (zone_page_state(zone, NR_ZONE_ACTIVE_FILE) +
				 zone_page_state(zone, NR_ZONE_INACTIVE_FILE)) / 2;
		}
	}
	return room;
}

/*
 * Pages in use on node @nid: what its ranges hold at most (the node may
 * hold more than one range, so this errs towards "no room").
 */
static unsigned long sm_in_use_on(int nid)
{
	unsigned long in_use = 0;
	struct zone *zone;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++) {
		zone = &NODE_DATA(nid)->node_zones[i];
		if (populated_zone(zone))
			in_use += zone_managed_pages(zone) -
				  zone_page_state(zone, NR_FREE_PAGES);
	}
	return in_use;
}

/* Whether the other nodes seem to have room for all the range holds. */
static bool sm_room_for_range(const struct dax_kmem_range *range)
{
	return sm_room_elsewhere(range->desc.nid) >
	       sm_in_use_on(range->desc.nid);
}

/* Whether they have room for all that the range's next block may hold. */
static bool sm_room_for_block(const struct dax_kmem_range *range,
			      unsigned long *room, unsigned long *need)
{
	*need = min_t(unsigned long, range->block_size >> PAGE_SHIFT,
		      sm_in_use_on(range->desc.nid));
	*room = sm_room_elsewhere(range->desc.nid);
	return *room >= *need;
}

/*
 * An attempt nobody asked for must not do to the other nodes what the
 * failure it retries did: drain them to their min watermark, where the
 * next allocation of any task there meets the OOM killer. It offlines a
 * block only while they have room above their high watermarks for all
 * the block may hold; what other tasks allocate meanwhile is theirs.
 * Set for such an attempt, read by it: the worker's only.
 */
static bool guarding;

/* Called by hotplug.c before each block it offlines. */
bool dax_kmem_sm_offline_may_go_on(struct dax_kmem_range *range)
{
	unsigned long room, need;

	if (!guarding || sm_room_for_block(range, &room, &need))
		return true;
	range_info(range, "retry stopped: the other nodes have %lu MiB above their high watermarks, the next block may need %lu MiB\n",
		   room >> (20 - PAGE_SHIFT), need >> (20 - PAGE_SHIFT));
	return false;
}

/* Longest pause between two attempts that had room and still failed. */
#define RETRY_BACKOFF_MAX_SECONDS 60

/*
 * Removal failed: keep everything the memory uses, and try again later.
 * @automatic: a retry nobody asked for, which says nothing new unless it
 * failed differently.
 */
static void sm_strand(struct dax_kmem_range *range, int rc, bool automatic)
{
	struct resource span = DEFINE_RES_MEM(range->aligned.start,
					      range->present_size);
	unsigned int retries, backoff;
	bool leave, again, news, orphan;

	mutex_lock(&dax_kmem_sm_lock);
	leave = unloading;
	/* A device that went while this attempt ran asked for one more. */
	again = range->queued;
	orphan = !range->dev;
	retries = ++range->retries;
	backoff = min(1U << min(retries, 6U), RETRY_BACKOFF_MAX_SECONDS);
	range->retry_at = jiffies + RETRY_CHECK_SECONDS * HZ;
	range->attempt_at = jiffies + backoff * HZ;
	range->force_at = jiffies + RETRY_FORCE_SECONDS * HZ;
	if (!leave && !range->pinned) {
		range->pinned = true;
		__module_get(THIS_MODULE);
	}
	news = !automatic || range->last_error != rc;
	range->state = DAX_KMEM_REMOVE_FAILED;
	range->last_error = rc;
	range->quiet = false;
	mutex_unlock(&dax_kmem_sm_lock);

	if (leave) {
		if (!again)
			range_crit(range, "could not offline %pR (%d) while unloading: it stays System RAM until reboot\n",
				   &span, rc);
	} else if (is_power_of_2(retries)) {
		/* The first failure, then ever more rarely: retries are routine. */
		range_err(range, "could not offline %pR (%d): still in place on node %d, attempt %u\n",
			  &span, rc, range->desc.nid, retries);
		if (orphan)
			range_err(range, "make room on other nodes: its device is gone, it is retried when they have room for it, and every %u s while they have room for one block\n",
				  RETRY_FORCE_SECONDS);
		else
			range_err(range, "make room on other nodes: it is retried when they have room for it, and every %u s while they have room for one block; to keep it instead: echo %s > %s/bind\n",
				  RETRY_FORCE_SECONDS, range->name, DRIVER_DIR);
	}
	if (news)
		sm_announce(range);
}

static void sm_remove(struct dax_kmem_range *range)
{
	bool taken_back, automatic, guarded;
	int rc;

	mutex_lock(&dax_kmem_sm_lock);
	automatic = range->state == DAX_KMEM_REMOVE_FAILED;
	/* rmmod's last attempt was asked for: the kernel's own rules. */
	guarded = automatic && !unloading;
	/* Attempts 2, 4, 8, ... say what fails; the others keep quiet. */
	range->quiet = automatic && !is_power_of_2(range->retries + 1);
	if (!automatic)
		range->state = DAX_KMEM_REMOVING;
	mutex_unlock(&dax_kmem_sm_lock);
	if (!automatic)
		sm_announce(range);

	/* Old signals first: a bind from here on must interrupt. */
	flush_signals(current);
	mutex_lock(&dax_kmem_sm_lock);
	offlining = range;
	taken_back = range->want_present;
	mutex_unlock(&dax_kmem_sm_lock);

	rc = taken_back ? -EINTR : 0;
	if (!rc) {
		guarding = guarded;
		dax_kmem_sm_offline_progress();
		rc = dax_kmem_remove_memory(range);
		dax_kmem_sm_offline_done();
		guarding = false;
	}

	mutex_lock(&dax_kmem_sm_lock);
	offlining = NULL;
	range->quiet = false;
	taken_back = range->want_present && !unloading;
	mutex_unlock(&dax_kmem_sm_lock);
	flush_signals(current);

	if (!rc) {
		sm_removed(range);
		return;
	}
	if (!taken_back) {
		sm_strand(range, rc, automatic);
		return;
	}
	/* A bind came while offlining: every block is back, keep it. */
	mutex_lock(&dax_kmem_sm_lock);
	sm_unpin(range);
	range->retries = 0;
	sm_kick(range);		/* the online type may need applying */
	mutex_unlock(&dax_kmem_sm_lock);
	range_info(range, "removal interrupted by a bind: the range stays\n");
	sm_set_state(range, DAX_KMEM_ADDED, 0);
}

static void sm_take_back(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	sm_unpin(range);
	range->retries = 0;
	sm_kick(range);		/* the online type may need applying */
	mutex_unlock(&dax_kmem_sm_lock);
	range_info(range,
		   "took back %llu MiB on node %d that a failed removal left in place; unbind to retry the removal\n",
		   range->present_size >> 20, range->desc.nid);
	sm_set_state(range, DAX_KMEM_ADDED, 0);
}

/* One step towards what was asked of @range. Runs in the worker only. */
static void sm_step(struct dax_kmem_range *range)
{
	struct dax_kmem_policy policy;
	enum dax_kmem_state state;
	bool want, change;
	u64 resize_to;

	mutex_lock(&dax_kmem_sm_lock);
	state = range->state;
	resize_to = range->resize_to;
	want = range->want_present && !unloading;
	change = range->change_requested;
	range->change_requested = false;
	policy = dax_kmem_policy_of(range);
	mutex_unlock(&dax_kmem_sm_lock);

	switch (state) {
	case DAX_KMEM_ADDING:
		if (want)
			sm_add(range, &policy);
		else
			sm_forget(range);
		break;
	case DAX_KMEM_ADDED:
		if (!want && resize_to)
			sm_resize_dropped(range);
		if (!want)
			sm_remove(range);
		else if (resize_to)
			sm_resize_then(range, resize_to, change);
		else if (change || policy.online_type != range->online_now)
			sm_change(range, policy.online_type);
		break;
	case DAX_KMEM_REMOVE_FAILED:
		if (want)
			sm_take_back(range);
		else
			sm_remove(range);
		break;
	default:
		break;
	}
}

/* The next range to work on, with a reference; or when to look again. */
static struct dax_kmem_range *sm_next(long *wait)
{
	struct dax_kmem_range *range, *found = NULL;
	unsigned long room, need;

	*wait = MAX_SCHEDULE_TIMEOUT;
	mutex_lock(&dax_kmem_sm_lock);
	WRITE_ONCE(worker_kicked, false);
	list_for_each_entry(range, &all_ranges, node) {
		if (range->state == DAX_KMEM_REMOVE_FAILED && !unloading &&
		    !range->want_present && !range->queued) {
			if (time_after_eq(jiffies, range->retry_at)) {
				/* Not even the forced one without a block's room. */
				if (sm_room_for_block(range, &room, &need) &&
				    (time_after_eq(jiffies, range->force_at) ||
				     (time_after_eq(jiffies, range->attempt_at) &&
				      sm_room_for_range(range))))
					range->queued = true;
				else
					range->retry_at = jiffies +
						RETRY_CHECK_SECONDS * HZ;
			}
			if (!range->queued)
				*wait = min_t(long, *wait,
					      max_t(long, 1, range->retry_at - jiffies));
		}
		if (range->queued) {
			found = range;
			break;
		}
	}
	if (found) {
		/* Read while queued: a queued added range shows "changing". */
		found->busy_name = sm_fields_name_locked(found);
		found->queued = false;
		found->busy = true;
		kref_get(&found->kref);
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

static int sm_worker(void *unused)
{
	struct dax_kmem_range *range;
	bool announce;
	long wait;

	allow_kernel_signal(SIGINT);
	while (!kthread_should_stop()) {
		range = sm_next(&wait);
		if (!range) {
			wait_event_interruptible_timeout(worker_wait,
							 READ_ONCE(worker_kicked) ||
							 kthread_should_stop(),
							 wait);
			flush_signals(current);
			continue;
		}
		sm_step(range);
		mutex_lock(&dax_kmem_sm_lock);
		range->busy = false;
		announce = range->announce_due;
		WRITE_ONCE(steps_done, steps_done + 1);
		mutex_unlock(&dax_kmem_sm_lock);
		if (announce)
			sm_announce(range);
		wake_up_all(&settled_wait);
		sm_release_if_done(range);
		dax_kmem_range_put(range);
		cond_resched();
	}
	return 0;
}

/*
 * Another range than @range (NULL: any) holding part of @mine, named;
 * caller holds the lock.
 */
static int sm_span_taken_locked(struct dax_kmem_range *range,
				const struct dax_kmem_span *mine,
				struct dax_kmem_span *theirs, char *their_name,
				size_t name_len)
{
	struct dax_kmem_range *other;

	lockdep_assert_held(&dax_kmem_sm_lock);
	list_for_each_entry(other, &all_ranges, node) {
		if (other == range || !sm_holds_span(other))
			continue;
		theirs->start = other->desc.start;
		theirs->size = other->desc.size;
		if (dax_kmem_spans_overlap(mine, theirs)) {
			strscpy(their_name, other->name, name_len);
			return -EBUSY;
		}
	}
	return 0;
}

int dax_kmem_sm_span_taken(struct dax_kmem_range *range,
			   const struct dax_kmem_span *mine,
			   struct dax_kmem_span *theirs, char *their_name,
			   size_t name_len)
{
	int rc;

	mutex_lock(&dax_kmem_sm_lock);
	rc = sm_span_taken_locked(range, mine, theirs, their_name, name_len);
	mutex_unlock(&dax_kmem_sm_lock);
	return rc;
}

int dax_kmem_sm_claim(struct dax_kmem_range *range,
		      struct dax_kmem_span *theirs, char *their_name,
		      size_t name_len)
{
	struct dax_kmem_span mine = {
		.start = range->desc.start,
		.size = range->desc.size,
	};
	int rc;

	mutex_lock(&dax_kmem_sm_lock);
	rc = sm_span_taken_locked(range, &mine, theirs, their_name, name_len);
	if (!rc) {
		range->state = DAX_KMEM_CHECKING;
		range->last_error = 0;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return rc;
}

/*
 * Probe checked and reserved the span: hand it to the worker, unless the
 * device went away meanwhile (its registry unregisters it).
 */
int dax_kmem_sm_checked(struct dax_kmem_range *range)
{
	int rc = 0;

	mutex_lock(&dax_kmem_sm_lock);
	if (range->dev && range->want_present) {
		range->state = DAX_KMEM_ADDING;
		sm_kick(range);
	} else {
		dax_kmem_release_span_locked(range);
		range->state = DAX_KMEM_ABSENT;
		rc = -ENODEV;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	sm_announce(range);
	return rc;
}

void dax_kmem_sm_refuse(struct dax_kmem_range *range, int error)
{
	sm_set_state(range, DAX_KMEM_REFUSED, error);
}

/*
 * Probe: memory still present (removing, remove-failed) is taken back;
 * otherwise the range is checked and reserved here, so a bad range fails
 * the bind with its errno, and the worker adds it.
 */
int dax_kmem_sm_bind(struct dax_kmem_range *range, struct device *dev)
{
	bool present;

	mutex_lock(&dax_kmem_sm_lock);
	range->want_present = true;
	present = sm_holds_span(range);
	if (present) {
		sm_kick(range);
		if (offlining == range)
			send_sig(SIGINT, worker, 1);
	}
	mutex_unlock(&dax_kmem_sm_lock);
	if (present)
		return 0;

	return dax_kmem_validate_and_reserve(range, dev);
}

void dax_kmem_sm_unbind(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->want_present = false;
	if (sm_holds_span(range))
		sm_kick(range);
	mutex_unlock(&dax_kmem_sm_lock);
}

int dax_kmem_sm_request_online_type(struct dax_kmem_range *range,
				    const struct dax_kmem_policy *policy)
{
	int rc = 0;

	mutex_lock(&dax_kmem_sm_lock);
	if (range->state == DAX_KMEM_REMOVING ||
	    range->state == DAX_KMEM_REMOVE_FAILED) {
		rc = -EBUSY;
	} else {
		range->sysfs_policy = dax_kmem_policy_merge(range->sysfs_policy,
							    *policy);
		if (dax_kmem_memory_present(range->state) ||
		    range->state == DAX_KMEM_ADDING) {
			range->change_requested = true;
			sm_kick(range);
		}
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return rc;
}

/*
 * A write to size. Without memory the new size is checked at the next
 * bind. An added range changes at its end by whole blocks: a grow is
 * checked and reserved here, as a bind would, then the worker adds it.
 */
int dax_kmem_sm_resize(struct dax_kmem_range *range, struct device *dev,
		       u64 new_size)
{
	struct dax_kmem_span span = { .size = new_size };
	u64 old, delta;
	bool present;
	int rc = 0;

	mutex_lock(&dax_kmem_sm_lock);
	span.start = range->desc.start;
	old = range->desc.size;
	mutex_unlock(&dax_kmem_sm_lock);
	if (!dax_kmem_span_valid(&span)) {
		dev_err(dev, "size: %llu bytes from %#llx pass the end of the address space\n",
			new_size, span.start);
		return -ERANGE;
	}
	/* A larger span is the user's, whatever described the range. */
	if (new_size > old &&
	    dax_kmem_user_addresses_locked_down("growing a range"))
		return -EPERM;

	mutex_lock(&dax_kmem_sm_lock);
	old = range->desc.size;
	present = dax_kmem_memory_present(range->state);
	delta = new_size > old ? new_size - old : old - new_size;
	if (range->resize_to || range->busy || range->registering ||
	    range->state == DAX_KMEM_CHECKING ||
	    range->state == DAX_KMEM_ADDING ||
	    (present && range->state != DAX_KMEM_ADDED)) {
		rc = -EBUSY;
	} else if (!present) {
		if (new_size != old) {
			/*
			 * A grow reaches past what firmware described: checked
			 * at the next bind as typed input. A shrink stays inside.
			 */
			if (new_size > old)
				range->grown_by_user = true;
			range->desc.size = new_size;
		}
	} else if (delta % range->block_size) {
		rc = -EINVAL;
	} else if (new_size < old && range->aligned.size <= delta) {
		rc = -ERANGE;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	if (rc == -EBUSY)
		dev_err(dev, "size: the range is busy (%s); try again when it settles\n",
			dax_kmem_state_name(range));
	else if (rc == -EINVAL)
		dev_err(dev, "size: an added range changes by whole %llu MiB blocks\n",
			range->block_size >> 20);
	else if (rc == -ERANGE)
		dev_err(dev, "size: %llu bytes would hold no memory block; unbind instead\n",
			new_size);
	if (rc || !present || new_size == old)
		return rc;

	if (new_size > old) {
		rc = dax_kmem_validate_growth(range, dev, new_size);
		if (rc)
			return rc;
	}
	mutex_lock(&dax_kmem_sm_lock);
	if (range->state != DAX_KMEM_ADDED || range->busy ||
	    range->resize_to || !range->want_present) {
		rc = -EBUSY;
	} else {
		range->resize_from = old;
		range->resize_to = new_size;
		/* Claims by other ranges see the grown span from now on. */
		if (new_size > old) {
			range->desc.size = new_size;
			/* Past what firmware described, as the grow's check was. */
			range->grown_by_user = true;
		}
		sm_kick(range);
	}
	mutex_unlock(&dax_kmem_sm_lock);
	if (rc && new_size > old)
		dax_kmem_shrink_reservation(range, old);
	return rc;
}

/* Placement and tier are chosen when memory is added: not while it is. */
int dax_kmem_sm_set_add_policy(struct dax_kmem_range *range,
			       const struct dax_kmem_policy *policy)
{
	int rc = 0;

	mutex_lock(&dax_kmem_sm_lock);
	if (sm_holds_span(range))
		rc = -EBUSY;
	else
		range->sysfs_policy = dax_kmem_policy_merge(range->sysfs_policy,
							    *policy);
	mutex_unlock(&dax_kmem_sm_lock);
	return rc;
}

/* The range a probe is for, with a reference; NULL for foreign devices. */
struct dax_kmem_range *dax_kmem_sm_find(struct device *dev)
{
	struct dax_kmem_range *range, *found = NULL;

	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry(range, &all_ranges, node) {
		if (range->dev == dev) {
			found = range;
			kref_get(&found->kref);
			break;
		}
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

/* The range whose device is named @name, with a reference; or NULL. */
struct dax_kmem_range *dax_kmem_sm_find_by_name(const char *name)
{
	struct dax_kmem_range *range, *found = NULL;

	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry(range, &all_ranges, node) {
		if (range->dev && !strcmp(range->name, name)) {
			found = range;
			kref_get(&found->kref);
			break;
		}
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

/* Registry: a new range object, on the list (the list's reference). */
void dax_kmem_sm_add_range(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	list_add_tail(&range->node, &all_ranges);
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Registry: a range whose device is gone, with memory, whose span and
 * node @desc describes again: the new device takes it over. Returns it
 * with a reference, or NULL.
 */
struct dax_kmem_range *dax_kmem_sm_adopt(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range *range, *found = NULL;
	unsigned int i;

	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry(range, &all_ranges, node) {
		if (range->dev || !sm_holds_span(range) ||
		    range->desc.start != desc->start ||
		    range->desc.size != desc->size ||
		    range->desc.nid != desc->nid)
			continue;
		found = range;
		range->desc = *desc;
		/* What the old device's range found bad is still bad. */
		for (i = 0; i < desc->bad.count; i++)
			dax_kmem_bad_pages_add(&range->bad, desc->bad.addr[i],
					       PAGE_SIZE);
		range->registering = true;
		kref_get(&found->kref);
		break;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

/* Registry: whether a registered range has this origin and index. */
bool dax_kmem_sm_origin_registered(const struct dax_kmem_range_desc *desc)
{
	struct dax_kmem_range *range;
	bool found = false;

	if (!desc->origin)
		return false;
	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry(range, &all_ranges, node)
		if (range->dev && range->desc.origin == desc->origin &&
		    range->desc.origin_index == desc->origin_index)
			found = true;
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

void dax_kmem_sm_attach(struct dax_kmem_range *range, struct device *dev)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->dev = dev;
	range->registering = false;
	mutex_unlock(&dax_kmem_sm_lock);
}

/*
 * Registry, before it unregisters the device: from now on the range is
 * nobody's device. Its memory, if any, goes; an orphan is retried and
 * kept claimed until it has.
 */
void dax_kmem_sm_device_gone(struct dax_kmem_range *range)
{
	mutex_lock(&dax_kmem_sm_lock);
	range->dev = NULL;
	range->registering = false;
	range->want_present = false;
	if (sm_holds_span(range))
		sm_kick(range);
	mutex_unlock(&dax_kmem_sm_lock);
	sm_release_if_done(range);
}

/*
 * The newest range whose device has @parent (any device when @all), with
 * a reference; NULL when there is none.
 */
struct dax_kmem_range *dax_kmem_sm_newest_child(struct device *parent,
						bool all)
{
	struct dax_kmem_range *range, *found = NULL;

	mutex_lock(&dax_kmem_sm_lock);
	list_for_each_entry_reverse(range, &all_ranges, node) {
		if (range->dev && (all || range->desc.parent == parent)) {
			found = range;
			kref_get(&found->kref);
			break;
		}
	}
	mutex_unlock(&dax_kmem_sm_lock);
	return found;
}

/* Whether the worker has nothing left to do. */
static bool sm_settled(unsigned long *steps)
{
	struct dax_kmem_range *range;
	bool settled = true;

	mutex_lock(&dax_kmem_sm_lock);
	*steps = steps_done;
	list_for_each_entry(range, &all_ranges, node)
		if (range->queued || range->busy ||
		    (sm_holds_span(range) &&
		     range->state != DAX_KMEM_REMOVE_FAILED))
			settled = false;
	mutex_unlock(&dax_kmem_sm_lock);
	return settled;
}

int dax_kmem_sm_init(void)
{
	worker = kthread_run(sm_worker, NULL, "dax_kmemd");
	return PTR_ERR_OR_ZERO(worker);
}

/*
 * Unload: every device is gone, so every range with memory is queued for
 * removal. Wait for each to be removed or to have failed once; an rmmod
 * interrupted by a signal interrupts the offlining under way.
 */
void dax_kmem_sm_exit(void)
{
	struct dax_kmem_range *range, *next;
	bool interrupted = false;
	unsigned long steps;

	mutex_lock(&dax_kmem_sm_lock);
	unloading = true;
	/*
	 * Every device is gone, and dax_kmem_sm_device_gone() queued each
	 * range it left, busy or not; this gives the others (stranded ones
	 * waiting for a retry) their last attempt. A busy one is queued
	 * already, or its step is that attempt.
	 */
	list_for_each_entry(range, &all_ranges, node)
		if (sm_holds_span(range) && !range->busy)
			sm_kick(range);
	mutex_unlock(&dax_kmem_sm_lock);

	while (!sm_settled(&steps)) {
		if (interrupted) {
			wait_event_timeout(settled_wait,
					   READ_ONCE(steps_done) != steps, HZ);
			continue;
		}
		if (wait_event_interruptible_timeout(settled_wait,
						     READ_ONCE(steps_done) != steps,
						     HZ) >= 0)
			continue;
		/* Once: later offlines get their own timeout. */
		interrupted = true;
		mutex_lock(&dax_kmem_sm_lock);
		if (offlining)
			send_sig(SIGINT, worker, 1);
		mutex_unlock(&dax_kmem_sm_lock);
	}
	/* The timer signals the worker: gone first. */
	timer_delete_sync(&offline_timer);
	kthread_stop(worker);

	/* What is left failed its removal: the memory keeps what it uses. */
	list_for_each_entry_safe(range, next, &all_ranges, node) {
		list_del_init(&range->node);
		dax_kmem_range_put(range);
	}
}
