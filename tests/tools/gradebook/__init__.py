"""Tests of ``labkit gradebook``, one module per job of labkit/tools/gradebook/."""
