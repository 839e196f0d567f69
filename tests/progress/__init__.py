"""Tests of ``labkit.progress``: the file on disk (locking, repair) and its format."""
