"""Contractor supervision (APPI Art. 25) and foreign environments (Art. 28, guideline 10-7)."""
