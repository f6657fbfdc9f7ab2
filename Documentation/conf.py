# SPDX-License-Identifier: GPL-2.0
# make docs: sphinx-build -W over Documentation/ (HTML into build/docs/).
import os

project = "dax_kmem"
author = "dax_kmem developers"
with open(os.path.join(os.path.dirname(__file__), "..", "VERSION")) as f:
    version = release = f.read().strip()
root_doc = "index"
exclude_patterns = ["ABI", "devicetree"]
html_theme = "alabaster"
html_show_sourcelink = False
