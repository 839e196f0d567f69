"""Tests of the lessons' starting states: the register, and the helpers that build them."""
