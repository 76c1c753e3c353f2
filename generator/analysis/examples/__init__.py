"""Worked examples behind the write-ups: seeded, deterministic simulations that return plain dataclasses."""
