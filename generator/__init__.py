"""Briefing: turn news articles into a cross-linked static briefing site."""

from __future__ import annotations

__version__ = "0.1.0"
