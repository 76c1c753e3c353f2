"""Practice mode: exercises generated from a design (its practice page) and the grader of a learner's design."""

from __future__ import annotations

from generator.practice.sheet import practice_context, shuffled

__all__ = ["practice_context", "shuffled"]
