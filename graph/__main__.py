"""``python -m graph`` runs the ``apg`` command."""

from .cli import run

run()
