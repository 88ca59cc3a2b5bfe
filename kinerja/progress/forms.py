"""Forms of the realisasi page. They check shapes only; the services decide what is allowed
(dates, periods, evidence content, who may report)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules

TEXTAREA = forms.Textarea(attrs={"rows": 2})
OFFICE = sorted(k for k in rules.ALLOWED_KINDS if k not in {"pdf", "png", "jpg", "webp"})
# What the phone offers to pick: photos (camera or gallery, `capture` not forced), PDFs and
# the office documents the content check accepts. The photo types are named, not `image/*`:
# the picker then leaves out GIF or HEIC files the check would refuse, and an iPhone hands
# its HEIC photos over as JPEG.
ACCEPT = ",".join(
    [*(rules.ALLOWED_KINDS[k] for k in ("jpg", "png", "webp", "pdf")), *(f".{k}" for k in OFFICE)]
)


class Form(forms.Form):
    """Labels without the trailing colon (Pico puts them above the field)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one input; the content check is the service's."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]


def value_field() -> forms.CharField:
    # Text, not a number input: the service accepts "12,5" (Indonesian decimal comma).
    return forms.CharField(
        label=_("Nilai"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def narrative_field() -> forms.CharField:
    return forms.CharField(label=_("Uraian"), required=False, widget=TEXTAREA, max_length=4000)


def links_field() -> forms.URLField:
    return forms.URLField(
        label=_("Tautan bukti (opsional)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
    )


class RealisasiForm(Form):
    """ "Laporkan realisasi" for one IKI. `idempotency_key` is new at every render, so a double
    tap or a browser retry of the same form records one entry."""

    # ISO format: a date input shows nothing for the localized "23-11-2026".
    date = forms.DateField(
        label=_("Tanggal"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    value = value_field()
    narrative = narrative_field()
    rencana_aksi = forms.TypedChoiceField(
        label=_("Rencana aksi"), coerce=int, required=False, empty_value=None
    )
    berkas = MultipleFileField(label=_("Foto atau berkas bukti (opsional)"))
    links = links_field()
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self, *args: Any, rencana_aksi: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate())
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        field = self.fields["rencana_aksi"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "–"), *(rencana_aksi or [])]
        if not rencana_aksi:
            field.widget = forms.HiddenInput()


class KoreksiForm(Form):
    """A correction of an entry: the new value and/or narrative, and why."""

    value = value_field()
    narrative = narrative_field()
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=300)
    berkas = MultipleFileField(label=_("Foto atau berkas bukti (opsional)"))
    links = links_field()


class RencanaAksiForm(Form):
    period = forms.TypedChoiceField(label=_("Periode"), coerce=int)
    text = forms.CharField(label=_("Rencana aksi"), widget=TEXTAREA, max_length=2000)

    def __init__(self, *args: Any, periods: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["period"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = periods
