"""``python -m smsc_wire``: the same as the ``smsc-wire`` console script."""

from ._cli import main

raise SystemExit(main())
