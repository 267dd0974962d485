"""Imported by ``pressroom build``'s fork server, and nothing else: WeasyPrint is loaded (and
patched) there once, before the workers fork from it, so each worker starts with it in memory
(shared copy-on-write) instead of importing it again. No font is loaded here: each worker makes
its own font configuration after the fork.
"""

import contextlib

from converters.writers.pdf import _weasyprint

# A broken installation must not take the fork server down: each article that needs the PDF
# writer then reports the problem itself.
with contextlib.suppress(Exception):
    _weasyprint()
