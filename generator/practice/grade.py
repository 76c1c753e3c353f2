"""Grades a learner's design against a reference: a rubric of roles, flows, resilience, estimates, requirements.

Everything is matched by meaning, never by ids: components by the roles their kinds and words say they play
(:mod:`generator.practice.roles`), flows by their words and the roles they reach, estimates by their keys, and
requirements by their content words. Each finding carries the key path into the learner's file it is about, so
the command line can print it as ``path:line:col``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from generator.analysis.estimates import KNOWN_KEYS, EstimateReport, canonical_key, estimate
from generator.analysis.lint import lint
from generator.analysis.lint.model import KeyPath
from generator.analysis.units import UnitError, counted, format_count, parse_quantity, split_rate
from generator.frontend.model import RUBRIC_AREAS, Design, Flow, iter_messages
from generator.frontend.vocabulary import kind_info
from generator.practice.roles import ROLE_OF_KIND, roles_of, words

__all__ = ["Area", "Grade", "Remark", "grade", "spof_ids"]


@dataclass(frozen=True)
class Remark:
    """One thing the grader says: its area, where in the learner's file, what, and what to do.

    ``extra`` marks what the learner did that the reference did not: reported, not scored.
    """

    area: str
    path: KeyPath
    message: str
    hint: str = ""
    extra: bool = False


@dataclass(frozen=True)
class Area:
    """One rubric area's score: how many of its checks passed, out of how many, and its weight."""

    name: str
    passed: int
    total: int
    weight: float

    @property
    def score(self) -> int:
        """Out of 100 (an area with nothing to check scores 100)."""
        return 100 if self.total == 0 else round(100 * self.passed / self.total)


@dataclass(frozen=True)
class Grade:
    """The whole grade: areas in rubric order, remarks in area order, and the weighted total out of 100."""

    learner: str
    reference: str
    areas: tuple[Area, ...]
    remarks: tuple[Remark, ...] = field(default=())

    @property
    def total(self) -> int:
        """The weighted mean of the areas' scores, out of 100."""
        weight = sum(a.weight for a in self.areas)
        return 0 if weight == 0 else round(sum(a.score * a.weight for a in self.areas) / weight)


def _comp_roles(design: Design) -> dict[str, set[str]]:
    return {c.id: roles_of(c) for c in design.components}


def _on_flows(design: Design) -> set[str]:
    return {end for f in design.flows for m in iter_messages(f.steps) for end in (m.from_, m.to)}


def _required(reference: Design) -> set[str]:
    if reference.rubric.must_have is not None:
        return {ROLE_OF_KIND[str(k)] for k in reference.rubric.must_have if str(k) in ROLE_OF_KIND}
    used = _on_flows(reference)
    roles = _comp_roles(reference)
    return {r for c in reference.components if c.id in used for r in roles[c.id]} - {"monitoring"}


def _flow_roles(flow: Flow, roles: dict[str, set[str]]) -> set[str]:
    return {r for m in iter_messages(flow.steps) for end in (m.from_, m.to) for r in roles.get(end, set())}


def _flow_words(flow: Flow) -> set[str]:
    first = next(iter(iter_messages(flow.steps)), None)
    return words(f"{flow.id.replace('-', ' ')} {flow.title} {first.label if first else ''}")


def _roles_area(learner: Design, reference: Design, required: set[str], out: list[Remark]) -> Area:
    mine = {r for rs in _comp_roles(learner).values() for r in rs}
    ref_roles = _comp_roles(reference)
    missing = sorted(required - mine)
    for role in missing:
        examples = [c.title for c in reference.components if role in ref_roles[c.id]]
        out.append(
            Remark(
                "roles",
                ("components",),
                f"no component plays the {role}'s part (the reference has {', '.join(repr(e) for e in examples[:2])})",
                f"add a component of kind {_kinds_for(role)}",
            )
        )
    theirs = {r for rs in ref_roles.values() for r in rs}
    for index, comp in enumerate(learner.components):
        new = sorted(roles_of(comp) - theirs)
        if new and comp.id in _on_flows(learner):
            out.append(
                Remark(
                    "roles",
                    ("components", index),
                    f"'{comp.id}' plays a part the reference has no component for ({', '.join(new)})",
                    "not wrong in itself: say what it buys",
                    extra=True,
                )
            )
    return Area("roles", len(required) - len(missing), len(required), 1.0)


def _article(word: str) -> str:
    """``a`` or ``an`` before a word.

    >>> _article("id generator"), _article("cache")
    ('an', 'a')
    """
    return "an" if word[:1] in "aeio" else "a"


def _kinds_for(role: str) -> str:
    return " or ".join(k for k, r in ROLE_OF_KIND.items() if r == role)


def _flows_area(learner: Design, reference: Design, required: set[str], out: list[Remark]) -> Area:
    mine, theirs = _comp_roles(learner), _comp_roles(reference)
    passed = total = 0
    claimed: set[str] = set()
    for ref_flow in reference.flows:
        if not ref_flow.overview or not ref_flow.availability:
            continue  # a protocol drawn on its own, or a procedure: not a path every answer needs
        needed = _flow_roles(ref_flow, theirs) & required
        if not needed:
            continue
        total += len(needed)
        best, best_score = None, 0.0
        for index, flow in enumerate(learner.flows):
            score = len(_flow_words(flow) & _flow_words(ref_flow)) + 0.1 * len(_flow_roles(flow, mine) & needed)
            score -= 0.5 if flow.id in claimed else 0
            if score > best_score:
                best, best_score = index, score
        if best is None or best_score < 1:
            out.append(
                Remark(
                    "flows",
                    ("flows",),
                    f"no flow does what the reference's '{ref_flow.name}' does",
                    f"add a flow through {', '.join(sorted(needed))}",
                )
            )
            continue
        flow = learner.flows[best]
        claimed.add(flow.id)
        reached = _flow_roles(flow, mine) & needed
        passed += len(reached)
        for role in sorted(needed - reached):
            out.append(
                Remark(
                    "flows",
                    ("flows", best, "id"),
                    f"flow '{flow.id}' never reaches {_article(role)} {role}, "
                    f"which the reference's '{ref_flow.name}' goes through",
                    f"add a step to a component of kind {_kinds_for(role)}",
                )
            )
    for index, flow in enumerate(learner.flows):
        if flow.id not in claimed:
            message = f"flow '{flow.id}' has no counterpart in the reference"
            out.append(Remark("flows", ("flows", index, "id"), message, "fine if it serves a requirement", True))
    return Area("flows", passed, total, 1.0)


def spof_ids(design: Design) -> set[str]:
    """Components the review calls single points of failure (BP110, BP111), suppressions ignored."""
    bare = design.model_copy(
        update={"suppress": {}, "components": [c.model_copy(update={"suppress": {}}) for c in design.components]}
    )
    out = set()
    for finding in lint(bare):
        if finding.code in ("BP110", "BP111") and finding.path[:1] == ("components",) and len(finding.path) == 2:
            out.add(design.components[int(finding.path[1])].id)
    return out


def _resilience_area(learner: Design, reference: Design, out: list[Remark]) -> Area:
    theirs = _comp_roles(reference)
    ref_spof_roles = {r for c in spof_ids(reference) for r in theirs[c]}
    mine = spof_ids(learner)
    used = _on_flows(learner)
    candidates = [c for c in learner.components if c.id in used and "spof" in kind_info(c.kind).roles]
    introduced = 0
    for index, comp in enumerate(learner.components):
        if comp.id not in mine:
            continue
        if roles_of(comp) & ref_spof_roles:
            continue  # the reference takes the same risk there
        introduced += 1
        out.append(
            Remark(
                "resilience",
                ("components", index),
                f"'{comp.id}' ({comp.kind.value}) is a single point of failure the reference does not have: "
                "one instance, no standby",
                "set replicas: 2 or more, or standby: true",
            )
        )
    return Area("resilience", max(0, len(candidates) - introduced), len(candidates), 1.0)


_FIGURE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("media", "storage"), "media_storage"),
    (("storage",), "storage"),
    (("bandwidth", "in"), "bandwidth_in"),
    (("bandwidth", "out"), "bandwidth_out"),
    (("cache",), "cache_memory"),
    (("peak", "write"), "peak_write_rate"),
    (("peak", "read"), "peak_read_rate"),
    (("write",), "write_rate"),
    (("read",), "read_rate"),
    (("record",), "records"),
)


def _figure_key(key: str) -> str | None:
    parts = set(key.lower().replace("-", "_").split("_")) | {p.rstrip("s") for p in key.lower().split("_")}
    return next((target for needed, target in _FIGURE_WORDS if all(w in parts for w in needed)), None)


def _value_of(raw: object, unit: str) -> float | None:
    try:
        if unit in ("B", "B/s"):
            return parse_quantity(str(raw).replace("/s", "").strip(), expect="bytes")
        if unit == "/s":
            count, period = split_rate(raw if isinstance(raw, int | float) else str(raw), per=1)
            return count / period
        return parse_quantity(raw if isinstance(raw, int | float) else str(raw), expect="count")
    except (UnitError, ValueError, OverflowError):
        return None


def _off(mine: float, right: float, tolerance: float) -> float | None:
    """How many times off ``mine`` is (None when within the tolerance factor)."""
    if right == 0 or mine <= 0:
        return None if mine == right else math.inf
    ratio = mine / right
    return None if 1 / tolerance <= ratio <= tolerance else ratio


def _estimates_area(learner: Design, reference: Design, out: list[Remark]) -> Area:
    """Inputs against the reference's, then the figures: a figure that is off only because an input is (it would
    be right from the reference's input, with the learner's method) is not a second mistake. It is named under
    the input it follows from, as an examiner carries an error forward, and not scored again."""
    if not reference.estimates:
        return Area("estimates", 0, 0, 1.0)
    ref = estimate(reference.estimates)
    if not learner.estimates:
        out.append(
            Remark("estimates", (), "the design gives no estimates", "add an estimates: section (see the README)")
        )
        return Area("estimates", 0, max(1, len(ref.rows)), 1.0)
    mine: EstimateReport = estimate(learner.estimates)
    rubric = reference.rubric
    given_as = {canonical_key(k): v for k, v in reference.estimates.items()}
    checked = passed = 0
    wrong: list[tuple[str, Remark]] = []  # each input off, and what is said about it
    for written, raw in learner.estimates.items():  # the inputs both give
        key = canonical_key(written)
        if key not in ref or key not in mine or not any(r.key == key for r in mine.inputs):
            continue
        right, given = ref.row(key), mine.row(key)
        checked += 1
        off = _off(given.value, right.value, rubric.tolerances.get(key, rubric.tolerance))
        if off is None:
            passed += 1
            continue
        wrong.append((written, _estimate_remark(written, f"{written} is {raw}", off, right.pretty, right.formula)))
    # The learner's estimates with every wrong input set right: what their method gives from the right inputs.
    right_inputs = {w: given_as[canonical_key(w)] for w, _ in wrong if canonical_key(w) in given_as}
    mended = estimate({**learner.estimates, **right_inputs}) if right_inputs else mine
    carried: list[str] = []
    figures: list[Remark] = []
    for row in ref.rows:  # the figures, computed from the learner's inputs or written by hand
        tolerance = rubric.tolerances.get(row.key, rubric.tolerance)
        handwritten = [
            (k, v)
            for k, v in learner.estimates.items()
            if canonical_key(k) not in KNOWN_KEYS and _figure_key(k) == row.key
        ]
        if handwritten:
            written, raw = handwritten[0]
            value = _value_of(raw, row.unit)
            # Worked out right from the learner's own inputs, the figure would move with them when mended.
            own = mine.row(row.key).value if row.key in mine and value is not None else None
            follows = own is not None and value is not None and _off(value, own, tolerance) is None
            fixed = None
            if value is not None and own and row.key in mended:  # moved as the figure from its inputs moves
                fixed = value * mended.row(row.key).value / own
        elif row.key in mine and not any(r.key == row.key for r in mine.inputs):
            written, raw, value = "", mine.row(row.key).pretty, mine.row(row.key).value
            follows, fixed = True, mended.row(row.key).value if row.key in mended else None
        else:
            continue
        off = None if value is None else _off(value, row.value, tolerance)
        if value is not None and off is None:
            checked += 1
            passed += 1
            continue
        if wrong and follows and fixed is not None and _off(fixed, row.value, tolerance) is None:
            carried.append(written or row.name)
            continue
        checked += 1
        what = f"{written} is {raw}" if written else f"the figure for {row.name} comes to {raw}"
        figures.append(_estimate_remark(written, what, off, row.pretty, row.formula, unreadable=value is None))
    for n, (_, remark) in enumerate(wrong, 1):
        if carried and n == len(wrong):  # said once, under the last wrong input
            cause = "it" if len(wrong) == 1 else "the inputs above"
            follow = f"{counted(len(carried), 'figure')} worked out from the inputs are off only because of {cause}"
            remark = Remark(remark.area, remark.path, remark.message, f"{remark.hint}; {follow}: {', '.join(carried)}")
        out.append(remark)
    out.extend(figures)
    return Area("estimates", passed, checked, 1.0)


def _estimate_remark(
    written: str, what: str, off: float | None, right: str, formula: str, *, unreadable: bool = False
) -> Remark:
    if unreadable:
        how = "cannot be read as a figure"
    elif off is not None and math.isfinite(off):
        how = f"{format_count(off)}× too high" if off > 1 else f"{format_count(1 / off)}× too low"
    else:
        how = "off"
    path: KeyPath = ("estimates", written) if written else ("estimates",)
    return Remark("estimates", path, f"{what}: {how}; the reference has {right}", f"{right} = {formula}")


def _requirements_area(learner: Design, reference: Design, out: list[Remark]) -> Area:
    evidence = [words(t) for t in (*learner.requirements.functional, *learner.requirements.non_functional)]
    evidence += [words(f"{e.summary} {e.path}") for e in learner.api]
    wanted = [*reference.requirements.functional, *reference.requirements.non_functional]
    passed = 0
    for text in wanted:
        need = words(text)
        best = max((len(need & have) for have in evidence), default=0)
        if need and (best >= 3 or best * 2 >= len(need)):
            passed += 1
            continue
        out.append(
            Remark(
                "requirements",
                ("requirements",) if learner.requirements.functional or learner.requirements.non_functional else (),
                f'nothing in the design states the reference\'s requirement "{text}"',
                "add it to requirements: (or say why it is out of scope)",
            )
        )
    return Area("requirements", passed, len(wanted), 1.0)


def grade(learner: Design, reference: Design, *, learner_name: str = "", reference_name: str = "") -> Grade:
    """Grade a learner's design against a reference design, as the reference's ``rubric:`` says.

    Args:
        learner: The learner's validated design.
        reference: The reference's validated design.
        learner_name: The learner's file, for the report.
        reference_name: The reference's file or id, for the report.
    """
    remarks: list[Remark] = []
    required = _required(reference)
    areas = [
        _roles_area(learner, reference, required, remarks),
        _flows_area(learner, reference, required, remarks),
        _resilience_area(learner, reference, remarks),
        _estimates_area(learner, reference, remarks),
        _requirements_area(learner, reference, remarks),
    ]
    weights = reference.rubric.weights
    areas = [Area(a.name, a.passed, a.total, weights.get(a.name, 1.0)) for a in areas]  # type: ignore[call-overload]
    order = {name: i for i, name in enumerate(RUBRIC_AREAS)}
    remarks.sort(key=lambda r: (order[r.area], r.extra))
    return Grade(learner_name or learner.id, reference_name or reference.id, tuple(areas), tuple(remarks))
