import pytest

# The checks in the helper modules keep pytest's detailed assertion messages.
pytest.register_assert_rewrite(f"{__name__}.api_helpers", f"{__name__}.view_helpers")
