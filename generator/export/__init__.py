"""Exporters: one module per output format (SVG, PNG, Markdown)."""
