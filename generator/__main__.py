"""`python -m generator` runs the `briefing` command."""

from __future__ import annotations

from generator.cli import main

main()
