"""Semantic types: safe, locale-aware value domains (names, emails, SSNs, card numbers...)."""
