"""Forms of the evaluation pages. They check shapes only; the services decide what is allowed
(who rates, a unit head's hasil, the distribution pattern, who reopens or sets a capaian)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PredikatOrganisasi, Rating

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class Form(forms.Form):
    """Labels without the trailing colon (Pico puts them above the field)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RatingForm(Form):
    rating_hasil = forms.ChoiceField(
        label=_("Rating hasil kerja"), choices=Rating.choices, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip
    rating_perilaku = forms.ChoiceField(
        label=_("Rating perilaku kerja"), choices=Rating.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih rating perilaku kerja.")},
    )  # fmt: skip
    catatan = forms.CharField(
        label=_("Catatan/rekomendasi"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args: Any, head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.head = head
        if head:
            del self.fields["rating_hasil"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.head and not data.get("rating_hasil"):
            self.add_error("rating_hasil", _("Pilih rating hasil kerja."))
        return data


class CatatanForm(Form):
    """Feedback on one RHK (`rhk`) or one BerAKHLAK value (`nilai`); empty text removes it."""

    rhk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    nilai = forms.IntegerField(required=False, min_value=1, max_value=7, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Umpan balik"), required=False, max_length=5000,
                           widget=TEXTAREA)  # fmt: skip


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Alasan"), max_length=2000, widget=TEXTAREA,
        error_messages={"required": _("Alasan wajib diisi.")},
    )  # fmt: skip


class CapaianForm(Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    predikat = forms.ChoiceField(
        label=_("Capaian kinerja organisasi"), choices=PredikatOrganisasi.choices,
        error_messages={"required": _("Pilih capaian kinerja organisasi.")},
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Alasan"), max_length=2000, widget=TEXTAREA,
        error_messages={"required": _("Alasan penetapan wajib diisi.")},
    )  # fmt: skip
