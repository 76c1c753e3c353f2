"""The course's appendix pages: a numbers cheat-sheet computed by the estimates and availability code, and a glossary
whose every term links to the designs that use it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from generator.analysis.reliability import SECONDS_PER_YEAR, downtime_per_year
from generator.analysis.units import SECONDS_PER_DAY, SECONDS_PER_MONTH, format_count
from generator.frontend.course import Course
from generator.frontend.model import Design
from generator.plan import outputs

__all__ = ["APPENDIX", "CHEAT_SHEET", "GLOSSARY", "cheat_sheet_context", "glossary_context"]

APPENDIX = "appendix"
"""The folder of the appendix pages, beside the designs' folders."""
CHEAT_SHEET = f"{APPENDIX}/cheat-sheet.md"
GLOSSARY = f"{APPENDIX}/glossary.md"

_NINES = (0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999)
_PER_DAY = (1e5, 1e6, 1e7, 1e8, 1e9, 1e10)
_POWERS = ((10, "KB", "thousand"), (20, "MB", "million"), (30, "GB", "billion"), (40, "TB", "trillion"),
           (50, "PB", "quadrillion"))  # fmt: skip

LATENCY = (
    ("L1 cache reference", 0.5e-9),
    ("branch mispredict", 5e-9),
    ("L2 cache reference", 7e-9),
    ("mutex lock or unlock", 25e-9),
    ("main memory reference", 100e-9),
    ("compress 1 KB (Snappy)", 3e-6),
    ("send 1 KB over a 1 Gbps network", 10e-6),
    ("read 4 KB at random from an SSD", 150e-6),
    ("read 1 MB in sequence from memory", 250e-6),
    ("round trip within one data centre", 500e-6),
    ("read 1 MB in sequence from an SSD", 1e-3),
    ("disk seek", 10e-3),
    ("read 1 MB in sequence from a disk", 20e-3),
    ("a packet from California to the Netherlands and back", 150e-3),
)
"""Jeff Dean's "numbers everyone should know" (2009), as collected by Peter Norvig and Jonas Bonér: orders of
magnitude, not benchmarks of today's hardware."""

SOURCES = (
    'Latency: Jeff Dean, "Designs, Lessons and Advice from Building Large Distributed Systems" (LADIS 2009), '
    'the table known as "Latency numbers every programmer should know" (Peter Norvig, "Teach Yourself '
    "Programming in Ten Years\"; Jonas Bonér's gist, 2012). Orders of magnitude: an SSD or a network today may be "
    "several times faster.",
    "Availability, traffic and sizes: computed by blueprint with the same year (365 days) and units as every "
    "design's estimates and availability tables.",
)


def _readable(seconds: float) -> str:
    """A latency in the unit a reader compares it in.

    >>> _readable(0.5e-9), _readable(3e-6), _readable(150e-6), _readable(0.02)
    ('0.5 ns', '3 µs', '150 µs', '20 ms')
    """
    for unit, scale in (("ns", 1e-9), ("µs", 1e-6), ("ms", 1e-3)):
        if seconds < scale * 1000:
            return f"{seconds / scale:g} {unit}"
    return f"{seconds:g} s"


def _span(seconds: float) -> str:
    """A stretch of downtime the way the availability tables write it: two units at most, whole numbers.

    >>> _span(26_280), _span(2592), _span(86.4), _span(43.2), _span(8.64), _span(0.864)
    ('7 h 18 min', '43 min 12 s', '1 min 26 s', '43 s', '8.6 s', '0.9 s')
    """
    if seconds < 10:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    for big, small, name, part in ((86_400, 3600, "d", "h"), (3600, 60, "h", "min"), (60, 1, "min", "s")):
        if whole >= big:
            rest = round((whole % big) / small)
            return f"{whole // big} {name} {rest} {part}" if rest else f"{whole // big} {name}"
    return f"{whole} s"


def cheat_sheet_context() -> dict[str, Any]:
    """The cheat-sheet's tables: availability to downtime, requests a day to a second, powers of two, latency."""
    availability = [
        {
            "nines": f"{a * 100:g}%",
            "year": downtime_per_year(a),
            "month": _span((1 - a) * SECONDS_PER_MONTH),
            "day": _span((1 - a) * SECONDS_PER_DAY),
        }
        for a in _NINES
    ]
    traffic = [
        {
            "day": format_count(n),
            "second": format_count(n / SECONDS_PER_DAY),
            "peak": format_count(2 * n / SECONDS_PER_DAY),
            "month": format_count(n * SECONDS_PER_MONTH / SECONDS_PER_DAY),
        }
        for n in _PER_DAY
    ]
    powers = [
        {"power": f"2^{p}", "exact": f"{2**p:,}", "approx": f"about 10^{p * 3 // 10} ({word})", "unit": unit}
        for p, unit, word in _POWERS
    ]
    latency = [{"what": what, "time": _readable(t), "ratio": format_count(t / LATENCY[0][1])} for what, t in LATENCY]
    return {
        "availability": availability,
        "traffic": traffic,
        "powers": powers,
        "latency": latency,
        "day": f"{SECONDS_PER_DAY:,}",
        "year": format_count(SECONDS_PER_YEAR),
        "sources": SOURCES,
        "memory_vs_ssd": format_count(_latency("read 4 KB at random from an SSD") / _latency("main memory reference")),
        "ssd_vs_disk": format_count(_latency("disk seek") / _latency("read 4 KB at random from an SSD")),
    }


def _latency(what: str) -> float:
    return next(seconds for name, seconds in LATENCY if name == what)


def _texts(design: Design) -> str:
    """Everything a design says in words, to find the terms it uses."""
    parts = [design.title, design.summary, *design.notes, *design.next_scale]
    parts += [section.title + " " + section.text for section in design.deep_dives]
    for tradeoff in design.tradeoffs:
        parts.append(
            tradeoff if isinstance(tradeoff, str) else " ".join([tradeoff.choice, *tradeoff.pros, *tradeoff.cons])
        )
    parts += [flow.name + " " + flow.summary for flow in design.flows]
    parts += [c.title + " " + c.tech + " " + c.notes for c in design.components]
    return " ".join(parts)


def glossary_context(course: Course, designs: Sequence[Design]) -> dict[str, Any]:
    """The glossary: each term, its meaning, and links to the designs whose text uses it, in reading order."""
    ordered = sorted(designs, key=lambda d: course.place(d.id, d.lesson, d.title))
    texts = [(design, _texts(design)) for design in ordered]
    terms = []
    for term, meaning in sorted(course.glossary.items(), key=lambda item: item[0].lower()):
        spelled = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
        used = [
            {"title": design.title, "href": f"../{design.id}/{outputs.README}"}
            for design, text in texts
            if spelled.search(text)
        ]
        terms.append({"term": term, "meaning": meaning, "used": used})
    return {"terms": terms}
