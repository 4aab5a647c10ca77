"""`python -m shared.operator …` runs the same command as the `cocoon` console script."""

import sys

from shared.operator.cli import main

sys.exit(main())
