"""Checks a briefing must pass before it is shown: provenance, readability, text fit."""
