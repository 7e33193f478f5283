"""``python -m duibiao_tui`` does what the ``duibiao-tui`` command does."""

from duibiao_tui.launch import main

main()
