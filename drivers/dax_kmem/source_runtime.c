// SPDX-License-Identifier: GPL-2.0
/*
 * Range sources a user drives at run time (root only): the driver
 * attributes new_range, remove_range and load_ranges, and the descriptor
 * file named by ranges_file= at load. Lines take the ranges= item plus
 * policy keys (include/dax_kmem/range_line.h); each one is validated by
 * the core exactly as a boot-time range is, and a refused one leaves no
 * device behind, so a write's errno is the range's own verdict.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/firmware.h>
#include <linux/moduleparam.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "dax_kmem.h"
#include "dax_kmem/compat.h"

/* Larger than any table of ranges a machine has; bounds the parse. */
#define RANGES_FILE_MAX_BYTES (64 * 1024)

static char *ranges_file;
module_param(ranges_file, charp, 0444);
MODULE_PARM_DESC(ranges_file,
		 "Descriptor file to load at init, found as firmware is (/lib/firmware, initramfs): one range per line, SIZE@START[:NODE] [key=value...]");

bool dax_kmem_user_addresses_locked_down(const char *what)
{
	if (!security_locked_down(LOCKDOWN_MODULE_PARAMETERS))
		return false;
	pr_err("%s refused: the kernel is locked down, and it takes no physical addresses from user space; firmware-described ranges still load\n",
	       what);
	return true;
}

/* Registers one line; @where names it in messages ("new_range", "f:3"). */
static int runtime_register_line(const char *line, const char *source,
				 const char *where)
{
	struct dax_kmem_range_desc *desc;
	struct dax_kmem_range_line *parsed;
	struct dax_kmem_line_fault fault;
	char name[24];
	int rc;

	/* Two lists of bad pages: too large for the stack of a sysfs write. */
	parsed = kzalloc(sizeof(*parsed), GFP_KERNEL);
	desc = kzalloc(sizeof(*desc), GFP_KERNEL);
	if (!parsed || !desc) {
		rc = -ENOMEM;
		goto out;
	}
	if (!dax_kmem_parse_range_line(line, MAX_NUMNODES, PAGE_SIZE, parsed,
				       &fault)) {
		pr_err("%s: %s: %s (column %u)\n", where, fault.field,
		       dax_kmem_line_error_str(&fault), fault.column + 1);
		rc = -EINVAL;
		goto out;
	}
	desc->start = parsed->item.span.start;
	desc->size = parsed->item.span.size;
	desc->nid = parsed->item.node == DAX_KMEM_NODE_UNSET ?
		    dax_kmem_firmware_node(desc->start) : parsed->item.node;
	desc->source = source;
	desc->policy = parsed->policy;
	desc->bad = parsed->bad;
	desc->firmware_described = false;	/* typed by the user */
	rc = dax_kmem_register_user_range(desc, name, sizeof(name));
	if (rc)
		pr_err("%s: [mem %#010llx-%#010llx] refused (%d): see the messages before\n",
		       where, desc->start, desc->start + desc->size - 1, rc);
	else
		pr_info("%s: %s for [mem %#010llx-%#010llx]\n", where, name,
			desc->start, desc->start + desc->size - 1);
out:
	kfree(desc);
	kfree(parsed);
	return rc;
}

static ssize_t new_range_store(struct device_driver *drv, const char *buf,
			       size_t count)
{
	char *line;
	int rc;

	if (dax_kmem_user_addresses_locked_down("new_range"))
		return -EPERM;
	line = kstrndup(buf, count, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	/* One range per write: a second line is a mistake, not a list. */
	if (strlen(line) != count || strchr(strim(line), '\n')) {
		pr_err("new_range: one range per write\n");
		rc = -EINVAL;
	} else {
		rc = runtime_register_line(line, "runtime", "new_range");
	}
	kfree(line);
	return rc ? rc : count;
}

/* Physical addresses: root only (DRIVER_ATTR_WO is 0200). */
DRIVER_ATTR_WO(new_range);

static ssize_t remove_range_store(struct device_driver *drv, const char *buf,
				  size_t count)
{
	char *name;
	int rc;

	name = kstrndup(buf, count, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	rc = dax_kmem_unregister_user_range(strim(name));
	if (rc == -ENODEV)
		pr_err("remove_range: no range device \"%.32s\"\n", strim(name));
	else if (rc == -EPERM)
		pr_err("remove_range: %s is firmware's: it goes with its firmware device; unbind it instead\n",
		       strim(name));
	else if (!rc)
		pr_info("remove_range: %s unregistered; its memory goes as on unbind\n",
			strim(name));
	kfree(name);
	return rc ? rc : count;
}

DRIVER_ATTR_WO(remove_range);

/* Registers each line of @text; returns how many lines were refused. */
static unsigned int runtime_register_lines(char *text, const char *file,
					   unsigned int *registered)
{
	unsigned int number = 0, refused = 0;
	char where[80], *line, *comment;

	*registered = 0;
	while ((line = strsep(&text, "\n")) != NULL) {
		number++;
		/* '#' is in no field: all after it is a comment. */
		comment = strchr(line, '#');
		if (comment)
			*comment = '\0';
		if (dax_kmem_line_is_blank(line))
			continue;
		snprintf(where, sizeof(where), "%s:%u", file, number);
		if (runtime_register_line(line, "file", where))
			refused++;
		else
			(*registered)++;
	}
	return refused;
}

/*
 * Loads a descriptor file through the firmware loader: the name is
 * relative to /lib/firmware (or the initramfs's), and never leaves it.
 */
static int runtime_load_file(const char *file)
{
	unsigned int registered, refused;
	const struct firmware *fw;
	char *text;
	int rc;

	if (dax_kmem_user_addresses_locked_down("descriptor file"))
		return -EPERM;
	if (!*file || file[0] == '/' || strstr(file, "..")) {
		pr_err("descriptor file \"%s\": a name under /lib/firmware, without \"..\", is needed\n",
		       file);
		return -EINVAL;
	}
	rc = firmware_request_nowarn(&fw, file, NULL);
	if (rc) {
		pr_err("descriptor file %s: not found under /lib/firmware (%d)\n",
		       file, rc);
		return rc;
	}
	if (fw->size > RANGES_FILE_MAX_BYTES) {
		pr_err("descriptor file %s: %zu bytes, more than %d\n", file,
		       fw->size, RANGES_FILE_MAX_BYTES);
		release_firmware(fw);
		return -EFBIG;
	}
	text = kmemdup_nul(fw->data, fw->size, GFP_KERNEL);
	release_firmware(fw);
	if (!text)
		return -ENOMEM;
	refused = runtime_register_lines(text, file, &registered);
	kfree(text);
	pr_info("descriptor file %s: %u ranges registered, %u lines refused\n",
		file, registered, refused);
	return 0;
}

static ssize_t load_ranges_store(struct device_driver *drv, const char *buf,
				 size_t count)
{
	char *file;
	int rc;

	file = kstrndup(buf, count, GFP_KERNEL);
	if (!file)
		return -ENOMEM;
	rc = runtime_load_file(strim(file));
	kfree(file);
	return rc ? rc : count;
}

DRIVER_ATTR_WO(load_ranges);

void dax_kmem_file_source_init(void)
{
	if (ranges_file && *ranges_file)
		runtime_load_file(ranges_file);
}
