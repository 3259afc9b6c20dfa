"""Helpers shared by the Python suites under tests/ (browser, security, durability).

Each suite puts tests/ on sys.path (its conftest.py or harness.py) and imports `support.server`.
"""
