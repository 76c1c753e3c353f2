"""Themes as data: board and ink colours, one marker per flow, colours per kind, fonts and pen settings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from generator.frontend.vocabulary import THEME_NAMES, kind_info
from generator.layout.text import Ruler

__all__ = ["FALLBACK_STACK", "THEMES", "Theme", "get_theme"]

FALLBACK_STACK = "'DejaVu Sans', 'WenQuanYi Micro Hei', Symbola, sans-serif"
"""The fonts after a theme's own, in the order characters are looked up (see :mod:`generator.render.fonts`)."""


@dataclass(frozen=True)
class Theme:
    """Everything a renderer needs to know about the look; no behaviour beyond lookups."""

    name: str
    paper: str
    ink: str
    muted: str
    markers: tuple[str, ...]
    families: Mapping[str, str]
    fills: Mapping[str, str]
    groups: Mapping[str, str]
    font_family: str
    font_stack: str
    layout_font: str
    handwriting: bool
    """Drawn in Kalam, blueprint's own handwriting font (else in DejaVu Sans)."""
    font_size: float = 14.0
    title_size: float = 24.0
    roughness: float = 1.0
    bowing: float = 1.0
    stroke: float = 1.6
    edge_stroke: float = 1.7
    hachure: bool = True
    hachure_gap: float = 5.0
    hachure_angle: float = -41.0
    fill_opacity: float = 0.22
    group_fill_opacity: float = 0.07
    faded_opacity: float = 0.22
    replication: str = "#8a8f98"
    highlight: str = "#ffd43b"
    highlight_opacity: float = 0.45
    extra: Mapping[str, str] = field(default_factory=dict)

    def marker(self, slot: int | None) -> str:
        """The colour of a flow's marker slot (None: the ink).

        >>> WHITEBOARD.marker(0), WHITEBOARD.marker(None) == WHITEBOARD.ink
        ('#1f5fae', True)
        """
        if slot is None:
            return self.ink
        return self.markers[slot % len(self.markers)]

    def kind_color(self, kind: str) -> str:
        """The stroke colour for a kind of component."""
        return self.families.get(kind_info(kind).family, self.ink)

    def kind_fill(self, kind: str) -> str:
        """The fill colour for a kind of component."""
        return self.fills.get(kind_info(kind).family, self.paper)

    def group_color(self, kind: str) -> str:
        """The frame colour for a kind of group."""
        return self.groups.get(kind, self.muted)

    @property
    def ruler(self) -> Ruler:
        """How this theme's text is measured, by the layout stage and the pen alike.

        >>> get_theme("clean").ruler.handwriting
        False
        """
        return Ruler(family=self.layout_font, size=self.font_size, handwriting=self.handwriting)


WHITEBOARD = Theme(
    name="whiteboard",
    paper="#fbfaf6",
    ink="#1e1e1e",
    muted="#6b6f76",
    markers=("#1f5fae", "#c8312b", "#2b8a3e", "#7048c8", "#d9700f", "#0f8a8a"),
    families=MappingProxyType(
        {
            "people": "#1e1e1e",
            "network": "#6741c8",
            "compute": "#1e1e1e",
            "batch": "#d9590f",
            "cache": "#c8312b",
            "data": "#1f5fae",
            "storage": "#1f5fae",
            "messaging": "#2b8a3e",
            "external": "#5f6b7a",
        }
    ),
    fills=MappingProxyType(
        {
            "people": "#9aa3ad",
            "network": "#a48be8",
            "compute": "#9aa3ad",
            "batch": "#f2a35e",
            "cache": "#f08c86",
            "data": "#7fb2ea",
            "storage": "#7fb2ea",
            "messaging": "#8fd19e",
            "external": "#b6c2cf",
        }
    ),
    groups=MappingProxyType(
        {
            "tier": "#d9590f",
            "zone": "#2b8a3e",
            "region": "#6741c8",
            "datacenter": "#6741c8",
            "pool": "#d9590f",
            "boundary": "#c8312b",
            "cluster": "#d9590f",
        }
    ),
    font_family="Kalam",
    font_stack=f"Kalam, 'Comic Neue', {FALLBACK_STACK}",
    layout_font="Kalam",
    handwriting=True,
)

BLACKBOARD = Theme(
    name="blackboard",
    paper="#23302b",
    ink="#eef0ea",
    muted="#a9b4ad",
    markers=("#8ec8ff", "#ff9d94", "#a8e6a1", "#d4b8ff", "#ffd08a", "#8ee6e0"),
    families=MappingProxyType(
        {
            "people": "#eef0ea",
            "network": "#d4b8ff",
            "compute": "#eef0ea",
            "batch": "#ffd08a",
            "cache": "#ff9d94",
            "data": "#8ec8ff",
            "storage": "#8ec8ff",
            "messaging": "#a8e6a1",
            "external": "#c5ccd3",
        }
    ),
    fills=MappingProxyType(
        {
            # Hatching in the stroke colour would read as more outline: chalk shading is a dimmer tone.
            "people": "#7f8c86",
            "network": "#8b7bb3",
            "compute": "#7f8c86",
            "batch": "#a88c60",
            "cache": "#b06c66",
            "data": "#5f88b0",
            "storage": "#5f88b0",
            "messaging": "#6d9e6a",
            "external": "#7f8a93",
        }
    ),
    groups=MappingProxyType(
        {
            "tier": "#ffd08a",
            "zone": "#a8e6a1",
            "region": "#d4b8ff",
            "datacenter": "#d4b8ff",
            "pool": "#ffd08a",
            "boundary": "#ff9d94",
            "cluster": "#ffd08a",
        }
    ),
    font_family="Kalam",
    font_stack=f"Kalam, {FALLBACK_STACK}",
    layout_font="Kalam",
    handwriting=True,
    fill_opacity=0.16,
    group_fill_opacity=0.05,
    faded_opacity=0.25,
    replication="#9aa6a0",
    highlight="#ffe066",
    highlight_opacity=0.2,
    stroke=1.7,
)

CLEAN = Theme(
    name="clean",
    paper="#ffffff",
    ink="#2d3436",
    muted="#7b8894",
    markers=("#1f6feb", "#d1242f", "#1a7f37", "#8250df", "#bc4c00", "#0a7d86"),
    families=MappingProxyType(
        {
            "people": "#2d3436",
            "network": "#6741c8",
            "compute": "#2d3436",
            "batch": "#bc4c00",
            "cache": "#d1242f",
            "data": "#1f6feb",
            "storage": "#1f6feb",
            "messaging": "#1a7f37",
            "external": "#57606a",
        }
    ),
    fills=MappingProxyType(
        {
            "people": "#eaeef2",
            "network": "#ece6fb",
            "compute": "#eaeef2",
            "batch": "#fbe7d6",
            "cache": "#fbe1e2",
            "data": "#ddeafd",
            "storage": "#ddeafd",
            "messaging": "#dcf2e1",
            "external": "#eef1f4",
        }
    ),
    groups=MappingProxyType(
        {
            "tier": "#8c959f",
            "zone": "#1a7f37",
            "region": "#8250df",
            "datacenter": "#8250df",
            "pool": "#8c959f",
            "boundary": "#d1242f",
            "cluster": "#8c959f",
        }
    ),
    font_family="DejaVu Sans",
    font_stack=FALLBACK_STACK,
    layout_font="DejaVu Sans",
    handwriting=False,
    title_size=20.0,
    roughness=0.0,
    bowing=0.0,
    stroke=1.4,
    edge_stroke=1.4,
    hachure=False,
    fill_opacity=1.0,
    group_fill_opacity=0.06,
    faded_opacity=0.3,
    highlight="#fff3bf",
    highlight_opacity=1.0,
)

_THEMES = {t.name: t for t in (WHITEBOARD, BLACKBOARD, CLEAN)}
THEMES: tuple[str, ...] = THEME_NAMES
"""The names of the themes, the default first (the vocabulary's; a test checks each has its theme here)."""


def get_theme(name: str) -> Theme:
    """The theme of this name.

    Raises:
        KeyError: No theme has this name.

    >>> get_theme("blackboard").paper
    '#23302b'
    """
    return _THEMES[name]
