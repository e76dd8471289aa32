"""Helpers shared by test modules (fixtures stay in the conftest.py files).

Test modules import from here, never from one another.
"""
