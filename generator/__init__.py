"""blueprint: system-design diagrams and write-ups from YAML design files."""

__all__ = ["__version__"]

__version__ = "0.1.0"
