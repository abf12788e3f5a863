"""Assistant clients et salariés."""
