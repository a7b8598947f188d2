"""The commands behind the `briefing` CLI: one module per command, each a stage run end to end."""
