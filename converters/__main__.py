"""``python -m converters``: the same as the ``pressroom`` command."""

from converters.cli import main

raise SystemExit(main())
