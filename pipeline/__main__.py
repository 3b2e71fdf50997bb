"""`python -m pipeline` is the `vnextract` command."""

import sys

from pipeline.cli import main

sys.exit(main())
