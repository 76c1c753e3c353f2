"""Design review rules, as an interviewer would apply them: stable codes, severities, located findings.

Each rule is a small function registered in :data:`RULES` under a stable code (``BP1xx``). :func:`lint`
runs them on a validated :class:`~generator.frontend.model.Design` and returns :class:`Finding` objects whose
``path`` is the key path into the YAML document (``("components", 3)``, ``("flows", 0, "steps", 2)``), for the
caller to turn into ``file:line:col`` with the source map.

A finding is silenced by ``suppress: {CODE: reason}`` on the component it is about, or on the whole design.
The reason is required: a suppression without one is itself a finding (BP100) and silences nothing.
"""

from __future__ import annotations

from generator.analysis.lint.model import Finding, KeyPath, Located, Rule, UnknownRuleError, format_path
from generator.analysis.lint.pictures import PICTURE_CODES
from generator.analysis.lint.report import to_diagnostic, to_json, to_sarif
from generator.analysis.lint.review import RULES, explain, lint

__all__ = [
    "PICTURE_CODES",
    "RULES",
    "Finding",
    "KeyPath",
    "Located",
    "Rule",
    "UnknownRuleError",
    "explain",
    "format_path",
    "lint",
    "to_diagnostic",
    "to_json",
    "to_sarif",
]
