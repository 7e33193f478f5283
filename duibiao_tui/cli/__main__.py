"""``python -m duibiao_tui.cli`` runs the command line, as ``python -m duibiao_tui`` does."""

from duibiao_tui.cli import main

main()
