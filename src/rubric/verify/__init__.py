"""Proving a ruleset sane before use: static check, cases as data, the pytest plugin."""
