"""Tests of the sandbox's seal (labkit/safety/), a module per module, under a network guard."""
