"""briefing: a curated briefing source in, an executive deck and a one-page summary out."""

__version__ = "0.1.0"
