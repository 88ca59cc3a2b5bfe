"""Org services told as stories with the cast: who may change what, and what the trail shows."""

import pytest

# The checks in helpers.py keep pytest's detailed assertion messages.
pytest.register_assert_rewrite(f"{__name__}.helpers")
