"""What the templates see: frozen views built from the site model, and the URL scheme (pure)."""
