"""Writes of the documents app, one module per family of actions (intake, processing, validation…).

Every function takes keyword-only arguments and the company explicitly; multi-row writes run in a
transaction so that a refused action never leaves half-written data.
"""
