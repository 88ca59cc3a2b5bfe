"""Forms of the SKP pages. They check shapes only; the services decide what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.org.models import Pegawai

from .models import Arah, Aspek, JenisLampiran, JenisRhk, Pendekatan, Perspektif, Rhk

TEXTAREA = forms.Textarea(attrs={"rows": 2})


class Form(forms.Form):
    """Labels without the trailing colon (Pico puts them above the field)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def year_choices(current: int) -> list[tuple[int, str]]:
    """The years an SKP may be started for (the service allows last, this and next year)."""
    return [(y, str(y)) for y in (current - 1, current, current + 1)]


class SkpCreateForm(Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int)
    pendekatan = forms.ChoiceField(
        label=_("Pendekatan hasil kerja"),
        choices=Pendekatan.choices,
        initial=Pendekatan.KUANTITATIF,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, current_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = year_choices(current_year)
        field.initial = current_year


class PendekatanForm(Form):
    pendekatan = forms.ChoiceField(label=_("Pendekatan hasil kerja"), choices=Pendekatan.choices)


class RhkForm(Form):
    """An RHK. `parent` lists the rater's RHKs; the service checks any id that comes back."""

    jenis = forms.ChoiceField(
        label=_("Jenis"), choices=JenisRhk.choices, initial=JenisRhk.UTAMA, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Rencana hasil kerja"), widget=TEXTAREA, max_length=2000)
    # Any id is let through (a select, not a choice field): the service refuses RHKs of
    # anyone but the rater, with its own message.
    parent = forms.IntegerField(label=_("RHK pimpinan yang diintervensi"), required=False)
    source = forms.CharField(
        label=_("Penugasan dari (untuk RHK tambahan)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, linkable: list[Rhk], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not linkable:
            del self.fields["parent"]
            return
        choices = [("", _("— tidak ada —"))] + [(r.pk, r.text[:120]) for r in linkable]
        self.fields["parent"].widget = forms.Select(choices=choices)

    @classmethod
    def initial_for(cls, rhk: Rhk) -> dict[str, Any]:
        return {"jenis": rhk.jenis, "text": rhk.text, "parent": rhk.parent_id, "source": rhk.source}


class IkiForm(Form):
    """An IKI. Kuantitatif: aspek, number and satuan; kualitatif: a narrative target. JPT: with
    perspektif."""

    aspek = forms.ChoiceField(label=_("Aspek"), choices=[("", "—"), *Aspek.choices])
    text = forms.CharField(label=_("Indikator kinerja individu"), widget=TEXTAREA, max_length=2000)
    target_value = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target_unit = forms.CharField(
        label=_("Satuan"),
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": _("mis. dokumen, kegiatan, %")}),
    )
    direction = forms.ChoiceField(label=_("Arah"), choices=Arah.choices, initial=Arah.NAIK)
    baseline = forms.DecimalField(
        label=_("Nilai awal (baseline, opsional)"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    target_narrative = forms.CharField(
        label=_("Ukuran keberhasilan dan target"), widget=TEXTAREA, max_length=4000
    )
    perspektif = forms.ChoiceField(label=_("Perspektif"), choices=[("", "—"), *Perspektif.choices])

    QUANTITATIVE = ("aspek", "target_value", "target_unit", "direction", "baseline")

    def __init__(self, *args: Any, pendekatan: str, is_jpt: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        drop = ["target_narrative"] if pendekatan == Pendekatan.KUANTITATIF else self.QUANTITATIVE
        for name in drop:
            del self.fields[name]
        if not is_jpt:
            del self.fields["perspektif"]

    def values(self) -> dict[str, Any]:
        """What `services.iki_save` takes."""
        values = dict(self.cleaned_data)
        for name in ("target_value", "baseline"):
            if isinstance(values.get(name), Decimal):
                values[name] = str(values[name])
        return values


class LampiranForm(Form):
    kind = forms.ChoiceField(label=_("Bagian"), choices=JenisLampiran.choices)
    text = forms.CharField(label=_("Isi"), widget=TEXTAREA, max_length=2000)


class EkspektasiForm(Form):
    text = forms.CharField(
        label=_("Ekspektasi khusus pimpinan"),
        widget=TEXTAREA,
        max_length=2000,
        required=False,
        help_text=_("Kosongkan untuk menghapus."),
    )


class ReturnForm(Form):
    note = forms.CharField(
        label=_("Catatan pengembalian"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Catatan pengembalian wajib diisi.")},
    )


class CascadeForm(Form):
    """Matriks peran hasil: tick the subordinates who get this RHK; each text may be reworded."""

    bawahan = forms.TypedMultipleChoiceField(
        label=_("Bawahan"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih minimal satu bawahan.")},
    )

    def __init__(self, *args: Any, subordinates: list[Pegawai], rhk: Rhk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.subordinates = subordinates
        field = self.fields["bawahan"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(p.pk, p.display_name) for p in subordinates]
        for p in subordinates:
            self.fields[f"teks_{p.pk}"] = forms.CharField(
                label=_("Rencana hasil kerja untuk %(name)s") % {"name": p.display_name},
                widget=TEXTAREA,
                max_length=2000,
                required=False,
                initial=rhk.text,
            )

    def rows(self, statuses: dict[int, str]) -> list[tuple[Pegawai, bool, forms.BoundField, str]]:
        """(pegawai, ticked, text field, status of their SKP) for the template."""
        ticked = {str(v) for v in (self["bawahan"].value() or [])}
        return [
            (p, str(p.pk) in ticked, self[f"teks_{p.pk}"], statuses.get(p.pk, ""))
            for p in self.subordinates
        ]

    def assignments(self) -> list[tuple[Pegawai, str]]:
        chosen = set(self.cleaned_data["bawahan"])
        return [
            (p, self.cleaned_data.get(f"teks_{p.pk}", ""))
            for p in self.subordinates
            if p.pk in chosen
        ]
