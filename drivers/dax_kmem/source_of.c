// SPDX-License-Identifier: GPL-2.0
/*
 * Range source: Device Tree, per
 * Documentation/devicetree/bindings/memory/linux,dax-kmem.yaml.
 *
 * A node compatible with "linux,dax-kmem" describes ranges by its own reg,
 * by memory-region phandles to /reserved-memory children, or both. The
 * kernel makes no device for /reserved-memory children, so those that
 * carry the compatible themselves are also picked up when the module
 * loads, whether or not anything refers to them. Each (node, reg entry) is
 * registered once, however often it is referred to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/nodemask.h>
#include <linux/of.h>
#include <linux/of_address.h>

#include "dax_kmem.h"

#define POSSIBLE_HINT "a node is possible at boot only if a /memory node or a cpu names it in numa-node-id"

/*
 * arm64's memory_add_physaddr_to_nid() answers node 0 for any address, so
 * the node comes from the binding only: the range's own numa-node-id, else
 * the referring node's.
 */
static int source_of_node(struct device_node *np, struct device_node *referrer)
{
	u32 nid;
	int rc;

	rc = dax_kmem_fw_read_one_u32(of_fwnode_handle(np), "numa-node-id",
				      &nid);
	if (rc == -ENOENT && referrer)
		rc = dax_kmem_fw_read_one_u32(of_fwnode_handle(referrer),
					      "numa-node-id", &nid);
	if (rc == -ENOENT)
		pr_err("%pOF: no numa-node-id: add numa-node-id = <N>; %s\n",
		       np, POSSIBLE_HINT);
	/* Refused by the core as nodeless, the reason said above. */
	if (rc)
		return NUMA_NO_NODE;
	if (nid >= MAX_NUMNODES || !node_possible(nid)) {
		pr_err("%pOF: numa-node-id = <%u> is not possible (possible: %*pbl); %s\n",
		       np, nid, nodemask_pr_args(&node_possible_map),
		       POSSIBLE_HINT);
		/* The core refuses it too, and the device shows the refusal. */
		return nid >= MAX_NUMNODES ? MAX_NUMNODES : nid;
	}
	return nid;
}

/* Number of reg entries, or -EINVAL when reg does not fit the parent's cells. */
static int source_of_reg_entries(struct device_node *np)
{
	int na = of_n_addr_cells(np), ns = of_n_size_cells(np);
	int entry_bytes = (na + ns) * sizeof(__be32);
	int len;

	if (!of_get_property(np, "reg", &len))
		return 0;
	if (!len || !entry_bytes || len % entry_bytes) {
		pr_err("%pOF: reg has %d cells, not a multiple of the parent's #address-cells (%d) + #size-cells (%d); node ignored\n",
		       np, len / (int)sizeof(__be32), na, ns);
		return -EINVAL;
	}
	return len / entry_bytes;
}

/* Registers every reg entry of @np; returns how many are registered now. */
static int source_of_register_reg(struct device_node *np,
				  struct device_node *referrer,
				  struct device *parent)
{
	int count = source_of_reg_entries(np), registered = 0, nid, i, rc;
	struct dax_kmem_policy policy;
	struct resource res;

	if (count <= 0)
		return 0;
	if (dax_kmem_fw_read_policy(of_fwnode_handle(np),
				    referrer ? of_fwnode_handle(referrer) : NULL,
				    &policy)) {
		pr_err("%pOF: node ignored for its invalid policy\n", np);
		return 0;
	}
	nid = source_of_node(np, referrer);
	for (i = 0; i < count; i++) {
		struct dax_kmem_range_desc desc = {
			.nid = nid,
			.source = "dt",
			.policy = policy,
			.origin = np,
			.origin_index = i,
			.parent = parent,
			.firmware_described = true,
		};

		if (of_address_to_resource(np, i, &res)) {
			pr_err("%pOF: reg entry %d does not translate to a CPU address; skipped\n",
			       np, i);
			continue;
		}
		if (!resource_size(&res)) {
			pr_err("%pOF: reg entry %d has size 0; skipped\n", np, i);
			continue;
		}
		desc.start = res.start;
		desc.size = resource_size(&res);
		if (dax_kmem_fw_read_bad_pages(of_fwnode_handle(np), &desc,
					       count == 1)) {
			pr_err("%pOF: reg entry %d skipped for its bad-pages\n",
			       np, i);
			continue;
		}
		rc = dax_kmem_register_range(&desc);
		if (!rc || rc == -EEXIST)
			registered++;
	}
	return registered;
}

int dax_kmem_of_register_node(struct device_node *np, struct device *parent)
{
	struct device_node *target;
	int found, i;

	found = source_of_register_reg(np, NULL, parent);
	for (i = 0; (target = of_parse_phandle(np, "memory-region", i)); i++) {
		if (of_device_is_available(target))
			found += source_of_register_reg(target, np, parent);
		else
			pr_info("%pOF: memory-region %pOF is disabled; skipped\n",
				np, target);
		of_node_put(target);
	}
	if (!found) {
		pr_err("%pOF: describes no usable range: give it reg or memory-region\n",
		       np);
		return -EINVAL;
	}
	return 0;
}

void dax_kmem_reserved_memory_source_init(void)
{
	struct device_node *rmem, *child;

	rmem = of_find_node_by_path("/reserved-memory");
	if (!rmem)
		return;
	for_each_available_child_of_node(rmem, child)
		if (of_match_node(dax_kmem_fw_match, child))
			source_of_register_reg(child, NULL, NULL);
	of_node_put(rmem);
}
