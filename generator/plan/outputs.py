"""The output layout: the one policy naming every file a design writes, and the check that no two views share one.

A design ``d`` writes ``d/README.md`` (its write-up) and, for each view, ``d/<stem>.svg`` and ``d/<stem>.png``.
Stems come from the functions below and nowhere else. Flow and chart ids are the user's, so two views can ask
for the same stem (a flow named ``overview``, or ``read-sequence`` beside flow ``read``'s sequence diagram);
:func:`collisions` finds every such pair, comparing stems case-insensitively because macOS and Windows file
systems do, so the design is refused before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "OVERVIEW",
    "PRACTICE",
    "PRACTICE_PICTURE",
    "README",
    "RESERVED",
    "REVIEW",
    "RING",
    "Claim",
    "chart_stem",
    "collisions",
    "design_files",
    "flow_stem",
    "reserved",
    "sequence_stem",
    "stage_stem",
    "theme_stem",
    "timeline_stem",
    "view_files",
]

README = "README.md"
"""The write-up's file name, in the design's folder."""

OVERVIEW = "overview"
"""The overview's stem."""

REVIEW = "review"
"""The design-review overlay's stem."""

RING = "hash-ring"
"""The consistent-hashing ring's stem."""

PRACTICE = "practice.md"
"""The practice page's file name, beside the write-up (its answers at its end)."""

PRACTICE_PICTURE = "practice-overview"
"""The stem of the overview drawn with numbered blanks for names, for the practice page's redraw exercise."""


def flow_stem(flow_id: str) -> str:
    """A flow's own diagram.

    >>> flow_stem("read")
    'read'
    """
    return flow_id


def sequence_stem(flow_id: str) -> str:
    """A flow drawn as a sequence diagram.

    >>> sequence_stem("read")
    'read-sequence'
    """
    return f"{flow_id}-sequence"


def panel_stem(panel_id: str) -> str:
    """A panel of pictures side by side.

    >>> panel_stem("strategies")
    'panel-strategies'
    """
    return f"panel-{panel_id}"


def chart_stem(chart_id: str) -> str:
    """A flowchart or state machine.

    >>> chart_stem("pick-a-store")
    'chart-pick-a-store'
    """
    return f"chart-{chart_id}"


def timeline_stem(timeline_id: str) -> str:
    """A time-line drawn to scale.

    >>> timeline_stem("interview")
    'timeline-interview'
    """
    return f"timeline-{timeline_id}"


def theme_stem(theme: str) -> str:
    """The overview drawn again in another theme.

    >>> theme_stem("blackboard")
    'overview-blackboard'
    """
    return f"{OVERVIEW}-{theme}"


def stage_stem(number: int, stage_id: str) -> str:
    """One stage of an evolution series, numbered from 1.

    >>> stage_stem(2, "add-cache")
    'stage-2-add-cache'
    """
    return f"stage-{number}-{stage_id}"


RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
)
"""Names Windows keeps for devices, whatever the case and extension: no file or folder may be called that."""


def reserved(name: str) -> bool:
    """Whether a file or folder name is one Windows keeps for a device.

    >>> reserved("con"), reserved("Aux.svg"), reserved("console")
    (True, True, False)
    """
    return name.split(".")[0].upper() in RESERVED


def view_files(design_id: str, stem: str) -> tuple[str, str]:
    """The SVG and PNG a view writes, relative to the output folder.

    >>> view_files("shop", "overview")
    ('shop/overview.svg', 'shop/overview.png')
    """
    return f"{design_id}/{stem}.svg", f"{design_id}/{stem}.png"


def design_files(design_id: str, stems: Sequence[str]) -> list[str]:
    """Every file a design's write-up and views write, relative to the output folder: the write-up, then each
    view's SVG and PNG (the practice page, :data:`PRACTICE`, and its picture are listed by the prepared record)."""
    files = [f"{design_id}/{README}"]
    for stem in stems:
        files.extend(view_files(design_id, stem))
    return files


@dataclass(frozen=True)
class Claim:
    """A view's claim on a stem: the stem, what the view is (for messages), and the key path that decides it."""

    stem: str
    what: str
    path: tuple[str | int, ...] = ()


def collisions(claims: Sequence[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of views that would write the same files, the later claim second; empty when every stem is unique.

    >>> pairs = collisions([Claim("overview", "the overview"), Claim("Overview", "flow 'Overview'")])
    >>> [(a.what, b.what) for a, b in pairs]
    [('the overview', "flow 'Overview'")]
    """
    first: dict[str, Claim] = {}
    pairs: list[tuple[Claim, Claim]] = []
    for claim in claims:
        key = claim.stem.casefold()
        if key in first:
            pairs.append((first[key], claim))
        else:
            first[key] = claim
    return pairs
