"""Banque et trésorerie."""
