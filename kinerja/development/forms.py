"""Forms of the tindak lanjut pages (labels in Indonesian; English in the .po file)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Metode, Moda

ACTION_ROWS = 3


def date_input() -> forms.DateInput:
    """A native date picker: its value must be ISO, whatever the locale."""
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


B19_ROWS = 5


class ScanForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    period = forms.IntegerField(label=_("Periode"), min_value=1, max_value=12)


class SesiEditForm(forms.Form):
    method = forms.ChoiceField(label=_("Metode"), choices=Metode.choices)
    date = forms.DateField(label=_("Tanggal"), widget=date_input())
    notes = forms.CharField(label=_("Catatan bimbingan"), widget=forms.Textarea(attrs={"rows": 4}))


class SesiWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan penghapusan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class SesiForm(SesiEditForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, ACTION_ROWS + 1):
            self.fields[f"aksi_{i}"] = forms.CharField(
                label=_("Aksi yang disepakati %(n)s") % {"n": i}, required=False, max_length=300
            )
            self.fields[f"tenggat_{i}"] = forms.DateField(
                label=_("Tenggat %(n)s") % {"n": i}, required=False,
                widget=date_input(),
            )  # fmt: skip

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for i in range(1, ACTION_ROWS + 1):
            if data.get(f"aksi_{i}") and not data.get(f"tenggat_{i}"):
                self.add_error(f"tenggat_{i}", _("Isi tenggat aksi ini."))
        return data

    def actions(self) -> list[tuple[str, object]]:
        data = self.cleaned_data
        return [
            (data[f"aksi_{i}"], data[f"tenggat_{i}"])
            for i in range(1, ACTION_ROWS + 1)
            if data.get(f"aksi_{i}")
        ]


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Catatan penutupan"), widget=forms.Textarea(attrs={"rows": 2}))


class B18Form(forms.Form):
    place = forms.CharField(label=_("Tempat"), max_length=100)
    date = forms.DateField(label=_("Tanggal"), widget=date_input())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = [(str(k), v) for k, v in rules.B18_SCALE.items()]
        for i, statement in enumerate(rules.B18_STATEMENTS, start=1):
            self.fields[f"s{i}"] = forms.TypedChoiceField(
                label=f"{i}. {statement}", choices=choices, coerce=int, widget=forms.RadioSelect
            )

    def answers(self) -> list[int]:
        return [int(self.cleaned_data[f"s{i}"]) for i in range(1, len(rules.B18_STATEMENTS) + 1)]


class B19Form(forms.Form):
    place = forms.CharField(label=_("Tempat"), max_length=100)
    date = forms.DateField(label=_("Tanggal"), widget=date_input())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(1, B19_ROWS + 1):
            self.fields[f"kompetensi_{i}"] = forms.CharField(
                label=_("Kompetensi %(n)s") % {"n": i}, required=i == 1, max_length=200
            )
            self.fields[f"nilai_{i}"] = forms.TypedChoiceField(
                label=_("Nilai (skala 1-5)"), required=i == 1, coerce=int, empty_value=None,
                choices=[("", "–")] + [(str(n), str(n)) for n in range(1, 6)],
            )  # fmt: skip
            self.fields[f"alasan_{i}"] = forms.CharField(
                label=_("Alasan"), required=i == 1, widget=forms.Textarea(attrs={"rows": 2})
            )

    def items(self) -> list[rules.NilaiKompetensi]:
        data = self.cleaned_data
        return [
            rules.NilaiKompetensi(data[f"kompetensi_{i}"], data.get(f"nilai_{i}") or 0,
                                  data.get(f"alasan_{i}") or "")
            for i in range(1, B19_ROWS + 1)
            if data.get(f"kompetensi_{i}")
        ]  # fmt: skip


class PelatihanForm(forms.Form):
    name = forms.CharField(label=_("Nama pelatihan"), max_length=200)
    jp = forms.DecimalField(label=_("JP"), max_digits=5, decimal_places=1, min_value=0)
    mode = forms.ChoiceField(label=_("Moda"), choices=Moda.choices)
    core_values = forms.TypedMultipleChoiceField(
        label=_("Nilai BerAKHLAK yang dikembangkan"), required=False, coerce=int,
        choices=[(str(i), str(i)) for i in range(1, 8)], widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    kompetensi = forms.CharField(label=_("Kompetensi"), max_length=300, required=False)
    for_hasil = forms.BooleanField(label=_("Mengembangkan hasil kerja"), required=False)
    for_pelayanan = forms.BooleanField(label=_("Mengembangkan pelayanan publik"), required=False)


class PelatihanEditForm(PelatihanForm):
    active = forms.BooleanField(label=_("Aktif (ditawarkan dalam rekomendasi)"), required=False)


class JpForm(forms.Form):
    rencana = forms.TypedChoiceField(label=_("Dari rencana"), required=False, coerce=int,
                                     empty_value=None)  # fmt: skip
    title = forms.CharField(label=_("Kegiatan"), max_length=200, required=False)
    mode = forms.ChoiceField(label=_("Moda"), choices=[("", "–"), *Moda.choices], required=False)
    jp = forms.CharField(label=_("JP"), max_length=8, required=False)
    date = forms.DateField(label=_("Tanggal selesai"), widget=date_input())
    certificate = forms.FileField(label=_("Sertifikat (PDF atau gambar)"))


class TindakLanjutForm(forms.Form):
    evaluasi = forms.TypedChoiceField(label=_("Evaluasi"), coerce=int)
    action = forms.CharField(label=_("Tindakan"), widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("Tanggal"), widget=date_input())
