"""Nullsettes data: cassette parts, the translocation builder and its source readers."""
