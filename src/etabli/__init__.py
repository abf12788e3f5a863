"""Établi — a local-first AI platform for French small businesses (TPE/PME)."""

__version__ = "0.1.0"
