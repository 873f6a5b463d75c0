"""Evidence: the content-addressed file store and its links to controls and findings."""
