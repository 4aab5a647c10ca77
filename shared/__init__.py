"""Code every Cocoon'Age service uses: config, database, event contracts, outbox, inbox, logging.

Importing it first silences two known, harmless notices: eventlet 0.41's deprecation banner
(nameko 2.14 needs eventlet; docs/stack.md) and pkg_resources' (imported by nameko's CLI), so
every process, the gateway included, logs clean JSON lines.
"""

import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
warnings.filterwarnings("ignore", message=r"pkg_resources is deprecated")

from shared import i18n  # noqa: F401  (French validation messages before any schema is defined)
