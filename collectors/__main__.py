"""python -m collectors: the same as the ecotrends command."""

import sys

from collectors.cli import main

sys.exit(main())
