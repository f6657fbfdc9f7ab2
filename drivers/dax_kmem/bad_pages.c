// SPDX-License-Identifier: GPL-2.0
/*
 * Known-bad pages of a range. As each block of the range comes online,
 * each listed page in it is soft-offlined, as the kernel does with a DRAM
 * page that reports too many corrected errors: the page leaves the
 * allocator for good (migrated first if it was handed out meanwhile), is
 * marked poisoned and counts in HardwareCorrupted, so a bad page costs
 * 4 KiB rather than a memory block.
 *
 * The kernel forgets poison when a block is onlined again (its struct
 * pages are initialised afresh), and with the memory when it is removed.
 * So before any of the range's blocks go offline, the pages the kernel
 * found poisoned meanwhile (a machine check, hard_offline_page,
 * soft_offline_page) join the range's list, and the list is applied
 * again after every online. The list lives in the range object: it
 * survives unbind and bind; across a module reload it survives only as
 * the admin keeps it (bad_pages= in the descriptor file or new_range, or
 * the firmware property), which bad_pages in sysfs prints in that form.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/property.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dax_kmem.h"

/* The online page at @addr, or NULL: offline blocks have no live memmap. */
static struct page *bad_pages_online_page(u64 addr)
{
	return pfn_to_online_page(PHYS_PFN(addr));
}

void dax_kmem_bad_pages_apply(struct dax_kmem_range *range)
{
	struct dax_kmem_bad_pages bad;
	struct page *page;
	unsigned int i;
	int rc;

	mutex_lock(&dax_kmem_sm_lock);
	bad = range->bad;
	mutex_unlock(&dax_kmem_sm_lock);
	for (i = 0; i < bad.count; i++) {
		u64 addr = bad.addr[i];

		if (addr < range->aligned.start ||
		    addr - range->aligned.start >= range->present_size)
			continue;
		page = bad_pages_online_page(addr);
		if (!page || PageHWPoison(page))
			continue;
		if (!IS_ENABLED(CONFIG_MEMORY_FAILURE)) {
			range_err(range, "bad page %#llx stays in use: this kernel has no CONFIG_MEMORY_FAILURE\n",
				  addr);
			continue;
		}
		rc = dax_kmem_soft_offline(addr);
		if (rc)
			range_err(range, "bad page %#llx: soft offline failed (%d); it stays in use until the block is onlined again\n",
				  addr, rc);
		else
			range_info(range, "bad page %#llx taken out of use\n",
				   addr);
	}
}

/*
 * Adds @range's online pages that the kernel has poisoned to @into;
 * returns how many were new. The caller keeps the memmap alive: the
 * worker (it alone removes memory), or a holder of dax_kmem_sm_lock while
 * the range is not busy.
 */
static unsigned int bad_pages_scan(const struct dax_kmem_range *range,
				   struct dax_kmem_bad_pages *into)
{
	unsigned long first = PHYS_PFN(range->aligned.start);
	unsigned long end = first + PHYS_PFN(range->present_size);
	unsigned long block_pages = PHYS_PFN(range->block_size);
	unsigned long pfn, i;
	unsigned int added = 0;

	if (!block_pages)
		return 0;
	for (pfn = first; pfn < end; pfn += block_pages) {
		cond_resched();
		/* Blocks are online or offline as a whole. */
		if (!pfn_to_online_page(pfn))
			continue;
		for (i = 0; i < block_pages && pfn + i < end; i++) {
			struct page *page = pfn_to_page(pfn + i);

			/*
			 * An admin may offline the block meanwhile (only
			 * onlines are gated), and CONFIG_DEBUG_VM fills an
			 * offline memmap with ones: PageHWPoison() included.
			 */
			if (PagePoisoned(page) || !PageHWPoison(page) ||
			    !pfn_to_online_page(pfn + i))
				continue;
			if (!dax_kmem_bad_pages_add(into, PFN_PHYS(pfn + i),
						    PAGE_SIZE))
				added++;
		}
	}
	return added;
}

void dax_kmem_bad_pages_record(struct dax_kmem_range *range)
{
	struct dax_kmem_bad_pages found = { };
	unsigned int i;
	int added;

	if (!bad_pages_scan(range, &found))
		return;
	for (i = 0; i < found.count; i++) {
		mutex_lock(&dax_kmem_sm_lock);
		added = dax_kmem_bad_pages_add(&range->bad, found.addr[i],
					       PAGE_SIZE);
		mutex_unlock(&dax_kmem_sm_lock);
		if (!added)
			range_info(range, "page %#llx was poisoned while online: recorded as bad\n",
				   found.addr[i]);
		else if (added < 0)
			range_err(range, "page %#llx was poisoned while online, but the list of bad pages is full\n",
				  found.addr[i]);
	}
}

/*
 * A bad page where the kernel would put a block's memmap would take the
 * struct pages of the whole block with it: such a range keeps its memmap
 * in DRAM.
 */
bool dax_kmem_bad_pages_in_memmap(struct dax_kmem_range *range, u64 start,
				  u64 size)
{
	u64 head = ALIGN(PHYS_PFN(range->block_size) * sizeof(struct page),
			 PAGE_SIZE << pageblock_order);
	bool hit;

	mutex_lock(&dax_kmem_sm_lock);
	hit = dax_kmem_bad_pages_in_block_heads(&range->bad, start, size,
						range->block_size, head);
	mutex_unlock(&dax_kmem_sm_lock);
	return hit;
}

/*
 * "bad-pages": 64-bit physical addresses, in DT and in ACPI _DSD alike.
 * A node with several ranges lists the bad pages of all of them: each
 * range takes those inside it, and with @only_range an address outside
 * it is an error in the property.
 */
int dax_kmem_fw_read_bad_pages(struct fwnode_handle *fwnode,
			       struct dax_kmem_range_desc *desc,
			       bool only_range)
{
	u64 addr[DAX_KMEM_MAX_BAD_PAGES];
	int count, i, rc;

	if (!fwnode_property_present(fwnode, "bad-pages"))
		return 0;
	/* -EINVAL here is a length that is no multiple of 8 bytes. */
	count = fwnode_property_count_u64(fwnode, "bad-pages");
	if (count <= 0) {
		pr_err("%pfwP: bad-pages is not an array of 64-bit addresses (%d)\n",
		       fwnode, count);
		return -EINVAL;
	}
	if (count > DAX_KMEM_MAX_BAD_PAGES) {
		pr_err("%pfwP: bad-pages lists %d pages, more than %d\n",
		       fwnode, count, DAX_KMEM_MAX_BAD_PAGES);
		return -EINVAL;
	}
	rc = fwnode_property_read_u64_array(fwnode, "bad-pages", addr, count);
	if (rc) {
		pr_err("%pfwP: bad-pages could not be read (%d)\n", fwnode, rc);
		return rc;
	}
	for (i = 0; i < count; i++) {
		if (addr[i] >= desc->start && addr[i] - desc->start < desc->size) {
			dax_kmem_bad_pages_add(&desc->bad, addr[i], PAGE_SIZE);
			continue;
		}
		if (only_range) {
			pr_err("%pfwP: bad-pages entry %#llx is outside [mem %#010llx-%#010llx]\n",
			       fwnode, addr[i], desc->start,
			       desc->start + desc->size - 1);
			return -EINVAL;
		}
	}
	return 0;
}

/* Scans the live memmap too where the worker cannot remove it meanwhile. */
static ssize_t bad_pages_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	struct dax_kmem_range *range = dax_kmem_range_of(dev);
	struct dax_kmem_bad_pages bad;
	unsigned int len;

	mutex_lock(&dax_kmem_sm_lock);
	bad = range->bad;
	if (range->state == DAX_KMEM_ADDED && !range->busy)
		bad_pages_scan(range, &bad);
	/* Pages a shrink left outside stay listed inside, for a grow. */
	dax_kmem_bad_pages_clip(&bad, range->desc.start, range->desc.size);
	mutex_unlock(&dax_kmem_sm_lock);
	len = dax_kmem_bad_pages_format(&bad, buf, PAGE_SIZE - 1);
	if (len >= PAGE_SIZE - 1)
		return -EOVERFLOW;
	buf[len++] = '\n';
	return len;
}

/* Adds pages ("0x140001000,0x140005000"); before the memory is added only. */
static ssize_t bad_pages_store(struct device *dev,
			       struct device_attribute *attr, const char *buf,
			       size_t count)
{
	struct dax_kmem_range *range = dax_kmem_range_of(dev);
	struct dax_kmem_range_line line;
	struct dax_kmem_line_fault fault;
	char *text;
	int rc = 0;

	mutex_lock(&dax_kmem_sm_lock);
	text = kasprintf(GFP_KERNEL, "%llu@%#llx bad_pages=%s",
			 range->desc.size, range->desc.start, buf);
	mutex_unlock(&dax_kmem_sm_lock);
	if (!text)
		return -ENOMEM;
	if (!dax_kmem_parse_range_line(strim(text), MAX_NUMNODES, PAGE_SIZE,
				       &line, &fault)) {
		dev_err(dev, "bad_pages: %s\n", dax_kmem_line_error_str(&fault));
		kfree(text);
		return -EINVAL;
	}
	kfree(text);
	if (line.policy.online_type || line.policy.memmap ||
	    line.policy.adistance) {
		dev_err(dev, "bad_pages: addresses only, comma-separated\n");
		return -EINVAL;
	}
	mutex_lock(&dax_kmem_sm_lock);
	if (range->state != DAX_KMEM_ABSENT && range->state != DAX_KMEM_REFUSED &&
	    range->state != DAX_KMEM_ADD_FAILED) {
		rc = -EBUSY;
	} else {
		unsigned int i;

		for (i = 0; i < line.bad.count && !rc; i++)
			if (dax_kmem_bad_pages_add(&range->bad, line.bad.addr[i],
						   PAGE_SIZE) < 0)
				rc = -ENOSPC;
	}
	mutex_unlock(&dax_kmem_sm_lock);
	if (rc == -EBUSY)
		dev_err(dev, "bad_pages: written while the range is bound; unbind it first\n");
	else if (rc)
		dev_err(dev, "bad_pages: the list holds %d pages at most\n",
			DAX_KMEM_MAX_BAD_PAGES);
	return rc ? rc : count;
}

/* Physical addresses: root only. */
DEVICE_ATTR_ADMIN_RW(bad_pages);
