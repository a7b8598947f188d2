"""Preview: the watcher (changes, debounce, stopping builds), the dev server and live reload."""
