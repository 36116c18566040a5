"""Corridor: a sourced knowledge pool of bilateral-relations news and a claim checker."""

__version__ = "0.1.0"
