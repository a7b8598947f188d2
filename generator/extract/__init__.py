"""Extraction: an Article -> what it says (date, actors, quotes, events, topics, summary, tags).

`pipeline.extract` runs the extractors; this package file imports nothing, so the site
stage can read the shared word lists (wordlist.py) without loading the models.
"""
