// SPDX-License-Identifier: GPL-2.0
/*
 * A range's policy: how it is onlined, where its memmap lives, which
 * memory tier its node joins. Sources, lowest precedence first: these
 * module parameters, the range's firmware properties (DT or ACPI _DSD,
 * read here through the fwnode API so both share one path), then writes
 * to the range's sysfs attributes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/property.h>

#include "dax_kmem.h"

static struct dax_kmem_policy policy_defaults = {
	.online_type = DAX_KMEM_ONLINE_MOVABLE,
	.memmap = DAX_KMEM_MEMMAP_DRAM,
};

/* A bad default would mislead every range: refuse the load instead. */
static int policy_set_online_type(const char *val, const struct kernel_param *kp)
{
	if (dax_kmem_parse_online_type(val, &policy_defaults.online_type))
		return 0;
	pr_err("online_type=%s: not one of " DAX_KMEM_ONLINE_TYPE_NAMES "\n", val);
	return -EINVAL;
}

static int policy_get_online_type(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n",
			  dax_kmem_online_type_name(policy_defaults.online_type));
}

static const struct kernel_param_ops policy_online_type_ops = {
	.set = policy_set_online_type,
	.get = policy_get_online_type,
};
module_param_cb(online_type, &policy_online_type_ops, NULL, 0444);
MODULE_PARM_DESC(online_type,
		 "Default online type of a range: movable (default), kernel, offline");

static int policy_set_memmap(const char *val, const struct kernel_param *kp)
{
	if (dax_kmem_parse_memmap(val, &policy_defaults.memmap))
		return 0;
	pr_err("memmap=%s: not one of " DAX_KMEM_MEMMAP_NAMES "\n", val);
	return -EINVAL;
}

static int policy_get_memmap(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", dax_kmem_memmap_name(policy_defaults.memmap));
}

static const struct kernel_param_ops policy_memmap_ops = {
	.set = policy_set_memmap,
	.get = policy_get_memmap,
};
module_param_cb(memmap, &policy_memmap_ops, NULL, 0444);
MODULE_PARM_DESC(memmap,
		 "Default place of a range's struct pages: dram (default) or range (needs memory_hotplug.memmap_on_memory=1)");

static int policy_set_adistance(const char *val, const struct kernel_param *kp)
{
	int adistance, rc;

	rc = kstrtoint(val, 0, &adistance);
	if (rc || adistance < 0) {
		pr_err("adistance=%s: not a non-negative number\n", val);
		return -EINVAL;
	}
	policy_defaults.adistance = adistance;
	return 0;
}

static const struct kernel_param_ops policy_adistance_ops = {
	.set = policy_set_adistance,
	.get = param_get_int,
};
module_param_cb(adistance, &policy_adistance_ops, &policy_defaults.adistance, 0444);
MODULE_PARM_DESC(adistance,
		 "Default abstract distance of a range's node (memory tiers); 0: HMAT's, else 5x DRAM's");

/* Caller holds dax_kmem_sm_lock. */
struct dax_kmem_policy dax_kmem_policy_of(const struct dax_kmem_range *range)
{
	return dax_kmem_policy_merge(dax_kmem_policy_merge(policy_defaults,
							   range->desc.policy),
				     range->sysfs_policy);
}

/*
 * The firmware readers fail on a property of the wrong type or length as
 * they fail on an absent one, and the range would quietly take the
 * default; the string reader takes the first of a list. A property that
 * is there is read as the binding has it, one string, or refused, said
 * why.
 */
static int policy_read_word_one(struct fwnode_handle *fwnode, const char *name,
				const char **word)
{
	if (!fwnode_property_present(fwnode, name))
		return -ENOENT;
	if (fwnode_property_string_array_count(fwnode, name) == 1 &&
	    !fwnode_property_read_string(fwnode, name, word))
		return 0;
	pr_err("%pfw: %s is not one string: give it as %s = \"WORD\"\n",
	       fwnode, name, name);
	return -EINVAL;
}

/* @name from @fwnode, else from @fallback: 0, -ENOENT or -EINVAL (said). */
static int policy_read_word(struct fwnode_handle *fwnode,
			    struct fwnode_handle *fallback, const char *name,
			    const char **word)
{
	int rc = policy_read_word_one(fwnode, name, word);

	if (rc == -ENOENT && fallback)
		rc = policy_read_word_one(fallback, name, word);
	return rc;
}

/*
 * @name as exactly one 32-bit cell: 0, -ENOENT when absent, -EINVAL (said)
 * for any other length or type. of_property_read_u32() alone would take
 * the first cell of a longer property and call a shorter one absent.
 * Device Tree properties carry no type: a 4-byte string passes as a cell.
 */
int dax_kmem_fw_read_one_u32(struct fwnode_handle *fwnode, const char *name,
			     u32 *val)
{
	if (!fwnode_property_present(fwnode, name))
		return -ENOENT;
	if (fwnode_property_count_u32(fwnode, name) == 1 &&
	    !fwnode_property_read_u32(fwnode, name, val))
		return 0;
	pr_err("%pfw: %s is not one 32-bit number: give it as %s = <N>\n",
	       fwnode, name, name);
	return -EINVAL;
}

/*
 * Reads the policy properties of a range's firmware node, else of
 * @fallback (the node that referred to it). Returns -EINVAL, having said
 * which property and what is allowed, when a value is not valid.
 */
int dax_kmem_fw_read_policy(struct fwnode_handle *fwnode,
			    struct fwnode_handle *fallback,
			    struct dax_kmem_policy *policy)
{
	const char *word;
	u32 adistance;
	int rc;

	*policy = (struct dax_kmem_policy){ };
	rc = policy_read_word(fwnode, fallback, "online-type", &word);
	if (rc && rc != -ENOENT)
		return rc;
	if (!rc && !dax_kmem_parse_online_type(word, &policy->online_type)) {
		pr_err("%pfwP: online-type = \"%s\" is not one of " DAX_KMEM_ONLINE_TYPE_NAMES "\n",
		       fwnode, word);
		return -EINVAL;
	}
	rc = policy_read_word(fwnode, fallback, "memmap-placement", &word);
	if (rc && rc != -ENOENT)
		return rc;
	if (!rc && !dax_kmem_parse_memmap(word, &policy->memmap)) {
		pr_err("%pfwP: memmap-placement = \"%s\" is not one of " DAX_KMEM_MEMMAP_NAMES "\n",
		       fwnode, word);
		return -EINVAL;
	}
	rc = dax_kmem_fw_read_one_u32(fwnode, "abstract-distance", &adistance);
	if (rc == -ENOENT && fallback)
		rc = dax_kmem_fw_read_one_u32(fallback, "abstract-distance",
					      &adistance);
	if (rc && rc != -ENOENT)
		return rc;
	if (!rc) {
		if (!adistance || adistance > INT_MAX) {
			pr_err("%pfwP: abstract-distance = <%u> must be 1..%d\n",
			       fwnode, adistance, INT_MAX);
			return -EINVAL;
		}
		policy->adistance = adistance;
	}
	return 0;
}
