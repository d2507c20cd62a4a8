"""``python -m smsc_wire.sandbox serve ...``: the ``serve`` subcommand without the main CLI."""

import sys

from ._cli import main

sys.exit(main())
