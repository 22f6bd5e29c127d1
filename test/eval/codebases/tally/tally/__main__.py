"""Entry point for ``python3 -m tally``."""

import sys

from tally.cli.main import main

sys.exit(main())
