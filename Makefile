# SPDX-License-Identifier: GPL-2.0
#
# make            build dax_kmem.ko for every installed Debian amd64 kernel
# make KDIR=...   build against one headers tree only
# make deps       install what build, demo, lint and tests need (apt-get)
# make check      deps, build, host unit tests and every VM scenario
# make demo       deps, build, boot a QEMU board and show before/after
# make lint       checkpatch --strict, sparse and W=1 over the module

SHELL := /bin/bash
TOP := $(CURDIR)
KVERS = $(shell scripts/kernels.sh)

.PHONY: all modules deps check unit vm demo lint clean

all: modules

ifdef KDIR
modules:
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules
else
modules:
	@set -e; kvers="$(KVERS)"; \
	if [ -z "$$kvers" ]; then echo "no Debian amd64 kernel with headers; run 'make deps'"; exit 1; fi; \
	for v in $$kvers; do \
		out=$(TOP)/build/$$v; \
		rm -rf $$out/src.new; mkdir -p $$out/src.new; \
		cp -r Kbuild drivers include arch $$out/src.new/; \
		if ! diff -rq $$out/src.new $$out/src >/dev/null 2>&1; then \
			rm -rf $$out/src; mv $$out/src.new $$out/src; fi; \
		rm -rf $$out/src.new; \
		$(MAKE) -s -C /usr/src/linux-headers-$$v M=$$out/src W=1 $(if $(C),C=$(C)) modules; \
		cp $$out/src/dax_kmem.ko $$out/dax_kmem.ko; \
		echo "built build/$$v/dax_kmem.ko"; \
	done
endif

deps:
	scripts/deps.sh

unit:
	$(MAKE) -s -C tests/unit run

vm: modules
	tests/vm/run-all.sh

check: deps
	$(MAKE) modules
	tests/run-check.sh

demo: deps
	$(MAKE) modules
	tests/demo.sh

lint: deps
	scripts/lint.sh

clean:
	rm -rf build tests/unit/build
