"""Pure-Python engines (no Django import): each is a small library with plain inputs and outputs.

Apps adapt database rows to engine inputs; engines can be tested and benchmarked alone.
"""
