"""Pages as bytes: the Jinja2 theme, article Markdown, feeds, the sitemap."""
