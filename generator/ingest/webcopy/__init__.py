"""Whole-page copies: the article found among a page's furniture, with its headline,
its outlet and its date."""
