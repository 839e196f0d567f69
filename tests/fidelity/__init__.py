"""Tests of the fidelity layer, one module per family of AWS rules."""
