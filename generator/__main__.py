"""``python -m generator``: the same command line as ``blueprint``."""

from generator.cli import main

main(prog_name="blueprint")
