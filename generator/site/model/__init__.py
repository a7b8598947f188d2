"""The site model: briefing files loaded and grouped into topics, actors, stories (pure)."""
