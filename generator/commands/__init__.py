"""One module per command: the work behind each click command in :mod:`generator.cli`."""
