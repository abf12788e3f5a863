"""The demo company: a deterministic dataset (dataset.py, pure Python) and its loader into the database."""
