"""Facturation et relances."""
