"""The review itself: every rule run on a design, suppressions applied (with their own rules), and ``--explain``."""

from __future__ import annotations

import difflib
import textwrap
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from generator.analysis.lint.architecture import ARCHITECTURE_RULES
from generator.analysis.lint.charts import CHART_RULES
from generator.analysis.lint.model import Context, Finding, Hit, KeyPath, Rule, UnknownRuleError, context_of, rule
from generator.analysis.lint.pictures import PICTURE_CODES, PICTURE_RULES
from generator.analysis.lint.prose import PROSE_RULES
from generator.frontend.model import Design

__all__ = ["RULES", "explain", "lint"]


def no_check(ctx: Context) -> Iterator[Hit]:
    """Rules about suppressions are applied by :func:`lint` itself."""
    yield from ()


_SUPPRESS_WITHOUT_REASON = rule(
    "BP100",
    "warning",
    "Suppression without a reason",
    """
    A suppression says "I know, and here is why". Without the why, the next reader cannot tell a considered
    trade-off from a silenced alarm, so a suppression with an empty reason silences nothing and is reported
    itself. Write the reason as the value: `suppress: {BP110: "managed, multi-AZ"}`. This rule cannot be
    suppressed.
    """,
)(no_check)

_UNKNOWN_SUPPRESSION = rule(
    "BP101",
    "warning",
    "Suppression of an unknown rule",
    """
    The code under `suppress` names no rule, most likely a typo, so it silences nothing. `blueprint lint
    --explain CODE` lists what each code means. This rule cannot be suppressed.
    """,
)(no_check)

_UNUSED_SUPPRESSION = rule(
    "BP102",
    "note",
    "Suppression that matches nothing",
    """
    The rule no longer fires where this suppression applies: the design changed and the reason is now stale.
    Remove the suppression so that the rule can catch the problem if it comes back. This rule cannot be
    suppressed.
    """,
)(no_check)


RULES: Mapping[str, Rule] = MappingProxyType(
    {
        each.code: each
        for each in (
            _SUPPRESS_WITHOUT_REASON,
            _UNKNOWN_SUPPRESSION,
            _UNUSED_SUPPRESSION,
            *ARCHITECTURE_RULES,
            *CHART_RULES,
            *PROSE_RULES,
            *PICTURE_RULES,
        )
    }
)
"""Every rule by code, in code order."""

_META = frozenset({"BP100", "BP101", "BP102"})


def explain(code: str) -> str:
    """The explanation of a rule, as ``blueprint lint --explain`` prints it.

    Raises:
        UnknownRuleError: No rule has this code.

    >>> print(explain("bp118").splitlines()[0])
    BP118 (warning): Cache without expiry or invalidation
    """
    rule = RULES.get(code.strip().upper())
    if rule is None:
        close = _closest_code(code)
        hint = f"did you mean {close}? " if close else ""
        raise UnknownRuleError(f"no rule {code!r}; {hint}the rules are {', '.join(RULES)}")
    body = textwrap.fill(rule.explanation, width=100)
    how = (
        "It cannot be suppressed."
        if rule.code in _META
        else f'Suppress it with `suppress: {{{rule.code}: "the reason"}}` on the component or the design.'
    )
    return f"{rule.code} ({rule.severity}): {rule.title}\n\n{body}\n\n{how}\n"


def _closest_code(code: str) -> str | None:
    """The rule code a mistyped one most likely means (a letter O or I typed for a digit first).

    >>> _closest_code("bp11o"), _closest_code("BP-118"), _closest_code("zzz")
    ('BP110', 'BP118', None)
    """
    typed = code.strip().upper()
    digits = typed[:2] + typed[2:].replace("O", "0").replace("I", "1").replace("L", "1")
    if digits in RULES:
        return digits
    close = difflib.get_close_matches(typed, list(RULES), n=1)
    return close[0] if close else None


@dataclass(frozen=True)
class _Suppression:
    path: KeyPath
    code: str
    component: str | None


def _suppressions(design: Design, emit: Callable[[str, KeyPath, str, str], None]) -> list[_Suppression]:
    """The suppressions that take effect; the others are reported through ``emit``."""
    found: list[tuple[KeyPath, str, str, str | None]] = [
        (("suppress", code), code, reason, None) for code, reason in design.suppress.items()
    ]
    found += [
        (("components", i, "suppress", code), code, reason, comp.id)
        for i, comp in enumerate(design.components)
        for code, reason in comp.suppress.items()
    ]
    active: list[_Suppression] = []
    for path, code, reason, component in found:
        where = f"'{component}'" if component else "the design"
        if code not in RULES:
            close = _closest_code(code)
            hint = f"did you mean {close}?" if close else f"the rules are {', '.join(RULES)}"
            emit("BP101", path, f"{where} suppresses {code!r}, which is no rule", hint)
        elif not reason.strip():
            emit(
                "BP100",
                path,
                f"{where} suppresses {code} without a reason",
                f'write why: {code}: "because ..."',
            )
        elif code not in _META:
            active.append(_Suppression(path, code, component))
    return active


def lint(design: Design, *, ignore: Collection[str] = ()) -> list[Finding]:
    """Review a design against every rule.

    Args:
        design: A validated design.
        ignore: Rule codes not to run (the suppression rules BP100-BP102 always run).

    Returns:
        The findings that are not suppressed, sorted by key path, then code.
    """
    ctx = context_of(design)
    findings: list[Finding] = []

    def emit(code: str, path: KeyPath, message: str, hint: str) -> None:
        findings.append(Finding(code, RULES[code].severity, path, message, hint))

    active = _suppressions(design, emit)
    used: set[_Suppression] = set()
    for each in RULES.values():
        if each.check is None or each.code in ignore:
            continue
        for hit in each.check(ctx):
            matches = [
                s for s in active if s.code == each.code and (s.component is None or s.component in hit.subjects)
            ]
            used.update(matches)
            if not matches:
                emit(each.code, hit.path, hit.message, hit.hint)
    for sup in active:
        # A picture rule fires on the drawing (``lint --pictures``), so its suppression is never "unused" here.
        if sup not in used and sup.code not in ignore and sup.code not in PICTURE_CODES:
            where = f"'{sup.component}'" if sup.component else "the design"
            emit("BP102", sup.path, f"{sup.code} is suppressed on {where} but does not fire there", "remove it")
    return sorted(findings, key=_order)


def _order(finding: Finding) -> tuple[Any, ...]:
    return (tuple((isinstance(p, str), p) for p in finding.path), finding.code, finding.message)
