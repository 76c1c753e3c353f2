"""Sequence diagrams: lifelines under each participant's drawing, numbered messages, UML fragments as frames."""

from __future__ import annotations

from generator.layout.anatomy import badge_width
from generator.layout.sequence import SeqFragment, SeqMessage, SequenceScene
from generator.render.pen import fmt
from generator.render.shapes import draw_kind, ink_for
from generator.render.svg.document import PAD, Doc, badge, document, escape, patch, pen_for, stroke, title_line
from generator.render.svg.edges import edge_style
from generator.render.themes import Theme

__all__ = ["render_sequence"]


def render_sequence(scene: SequenceScene, theme: Theme, *, title: str, description: str) -> str:
    """Draw a laid-out sequence diagram (:class:`generator.layout.sequence.SequenceScene`) as a self-contained SVG."""
    doc = Doc(theme)
    fs = scene.font_size
    width = max(scene.width, doc.width(title, theme.title_size) + 2 * PAD)
    height = scene.height
    color = theme.marker(scene.color)
    for p in scene.participants:
        pen = pen_for(theme, f"lifeline:{p.node.id}")
        doc.layers["groups"].append(
            stroke(
                pen.line((p.x, scene.lifeline_top), (p.x, scene.lifeline_bottom), double=False),
                theme.muted,
                1.2,
                dash="5 6",
            )
        )
        size = 40.0
        ink = ink_for(theme, p.node.kind)
        doc.layers["nodes"].append(f'<g class="node" id="node-{escape(p.node.id)}">')
        doc.layers["nodes"].extend(
            draw_kind(p.node.kind, p.x - size / 2, p.head.y + 2, size, pen=pen_for(theme, f"node:{p.node.id}"), ink=ink)
        )
        ty = p.head.y + size + fs + 4
        for line in p.label_lines:
            doc.text(p.x, ty, line, size=fs, color=theme.ink, anchor="middle", layer="nodes")
            ty += fs * 1.25
        doc.layers["nodes"].append("</g>")
    for frag in sorted(scene.fragments, key=lambda f: (f.box.y, -f.box.w)):
        _fragment(doc, frag, fs)
    at = {p.x: p.node.id for p in scene.participants}
    for m in scene.messages:
        _message(doc, m, color, fs, ends=(at.get(m.x1, ""), at.get(m.x2, "")))
    if title:
        title_line(doc, title, width / 2, theme.title_size * 1.35, theme)
    return document(doc, width, height, title=title, description=description)


def _fragment(doc: Doc, frag: SeqFragment, fs: float) -> None:
    theme = doc.theme
    pen = pen_for(theme, f"fragment:{frag.id}")
    box = frag.box
    color = theme.muted
    doc.layers["groups"].append(stroke(pen.rect(box.x, box.y, box.w, box.h), color, theme.stroke))
    tag = frag.kind
    size = fs * 0.9
    tw = doc.width(tag, size) + 12
    th = size * 1.45
    doc.layers["groups"].append(
        f'<path d="M{fmt(box.x)} {fmt(box.y)}h{fmt(tw)}v{fmt(th - 5)}l-5 5H{fmt(box.x)}Z" fill="{theme.paper}"/>'
    )
    doc.layers["groups"].append(
        stroke(
            pen.polyline(
                [(box.x + tw, box.y), (box.x + tw, box.y + th - 5), (box.x + tw - 5, box.y + th), (box.x, box.y + th)]
            ),
            color,
            theme.stroke,
        )
    )
    doc.text(box.x + 6, box.y + size * 1.1, tag, size=size, color=theme.ink, weight="bold", layer="chrome")
    if frag.condition:
        _patched_text(doc, box.x + tw + 8, box.y + size * 1.1, f"[{frag.condition}]", size)
    for y, text in frag.dividers:
        doc.layers["groups"].append(stroke(pen.line((box.x, y), (box.right, y), double=False), color, 1.2, dash="6 5"))
        _patched_text(doc, box.x + 8, y + size * 1.2, f"[{text}]", size)


def _patched_text(doc: Doc, x: float, baseline: float, text: str, size: float) -> None:
    """Text on a patch of board colour, so the lifelines it crosses do not run through it."""
    width = doc.width(text, size)
    doc.layers["patches"].append(patch(doc.theme, x - 3, baseline - size, width + 6, size * 1.35))
    doc.text(x, baseline, text, size=size, color=doc.theme.ink, layer="chrome")


def _message(doc: Doc, m: SeqMessage, color: str, fs: float, *, ends: tuple[str, str]) -> None:
    """One message: its arrow (``data-step``, ``data-from`` and ``data-to`` name the step and its two
    participants, for a page that steps through the flow), its numbered label and its note."""
    theme = doc.theme
    pen = pen_for(theme, f"message:{m.id}")
    dash, factor, _ = edge_style(m.hop)
    if m.hop == "async":
        dash = ""  # UML: an asynchronous message is a solid line with an open head; a reply is dashed
    width = theme.edge_stroke * factor
    line_color = theme.replication if m.hop == "replication" else color
    if m.x1 == m.x2:
        x, y = m.x1, m.y
        pts = [(x, y - 8), (x + 30, y - 8), (x + 30, y + 10), (x + 2, y + 10)]
        d = pen.polyline(pts)
        tip, back = pts[-1], pts[-2]
    else:
        # A lost message (UML): it stops three quarters of the way, at a cross, and never reaches its receiver.
        x2 = m.x1 + (m.x2 - m.x1) * 0.72 if m.lost else m.x2
        d = pen.line((m.x1, m.y), (x2, m.y))
        tip = (x2, m.y)
        back = (m.x1, m.y)
    step = f' data-step="{escape(m.number)}"'
    doc.layers["edges"].append(
        f'<g class="message{" lost" if m.lost else ""}" id="message-{m.id}"{step} '
        f'data-from="{escape(ends[0])}" data-to="{escape(ends[1])}">'
    )
    doc.layers["edges"].append(stroke(d, line_color, width, dash=dash))
    if m.lost and m.x1 != m.x2:
        x, y = tip
        cross = pen.line((x - 7, y - 7), (x + 7, y + 7)) + pen.line((x + 7, y - 7), (x - 7, y + 7))
        doc.layers["edges"].append(stroke(cross, theme.marker(1), width * 1.3))
    elif m.hop == "request":
        head = pen.arrowhead(tip, back, size=10, open_=False)
        doc.layers["edges"].append(
            f'<path d="{head}" fill="{line_color}" stroke="{line_color}" stroke-width="{fmt(width)}" '
            f'stroke-linecap="butt"/>'
        )
    else:
        doc.layers["edges"].append(stroke(pen.arrowhead(tip, back, size=10, open_=True), line_color, width))
    doc.layers["edges"].append("</g>")
    box = m.label_box
    r = fs * 0.55
    w = badge_width(m.number, r, fs, doc.width)
    text_w = doc.width(m.text, fs) if m.text else 0.0
    total = w + (6 + text_w if m.text else 0)
    x = box.x + (box.w - total) / 2 if m.x1 != m.x2 else box.x
    cy = box.y + box.h / 2
    at = f' data-badge="{fmt(x + w / 2)} {fmt(cy)} {fmt(r)}"'
    doc.layers["patches"].append(
        patch(theme, x - 3, box.y, total + 6, box.h, ident=f"label-{m.id}", rx=4, extra=step + at)
    )
    badge(doc, x + w / 2, cy, r, m.number, color, fs, hollow=m.optional, width=w)
    if m.text:
        doc.text(x + w + 6, cy + fs * 0.35, m.text, size=fs, color=theme.ink)
    if m.note:
        size = fs * 0.85
        width = doc.width(m.note, size)
        cx = (m.x1 + m.x2) / 2 if m.x1 != m.x2 else m.x1 + 40 + width / 2
        doc.layers["patches"].append(patch(theme, cx - width / 2 - 3, m.y + fs * 1.3 - size, width + 6, size * 1.35))
        doc.text(
            cx, m.y + fs * 1.3, m.note, size=size, color=theme.muted, anchor="middle", extra=' font-style="italic"'
        )
