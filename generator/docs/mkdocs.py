"""The MkDocs plugin: ``plugins: [blueprint]`` draws every fenced ``blueprint`` block of a page, inline.

Errors are logged as warnings with their locations (``mkdocs build --strict`` then fails), and the design files a
page draws are watched by ``mkdocs serve``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.plugins import BasePlugin

from generator.docs.embed import embed_designs

__all__ = ["BlueprintPlugin"]

log = logging.getLogger("mkdocs.plugins.blueprint")


class BlueprintPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Draws the designs a page embeds."""

    config_scheme = (("theme", config_options.Choice(("whiteboard", "blackboard", "clean"), default="whiteboard")),)

    def on_config(self, config: Any) -> Any:
        self.sources: set[Path] = set()
        return config

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        docs = Path(config["docs_dir"])
        here = Path(page.file.abs_src_path).parent
        result = embed_designs(markdown, page=page.file.src_uri, folders=[here, docs], theme=self.config["theme"])
        for error in result.errors:
            log.warning(error)
        self.sources.update(result.sources)
        return result.markdown

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        for source in sorted(self.sources):
            server.watch(str(source))
        return server
