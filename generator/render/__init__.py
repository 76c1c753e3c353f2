"""Render: the hand-drawn pen, kind drawings, themes and fonts; laid-out views to SVG, and SVG to PNG."""
