"""Reusing the last build's work around the plain pipeline: the no-op check, caches, memos,
keys, parallel workers and the cached build that runs it all."""
