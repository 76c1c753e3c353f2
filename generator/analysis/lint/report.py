"""Review findings for people and tools: located diagnostics, JSON, and SARIF for code-scanning annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.analysis.lint.model import Finding, Located
from generator.analysis.lint.review import RULES
from generator.errors import Diagnostic, Location

__all__ = ["to_diagnostic", "to_json", "to_sarif"]


def to_diagnostic(finding: Finding, location: Location) -> Diagnostic:
    """A finding located in a file, as the CLI prints it."""
    return Diagnostic(location, finding.message, finding.severity, finding.code, finding.hint)


def to_json(findings: Sequence[Located]) -> str:
    """Located findings as JSON text, for tools.

    Args:
        findings: ``(finding, file, line, column)`` tuples, in the order to list them.

    Returns:
        A JSON document: ``{"findings": [...], "counts": {"error": n, "warning": n, "note": n}}``.
    """
    items = [
        {
            "code": f.code,
            "severity": f.severity,
            "title": RULES[f.code].title if f.code in RULES else "",
            "message": f.message,
            "hint": f.hint,
            "file": file,
            "line": line,
            "column": column,
            "path": list(f.path),
        }
        for f, file, line, column in findings
    ]
    counts = {level: sum(1 for f, *_ in findings if f.severity == level) for level in ("error", "warning", "note")}
    return json.dumps({"findings": items, "counts": counts}, indent=2, ensure_ascii=False) + "\n"


def to_sarif(
    findings: Sequence[Located],
    *,
    tool_version: str = "0.1.0",
    information_uri: str = "",
) -> str:
    """Located findings as a SARIF 2.1.0 log, for code-scanning tools.

    Args:
        findings: ``(finding, file, line, column)`` tuples; files are given relative to the repository root.
        tool_version: The blueprint version to record.
        information_uri: Where the tool is documented, if anywhere.

    Returns:
        The SARIF log as JSON text, with every rule under ``runs[0].tool.driver.rules``.
    """
    order = list(RULES)
    driver: dict[str, Any] = {
        "name": "blueprint",
        "version": tool_version,
        "rules": [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.title},
                "fullDescription": {"text": rule.explanation},
                "defaultConfiguration": {"level": rule.severity},
                "help": {"text": rule.explanation},
            }
            for rule in RULES.values()
        ],
    }
    if information_uri:
        driver["informationUri"] = information_uri
    results = []
    for f, file, line, column in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": f.severity,
            "message": {"text": f"{f.message} ({f.hint})" if f.hint else f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": file.replace("\\", "/")},
                        "region": {"startLine": max(1, line), "startColumn": max(1, column)},
                    }
                }
            ],
        }
        if f.code in RULES:
            result["ruleIndex"] = order.index(f.code)
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
