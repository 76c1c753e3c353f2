"""Exports: a design's views written for other diagram tools (D2 for now), from the plan's IR, before layout."""
