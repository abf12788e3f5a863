"""Assistant de rédaction."""
