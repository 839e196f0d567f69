"""Tests of ``labkit doctor``, one module per family of checks."""
