"""``python -m smsc_wire``: the same as the ``smsc-wire`` console script."""

from smsc_wire._tools.cli import main

raise SystemExit(main())
