"""``python -m generator.bench``."""

from generator.bench import main

raise SystemExit(main())
