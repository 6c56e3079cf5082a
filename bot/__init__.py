"""Canasta: an audit of how much a small business depends on one platform, and a plan out."""

__version__ = "0.1.0"
