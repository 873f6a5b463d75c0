"""Demo data: a fictional company to try Kansa with. No real companies or people."""
