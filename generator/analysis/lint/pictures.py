"""The picture rules (BP130-BP137): how a design's drawings read on a slide.

They are checked on the drawn SVG by :mod:`generator.render.review` (``blueprint lint --pictures`` draws every
view of a design in memory and reviews it); this module registers them, so ``--explain``, SARIF and suppressions
know them.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.analysis.lint.model import Context, Hit, Rule, rule

__all__ = ["PICTURE_CODES", "PICTURE_RULES"]


def _drawn(ctx: Context) -> Iterator[Hit]:  # checked on the drawing, not the design
    yield from ()


_FAR = rule(
    "BP130",
    "warning",
    "Step label far from its arrow",
    """
    A step's number and words must sit right beside the arrow they describe, as d2 puts each label on its
    edge: within 24 px of the drawn line, or joined to it by a short leader. Further away, a reader matches
    labels to arrows by guesswork. Usually the picture is too crowded around that arrow: fewer steps on the
    overview (the flow views carry them), shorter labels, or a group split in two.
    """,
)(_drawn)

_NEARER = rule(
    "BP131",
    "warning",
    "Step label nearer another arrow than its own",
    """
    A label read as belonging to the nearest line. When another arrow runs closer to a step's badge than the
    arrow it labels, the picture teaches the wrong step for that arrow. Shorten the label or move the steps
    that crowd that spot into a flow of their own.
    """,
)(_drawn)

_OVERLAP = rule(
    "BP132",
    "warning",
    "Labels overlapping",
    """
    Two step labels, or a label and a component's drawing or name, are drawn on top of each other, so neither
    can be read. Shorter labels, fewer steps on one arrow, or fewer components in the view give them room.
    """,
)(_drawn)

_SMALL = rule(
    "BP133",
    "warning",
    "Text too small on a slide",
    """
    Fitted to a 1920x1080 slide, with its title, the picture's body text would be under 14 px: unreadable from
    the back of a room. blueprint already tries wrapping long chains, turning the picture and showing step
    numbers only; when that is not enough the design has more components than a slide holds. Split it: an
    evolution's stages, or flows that each show their part.
    """,
)(_drawn)

_WIDE = rule(
    "BP134",
    "warning",
    "Picture too wide for a slide",
    """
    The picture is more than 2.2 times as wide as it is tall, so on a 16:9 slide it becomes a thin strip with
    small text and empty space above and below. blueprint wraps long left-to-right chains into rows and turns
    pictures that do not fit; this is what is left when neither helps. Fewer components in a row, or `direction:
    TB`, usually does.
    """,
)(_drawn)

_ON_FRAME = rule(
    "BP135",
    "warning",
    "Label on a group's frame",
    """
    A step label lies across the border of a group (a tier, a zone, a region), so it reads as part of the
    frame, or the frame line strikes through the text. Labels go inside a group or outside it. A longer gap
    between groups, or a shorter label, makes room.
    """,
)(_drawn)

_TOUCHING = rule(
    "BP136",
    "warning",
    "Group frames touching",
    """
    Two group frames side by side are less than 20 px apart, so their borders read as one thick line and a
    reader cannot see where one group ends. blueprint pulls facing sides in as far as their content allows;
    this is what is left when the components fill the frames.
    """,
)(_drawn)

_CUT_OFF = rule(
    "BP137",
    "warning",
    "Text cut off at the picture's edge",
    """
    A text starts or ends beyond the picture's edge, so part of it is never drawn: a reader sees
    "aits in TIME_WAIT" for "the side that closes first waits in TIME_WAIT". blueprint widens its pictures for
    what it places; this is what a placement it did not foresee leaves. Report it, and shorten the text meanwhile.
    """,
)(_drawn)

PICTURE_RULES: tuple[Rule, ...] = (_FAR, _NEARER, _OVERLAP, _SMALL, _WIDE, _ON_FRAME, _TOUCHING, _CUT_OFF)
"""The picture rules, in code order."""

PICTURE_CODES = frozenset(each.code for each in PICTURE_RULES)
"""Their codes: checked on drawings, so a suppression of one is not reported unused by :func:`lint`."""
