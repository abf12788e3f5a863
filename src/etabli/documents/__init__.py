"""Documents (GED)."""
