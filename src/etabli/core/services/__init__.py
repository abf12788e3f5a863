"""Writes of the core. Every function takes keyword arguments and runs in a transaction."""
