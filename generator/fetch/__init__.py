"""Fetching articles and feeds by address: settings, addresses, the polite HTTP client,
robots.txt, and where responses are kept under content/articles/.

The network is touched only by `client` (and `robots`, through it); the stage that runs
it all and hands what is new to ingest is `generator.commands.fetch`.
"""
