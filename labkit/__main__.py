"""``python -m labkit``: the same as the ``labkit`` command."""

import sys

from .tools.cli import main

sys.exit(main())
