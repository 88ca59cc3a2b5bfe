"""SKP services told as stories with the cast (kinerja/org/testing.py).

staf_a and staf_b are rated by kasi, kasi by kabid, kabid and kapus by kadis, perawat by kapus;
kadis (JPT, head of Dinas Kesehatan) has no rater. Every successful service leaves exactly its
audit event(s); every refused one raises the expected error and leaves every row as it was.
"""

import pytest

# The checks in helpers.py keep pytest's detailed assertion messages.
pytest.register_assert_rewrite(f"{__name__}.helpers")
