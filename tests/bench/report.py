#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py DIR: raw.csv + machine.txt in DIR -> summary.csv, results.md,
time-vs-size.png (gnuplot), and the ratios and target verdicts on stdout."""
import csv
import os
import statistics
import subprocess
import sys

d = sys.argv[1]
METHODS = ["kmem-dram", "kmem-range", "peer", "reference"]
LABEL = {
    "kmem-dram": "dax_kmem, memmap in DRAM",
    "kmem-range": "dax_kmem, memmap=range",
    "peer": "peer: ndctl devdax + daxctl system-ram",
    "reference": "reference: boot-time deferred init",
}

machine = {}
with open(os.path.join(d, "machine.txt")) as f:
    for line in f:
        k, _, v = line.rstrip("\n").partition("=")
        machine[k] = v

raw_rows = list(csv.DictReader(open(os.path.join(d, "raw.csv"))))
raw_kernels = [k for k in machine.get("kernels", "").split() if k]
sizes = sorted({int(r["size_gib"]) for r in raw_rows})
# Each auto-online policy is a column of its own, "KVER, auto-online
# POLICY"; the reference (boot RAM, no policy) stands in all of them.
onlines = [o for o in ("default", "offline") if any(r.get("online") == o for r in raw_rows)]


def label(kernel, online):
    return f"{kernel}, auto-online {online}"


rows = []
for r in raw_rows:
    if r.get("online") in onlines:
        rows.append(dict(r, kernel=label(r["kernel"], r["online"])))
    elif r.get("method") == "reference":
        rows.extend(dict(r, kernel=label(r["kernel"], o)) for o in onlines)
    else:
        rows.append(r)
# A raw.csv from before the policy column: one column a kernel, as then.
kernels = [label(k, o) for k in raw_kernels for o in onlines] if onlines else raw_kernels


def med(vals):
    vals = [float(v) for v in vals if v not in ("", None)]
    return statistics.median(vals) if vals else None


def fmt(v, p=3):
    return "" if v is None else f"{v:.{p}f}"


summary = {}
notes = []
for r in rows:
    if r["status"] == "not-run":
        notes.append(f"{r['size_gib']} GiB not run: {r['detail']}")
for k in kernels:
    for s in sizes:
        for m in METHODS:
            sel = [r for r in rows if r["kernel"] == k and int(r["size_gib"]) == s and r["method"] == m]
            if not sel:
                continue
            ok = [r for r in sel if r["status"] == "ok"]
            e = {"kernel": k, "size_gib": s, "method": m, "runs": len(ok),
                 "failed": sum(r["status"] == "failed" for r in sel)}
            if any(r["status"] == "unavailable" for r in sel):
                e["status"] = "not available in this build"
            elif not ok:
                e["status"] = "failed"
            else:
                e["status"] = "ok"
            e["add_online_s"] = med(r["add_online_s"] for r in ok)
            # The first add of a boot runs cold (first page tables, caches).
            e["first_add_s"] = med(r["add_online_s"] for r in ok if r["run"] == "1")
            e["remove_s"] = med(r["remove_s"] for r in ok)
            # The same range again by bind, module loaded: the driver's own part.
            e["bind_s"] = med(r.get("bind_online_s") for r in ok)
            # First add of each boot only (a removal's memmap is not given back).
            e["dram_kib"] = med(r["dram_kib"] for r in ok if r["run"] == "1")
            e["usable_kib"] = med(r["usable_kib"] for r in ok)
            e["node1_kib"] = s * 1048576
            summary[(k, s, m)] = e


def get(k, s, m, key):
    e = summary.get((k, s, m))
    return None if not e or e["status"] != "ok" else e.get(key)


cols = ["kernel", "size_gib", "method", "status", "runs", "failed", "add_online_s",
        "first_add_s", "per_gib_ms", "bind_online_s", "bind_per_gib_ms", "remove_s", "dram_kib", "dram_kib_per_gib", "usable_kib",
        "usable_pct"]
with open(os.path.join(d, "summary.csv"), "w") as f:
    for k in ("date", "nproc", "free_g", "qemu", "kernels", "cpu"):
        f.write(f"# {k}: {machine.get(k, '')}\n")
    w = csv.writer(f)
    w.writerow(cols)
    for (k, s, m), e in summary.items():
        ok = e["status"] == "ok"
        w.writerow([k, s, m, e["status"], e["runs"], e["failed"], fmt(e["add_online_s"], 4),
                    fmt(e["first_add_s"], 4),
                    fmt(e["add_online_s"] * 1000 / s, 1) if ok and e["add_online_s"] is not None else "",
                    fmt(e["bind_s"], 4),
                    fmt(e["bind_s"] * 1000 / s, 1) if ok and e["bind_s"] is not None else "",
                    fmt(e["remove_s"], 4), fmt(e["dram_kib"], 0),
                    fmt(e["dram_kib"] / s, 0) if ok and e["dram_kib"] is not None else "",
                    fmt(e["usable_kib"], 0),
                    fmt(100.0 * e["usable_kib"] / e["node1_kib"], 2) if ok and e["usable_kib"] is not None else ""])

# Ratios and verdicts.


def div(a, b):
    return a / b if a is not None and b else None


out = []
ratio_rows = []
for k in kernels:
    for s in sizes:
        kd = get(k, s, "kmem-dram", "add_online_s")
        kr = get(k, s, "kmem-range", "add_online_s")
        p = get(k, s, "peer", "add_online_s")
        ref = get(k, s, "reference", "add_online_s")
        prm = get(k, s, "peer", "remove_s")
        krm = get(k, s, "kmem-dram", "remove_s")
        ratio_rows.append((k, s, div(p, kd), div(p, kr), div(kd, ref), div(kr, ref), div(prm, krm)))


def verdict(name, ok, detail):
    v = "met" if ok is True else ("NOT met" if ok is False else "not measured")
    out.append(f"- **{v}**: {name}. {detail}")


PLACE = {"kmem-dram": "memmap in DRAM", "kmem-range": "memmap=range"}


def placements():
    return [m for m in ("kmem-dram", "kmem-range")
            if any(get(k, s, m, "add_online_s") is not None for k in kernels for s in sizes)]


# 1. >= 8x faster than the peer at 8 GiB or more.
for m in placements():
    big = [(k, s, div(get(k, s, "peer", "add_online_s"), get(k, s, m, "add_online_s")))
           for k in kernels for s in sizes if s >= 8]
    big = [x for x in big if x[2] is not None]
    verdict(f"dax_kmem ({PLACE[m]}) add+online >= 8x faster than the peer end to end at >= 8 GiB",
            (min(x[2] for x in big) >= 8) if big else None,
            "peer/dax_kmem: " + (", ".join(f"{k} {s} GiB {v:.1f}x" for k, s, v in big) or "no size >= 8 GiB ran"))
# 2. <= 2x the reference.
for m in placements():
    rr = [(k, s, div(get(k, s, m, "add_online_s"), get(k, s, "reference", "add_online_s")))
          for k in kernels for s in sizes]
    rr = [x for x in rr if x[2] is not None]
    verdict(f"dax_kmem ({PLACE[m]}) add+online <= 2x the kernel's boot-time init",
            (max(x[2] for x in rr) <= 2) if rr else None,
            "dax_kmem/reference: " + ", ".join(f"{k} {s} GiB {v:.2f}x" for k, s, v in rr))
# 2b. The reference loads no module: the same ratio from bind.
for m in placements():
    rr = [(k, s, div(get(k, s, m, "bind_s"), get(k, s, "reference", "add_online_s")))
          for k in kernels for s in sizes]
    rr = [x for x in rr if x[2] is not None]
    if rr:
        verdict(f"dax_kmem ({PLACE[m]}) bind+online (module already loaded) <= 2x the kernel's boot-time init",
                max(x[2] for x in rr) <= 2,
                "dax_kmem bind/reference: " + ", ".join(f"{k} {s} GiB {v:.2f}x" for k, s, v in rr))
# 3. DRAM per GiB with memmap on the range.
dr = [(k, s, get(k, s, "kmem-range", "dram_kib")) for k in kernels for s in sizes]
dr = [x for x in dr if x[2] is not None]
dd = [(k, s, get(k, s, "kmem-dram", "dram_kib")) for k in kernels for s in sizes]
dd = [x for x in dd if x[2] is not None]
verdict("<= 1 MiB of DRAM per GiB with memmap on the range",
        (max(x[2] / x[1] for x in dr) <= 1024) if dr else None,
        (("memmap=range: " + ", ".join(f"{k} {s} GiB {v / s:.0f} KiB/GiB" for k, s, v in dr) + ". ")
         if dr else "memmap=range is not available in the builds measured. ")
        + "Memmap in DRAM, for comparison: " + ", ".join(f"{k} {s} GiB {v / s:.0f} KiB/GiB" for k, s, v in dd))
# 4. 100 % of the block-aligned range usable.
for m in placements():
    us = [(k, s, get(k, s, m, "usable_kib")) for k in kernels for s in sizes]
    us = [x for x in us if x[2] is not None]
    verdict(f"100 % of the block-aligned range usable ({PLACE[m]})",
            all(v >= s * 1048576 for k, s, v in us) if us else None,
            ", ".join(f"{k} {s} GiB {100.0 * v / (s * 1048576):.2f} %" for k, s, v in us)
            + ("; memmap=range gives 16 MiB per GiB of the range to its struct pages by design"
               if m == "kmem-range" else ""))
out.append("- peer, for comparison, usable: " + ", ".join(
    f"{k} {s} GiB {100.0 * get(k, s, 'peer', 'usable_kib') / (s * 1048576):.2f} %"
    for k in kernels for s in sizes if get(k, s, "peer", "usable_kib") is not None))
# 5. per-GiB cost flat within 25 %, from module load and from bind.
for key, what in (("add_online_s", "add+online (from insmod)"), ("bind_s", "bind+online (module loaded)")):
    for m in placements():
        flat = []
        for k in kernels:
            pg = [(s, get(k, s, m, key) / s) for s in sizes if get(k, s, m, key)]
            if len(pg) >= 2:
                flat.append((k, pg, max(v for _, v in pg) / min(v for _, v in pg)))
        if key == "bind_s" and not flat:
            continue
        verdict(f"dax_kmem ({PLACE[m]}) per-GiB {what} cost flat within 25 % from 1 GiB to the largest size",
                all(f[2] <= 1.25 for f in flat) if flat else None,
                "; ".join(f"{k}: " + ", ".join(f"{s} GiB {v * 1000:.0f} ms/GiB" for s, v in pg)
                          + f" (max/min {r:.2f})" for k, pg, r in flat))

# Markdown.
md = []
md.append("# dax_kmem benchmark results\n")
md.append(f"Machine: {machine.get('nproc')} CPUs ({machine.get('cpu')}), {machine.get('free_g')} "
          f"(`free -g`), {machine.get('qemu')}, TCG (no KVM), host kernel {machine.get('host_kernel')}; "
          f"{machine.get('ndctl')}. Date: {machine.get('date')}. Guest kernels: {machine.get('kernels')}.\n")
rounds = machine.get("rounds", "").split()[0] if machine.get("rounds") else "?"
md.append(f"Module: source {machine.get('source', 'not recorded')}, dax_kmem.ko sha256 "
          + ", ".join(f"{k} {machine[f'ko_{k}']}" for k in raw_kernels if f"ko_{k}" in machine) + ".\n")
md.append("auto-online default is the kernel's own setting (Debian 6.1: offline; 6.12: online, "
          "which dax_kmem refuses for its blocks and then onlines them itself); offline boots "
          "with memhp_default_state=offline. The reference is boot RAM in both.\n")
md.append(f"Sizes {machine.get('sizes_gib')} GiB; {rounds} rounds, {machine.get('runs_per_boot', machine.get('rounds', '').partition('runs_per_boot=')[2])} runs per boot; medians over rounds "
          "(one boot per method per round, interleaved) and runs within a boot. DRAM is node 0 "
          "MemFree before minus after (caches dropped), first add of each boot; usable is the "
          "MemTotal delta.\n")
for n in notes:
    md.append(f"- {n}")
md.append("\n| kernel | GiB | method | add+online s | first add of a boot s | ms/GiB | bind+online s | ms/GiB (bind) | remove s | DRAM MiB | DRAM KiB/GiB | usable MiB | usable % | runs |")
md.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for (k, s, m), e in summary.items():
    if e["status"] != "ok":
        md.append(f"| {k} | {s} | {m} | {e['status']} | | | | | | | | | | {e['runs']} |")
        continue
    a = e["add_online_s"]
    b = e["bind_s"]
    bind_cells = (f"{fmt(b)} | {fmt(b * 1000 / s, 0)}" if b is not None else "n/a | n/a")
    dram = e["dram_kib"]
    dram_cell = "n/a" if m == "reference" else fmt(dram / 1024 if dram is not None else None, 1)
    dram_pg = "n/a" if m == "reference" else fmt(dram / s if dram is not None else None, 0)
    md.append(f"| {k} | {s} | {m} | {fmt(a)} | {fmt(e['first_add_s'])} | {fmt(a * 1000 / s if a else None, 0)} | "
              f"{bind_cells} | {'n/a' if m == 'reference' else fmt(e['remove_s'])} | {dram_cell} | {dram_pg} | "
              f"{fmt(e['usable_kib'] / 1024 if e['usable_kib'] is not None else None, 0)} | "
              f"{fmt(100.0 * e['usable_kib'] / e['node1_kib'] if e['usable_kib'] is not None else None, 1)} | {e['runs']} |")
md.append("\nadd+online counts from insmod (module load included); bind+online is the "
          "same range again by unbind and bind in the same boot, the module loaded (on 6.1 a re-added range "
          "reuses the memmap its removal left). remove is the unbind. Reference usable = node 1 MemTotal "
          "when the same memory is boot RAM (its memmap lives on node 1).\n")
md.append("## Ratios\n")
md.append("| kernel | GiB | peer / dax_kmem (dram) | peer / dax_kmem (range) | dax_kmem (dram) / reference | dax_kmem (range) / reference | remove: peer / dax_kmem |")
md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for r in ratio_rows:
    md.append(f"| {r[0]} | {r[1]} | " + " | ".join(fmt(x, 2) + ("x" if x is not None else "n/a") for x in r[2:]) + " |")
md.append("\n## Targets\n")
md.extend(out)
md.append("\n![add+online time vs size](time-vs-size.png)\n")
open(os.path.join(d, "results.md"), "w").write("\n".join(md) + "\n")

# Plot: one panel per kernel, add+online (solid) and remove (dashed).
plot_kernels = [k for k in kernels if any(key[0] == k for key in summary)]
series = []
for k in plot_kernels:
    for m in METHODS:
        for what in ("add_online_s", "remove_s"):
            if what == "remove_s" and m == "reference":
                continue
            pts = [(s, get(k, s, m, what)) for s in sizes if get(k, s, m, what)]
            if not pts:
                continue
            fn = os.path.join(d, f".plot-{k}-{m}-{what}.dat")
            with open(fn, "w") as f:
                f.writelines(f"{s} {v}\n" for s, v in pts)
            series.append((k, m, what, fn))
if series:
    color = {"kmem-dram": "#1f77b4", "kmem-range": "#2ca02c", "peer": "#d62728", "reference": "#7f7f7f"}
    g = [f"set terminal pngcairo noenhanced size {580 * len(plot_kernels)},620 font 'sans,10'",
         f"set output '{os.path.join(d, 'time-vs-size.png')}'",
         f"set multiplot layout 1,{len(plot_kernels)} title 'dax_kmem vs peer vs boot-time init, QEMU TCG, {machine.get('date')}'",
         "set logscale xy 2", "set xlabel 'size (GiB)'", "set ylabel 'seconds (median)'",
         "set grid", "set key below maxrows 4 font ',9'", f"set xtics ({', '.join(str(s) for s in sizes)})",
         "set format y '%g'", f"set xrange [{sizes[0] / 1.3}:{sizes[-1] * 1.3}]"]
    for k in plot_kernels:
        ps = []
        for (kk, m, what, fn) in series:
            if kk != k:
                continue
            dt = 1 if what == "add_online_s" else 2
            title = LABEL[m] + (": add+online" if what == "add_online_s" else ": remove")
            ps.append(f"'{fn}' using 1:2 with linespoints lw 2 pt 7 dt {dt} lc rgb '{color[m]}' title '{title}'")
        g.append(f"set title '{k}'")
        g.append("plot " + ", ".join(ps))
    g.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(g), text=True, capture_output=True)
    if r.returncode:
        print("gnuplot failed:", r.stderr, file=sys.stderr)
    for *_, fn in series:
        os.remove(fn)

print("Ratios (peer/dax_kmem dram, peer/dax_kmem range, dax_kmem dram/reference, dax_kmem range/reference, remove peer/dax_kmem):")
for r in ratio_rows:
    print(f"  {r[0]} {r[1]:>3} GiB: " + "  ".join((fmt(x, 2) + "x") if x is not None else "n/a" for x in r[2:]))
print("Targets:")
print("\n".join(out))
