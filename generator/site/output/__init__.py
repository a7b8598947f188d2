"""The output folder: its only writer, the search index over it, and the link check."""
