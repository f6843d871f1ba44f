"""Renderers: each turns a validated Briefing and a Theme into one output format."""
