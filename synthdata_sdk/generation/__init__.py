"""Data generation: the request and its fingerprint, the seeded column-wise engine and semantics."""
