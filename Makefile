# SPDX-License-Identifier: GPL-2.0
#
# make            build dax_kmem.ko for every installed Debian amd64 kernel,
#                 every arm64 kernel `make deps` unpacked, and Debian's
#                 newest 7.x (amd64, arm64, arm64-16k) in its Debian 13 root
# make KDIR=...   build against one headers tree only (into build/KVER/)
# make install    build and install for the running kernel (KDIR= for
#                 another; INSTALL_MOD_PATH= for a staging root), depmod
# make deb        the Debian package dax-kmem-dkms (build/deb/*.deb)
# make docs       the admin guide (HTML, build/docs/) and man pages
# make check-system  only the real-system test of make check: a Debian 12
#                 image per kernel under QEMU: install the .deb, reboot,
#                 memory online with nothing typed, purge
# make deps       install what build, demo, lint and tests need (apt-get)
# make check      deps, build, host unit tests, docs and the guide's kernel
#                 messages, make deb, make install and DKMS builds (private
#                 trees), every VM scenario and the real-system test
# make demo       deps, build, boot a QEMU board and show before/after
# make fuzz       deps, then libFuzzer over every pure-C parser (tests/fuzz/),
#                 FUZZ_SECONDS (60) each; make check runs 10 s of each
# make lint       checkpatch --strict, sparse and W=1 over the module,
#                 dt-schema (binding, its examples, dts/), shellcheck, yamllint
# make debug-kernel  build Debian's linux-source-6.12 with KASAN, lockdep,
#                 kmemleak (tests/debug/debug.config) under /var/cache
# make check-debug   every x86 VM scenario on that kernel, failing on any
#                 kernel report

SHELL := /bin/bash
TOP := $(CURDIR)
KVERS = $(shell scripts/kernels.sh)

.PHONY: all modules install deb deps check unit vm demo lint clean

all: modules

# arm64: Debian's arm64 kernels unpacked by scripts/arm64-root.sh, cross-built.
ARM64_ROOT = $(or $(DAX_KMEM_ARM64_CACHE),/var/cache/dax_kmem/arm64)/root
ARM64_KVERS = $(shell scripts/kernels-arm64.sh)
ARM64_MAKEFLAGS = ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-

# 7.x: Debian's newest kernels, built inside the Debian 13 build root of
# scripts/trixie-root.sh (their kbuild tools need its C library and gcc-14).
TRIXIE_AMD64_KVERS = $(shell scripts/kernels-trixie.sh amd64)
TRIXIE_ARM64_KVERS = $(shell scripts/kernels-trixie.sh arm64)

# Shell function build OUT KDIR [MAKE ARGS]: build/OUT/dax_kmem.ko against
# KDIR. Each kernel builds a copy of the sources in its own directory,
# refreshed only when they changed (compared with a pristine copy,
# src.ref, as src also holds the objects), so kernels never share objects
# and rebuilds stay incremental. Recipes that use it start with "+": make
# cannot see the $(MAKE) inside (make -n, the jobserver). With mk set, the
# build runs through that command instead of $(MAKE) (scripts/trixie-make.sh).
BUILD_FN = build() { \
		out=$(TOP)/build/$$1; kdir=$$2; shift 2; \
		rm -rf $$out/src.new; mkdir -p $$out/src.new; \
		cp -r Kbuild VERSION drivers include arch $$out/src.new/; \
		if ! diff -rq $$out/src.new $$out/src.ref >/dev/null 2>&1; then \
			rm -rf $$out/src $$out/src.ref; cp -r $$out/src.new $$out/src; \
			mv $$out/src.new $$out/src.ref; fi; \
		rm -rf $$out/src.new; \
		$${mk:-$(MAKE)} -s -C $$kdir M=$$out/src W=1 $(if $(C),C=$(C)) "$$@" modules; \
		cp $$out/src/dax_kmem.ko $$out/dax_kmem.ko; \
		echo "built build/$${out\#$(TOP)/build/}/dax_kmem.ko"; \
	};

# Test-only modules (tests/vm/modules/), never installed or packaged:
# build/KVER/test-modules/ for each amd64 kernel the scenarios boot.
TEST_MODULES_FN = tbuild() { \
		out=$(TOP)/build/$$1/test-modules; \
		mkdir -p $$out; cp tests/vm/modules/Kbuild tests/vm/modules/*.c $$out/; \
		$${mk:-$(MAKE)} -s -C $$2 M=$$out W=1 modules; \
		echo "built build/$$1/test-modules"; \
	};

# The release a headers tree was built for, as modules_install names it
# (Debian's 6.1 headers say 6.1.NNN in kernel.release, not their ABI).
kernelrelease = $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(1)/include/generated/utsrelease.h 2>/dev/null)

.PHONY: test-modules
test-modules:
	+@set -e; $(TEST_MODULES_FN) \
	for v in $(KVERS); do tbuild $$v /usr/src/linux-headers-$$v; done; \
	for v in $(TRIXIE_AMD64_KVERS); do \
		mk=$(TOP)/scripts/trixie-make.sh tbuild $$v /usr/src/linux-headers-$$v; \
	done

ifdef KDIR
modules:
	+@set -e; $(BUILD_FN) build $(call kernelrelease,$(KDIR)) $(KDIR)
else
modules:
	+@set -e; kvers="$(KVERS)"; \
	if [ -z "$$kvers" ]; then echo "no Debian amd64 kernel with headers; run 'make deps'"; exit 1; fi; \
	$(BUILD_FN) \
	for v in $$kvers; do build $$v /usr/src/linux-headers-$$v; done; \
	arm64="$(ARM64_KVERS)"; \
	if [ -z "$$arm64" ]; then echo "no arm64 kernel root in $(ARM64_ROOT): arm64 skipped (run 'make deps')"; fi; \
	for v in $$arm64; do \
		build arm64/$$v $(ARM64_ROOT)/usr/src/linux-headers-$$v $(ARM64_MAKEFLAGS); \
	done; \
	t64="$(TRIXIE_AMD64_KVERS)" ta64="$(TRIXIE_ARM64_KVERS)"; \
	if [ -z "$$t64$$ta64" ]; then echo "no 7.x build root: 7.x skipped (run 'make deps')"; fi; \
	for v in $$t64; do \
		mk=$(TOP)/scripts/trixie-make.sh build $$v /usr/src/linux-headers-$$v; \
	done; \
	for v in $$ta64; do \
		mk=$(TOP)/scripts/trixie-make.sh build arm64/$$v /usr/src/linux-headers-$$v $(ARM64_MAKEFLAGS); \
	done
endif

# One directory for every kernel, the same that tests/vm/boot.sh uses;
# DKMS (the Debian package) installs into updates/dkms instead, which
# depmod prefers: use one or the other. Unsigned: under Secure Boot use
# the package, whose DKMS signs with the machine's MOK (admin guide).
INSTALL_MOD_DIR = extra
INSTALL_KDIR = $(or $(KDIR),/lib/modules/$(shell uname -r)/build)
INSTALL_KVER = $(call kernelrelease,$(INSTALL_KDIR))
install:
	+@set -e; kver="$(INSTALL_KVER)"; \
	if [ -z "$$kver" ]; then echo "install: no kernel headers at $(INSTALL_KDIR) (KDIR=)"; exit 1; fi; \
	$(BUILD_FN) build $$kver $(INSTALL_KDIR); \
	$(MAKE) -s -C $(INSTALL_KDIR) M=$(TOP)/build/$$kver/src \
		INSTALL_MOD_DIR=$(INSTALL_MOD_DIR) CONFIG_MODULE_SIG_ALL= modules_install; \
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $$kver; \
	echo "installed $(INSTALL_MOD_PATH)/lib/modules/$$kver/$(INSTALL_MOD_DIR)/dax_kmem.ko, depmod done"

deb:
	scripts/make-deb.sh

# The real-system test (tests/system/): a cached Debian 12 image boots
# under QEMU, installs the .deb, reboots, purges; make check runs it too.
.PHONY: check-system
check-system: deps deb
	for kver in $$(scripts/kernels.sh); do echo "system $$kver"; done | \
		tests/vm/run-jobs.sh build/vm | tests/tap-summary.sh

.PHONY: docs
docs:
	scripts/make-docs.sh

deps:
	scripts/deps.sh

unit: deps
	$(MAKE) -s -C tests/unit run

# TAP, one line per harness: executions, coverage, crashes (tests/fuzz/run.sh).
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz: deps
	set -o pipefail; tests/fuzz/run.sh $(FUZZ_SECONDS) | tests/tap-summary.sh

vm: modules
	tests/run-check.sh

# make demo and make check say one line per step; the tools' output goes
# to build/logs/ (scripts/step.sh).
STEP = scripts/step.sh
# Each kernel's build of the module in parallel over the CPUs: in a clean
# clone, make check's build of 7 kernels took 150 s at -j1.
JOBS = -j$(shell nproc)

check:
	@$(STEP) "make deps: what build and tests need" build/logs/deps.log scripts/deps.sh
	@$(STEP) "building dax_kmem.ko for every kernel" build/logs/build.log $(MAKE) $(JOBS) modules
	@$(STEP) "building the test modules for every amd64 kernel" build/logs/test-modules.log $(MAKE) $(JOBS) test-modules
	tests/run-check.sh

demo:
	@$(STEP) "make deps: what the demo needs" build/logs/deps.log scripts/deps.sh
	@$(STEP) "building dax_kmem.ko for every kernel" build/logs/build.log $(MAKE) $(JOBS) modules
	@tests/demo.sh

lint: deps
	scripts/lint.sh

# make bench: dax_kmem vs the daxctl path vs boot-time init (tests/bench/).
# BENCH_ARGS: e.g. --sizes "1 4 16" --rounds 3 --runs 2 (tests/bench/run.sh)
.PHONY: bench
bench: deps
	$(MAKE) modules
	tests/bench/run.sh $(BENCH_ARGS)

# make bench-scale: 256 GiB, 2 GiB blocks, 64 ranges on 8 nodes, and the
# cost model (tests/bench/scale.sh). SCALE_ARGS: e.g. --online "default offline"
.PHONY: bench-scale
bench-scale: deps
	$(MAKE) modules
	tests/bench/scale.sh $(SCALE_ARGS)

# The debug kernel (scripts/debug-kernel.sh) and the module built against
# its tree, the same way as for Debian's kernels: build/debug/KVER/.
DEBUG_CACHE = $(or $(DAX_KMEM_DEBUG_CACHE),/var/cache/dax_kmem/debug)
.PHONY: debug-kernel debug-module check-debug
debug-kernel:
	scripts/debug-kernel.sh

debug-module: debug-kernel
	+@set -e; $(BUILD_FN) \
	build debug/$$(cat $(DEBUG_CACHE)/kernelrelease) $(DEBUG_CACHE)/linux-source-6.12
	+@set -e; out=$(TOP)/build/debug/$$(cat $(DEBUG_CACHE)/kernelrelease)/test-modules; \
	mkdir -p $$out; cp tests/debug/modules/*.c tests/vm/modules/*.c $$out/; \
	cat tests/debug/modules/Kbuild tests/vm/modules/Kbuild > $$out/Kbuild; \
	$(MAKE) -s -C $(DEBUG_CACHE)/linux-source-6.12 M=$$out W=1 modules; \
	echo "built $${out#$(TOP)/}/*.ko"

# Not part of make check: about 25 minutes of TCG under KASAN and lockdep.
check-debug: deps
	$(MAKE) debug-module
	tests/run-check-debug.sh

.PHONY: distclean
clean:
	rm -rf build tests/unit/build
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf .cache
