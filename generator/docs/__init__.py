"""Documentation sites: the MkDocs plugin that draws designs inline (``plugins: [blueprint]`` in ``mkdocs.yml``)."""
