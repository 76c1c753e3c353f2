"""Analysis: the design review (lint), estimates and units, availability and latency, worked examples."""
