"""``python -m graph`` runs the ``apg`` command."""

import sys

from .cli import main

sys.exit(main())
