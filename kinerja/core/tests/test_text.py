"""Text (a rule's message that keeps its template) and localize (the service side)."""

from __future__ import annotations

from django.utils import translation

from kinerja.core.errors import localize
from kinerja.core.text import Text


def test_a_text_reads_as_the_filled_indonesian_sentence() -> None:
    text = Text("Baris %(number)s: nilai harus 1 sampai 5.", number=2)
    assert text == "Baris 2: nilai harus 1 sampai 5." and isinstance(text, str)
    assert (text.template, text.params) == (
        "Baris %(number)s: nilai harus 1 sampai 5.",
        {"number": 2},
    )
    assert Text("JP harus lebih dari 0.") == "JP harus lebih dari 0."


def test_localize_translates_the_template_then_fills_it() -> None:
    text = Text("Baris %(number)s: nilai harus 1 sampai 5.", number=2)
    assert localize(text) == "Baris 2: nilai harus 1 sampai 5."
    with translation.override("en"):
        assert localize(text) == "Row 2: the score must be 1 to 5."
        assert localize(ValueError(text)) == "Row 2: the score must be 1 to 5."
        assert localize(Text("JP harus lebih dari 0.")) == "JP must be more than 0."


def test_localize_passes_other_messages_through_the_catalogue() -> None:
    with translation.override("en"):
        assert localize("Isi tempat penandatanganan.") == "Fill in the place of signing."
        assert localize("not in the catalogue") == "not in the catalogue"
        assert localize(ValueError()) == "" and localize("") == ""
