"""Forms of the SKM pages: the public questionnaire and the admin forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import JenisKelaminResponden, JenisPeriode, Pekerjaan, Pendidikan
from .public import Submission
from .schemas import POPULATION_MAX

HONEYPOT = "website"
# The questions of the questionnaire in the Lampiran of P14/2017 (wording from background
# knowledge, domain.md §12.3 [M]); the answer wording is rules.ANSWER_LABELS.
QUESTIONS = (
    "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
    "pelayanannya?",
    "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
    "dalam standar pelayanan dengan hasil yang diberikan?",
    "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
    "dan keramahan?",
    "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
    "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
)


class QuestionnaireForm(forms.Form):
    """The 9 unsur (official wording), the respondent profile, saran and petugas."""

    token = forms.CharField(widget=forms.HiddenInput)
    usia = forms.IntegerField(
        label=_("Usia (tahun)"),
        min_value=10,
        max_value=120,
        error_messages={
            "required": _("Isi usia Anda."),
            "min_value": _("Usia minimal 10 tahun."),
            "max_value": _("Usia maksimal 120 tahun."),
            "invalid": _("Usia ditulis dengan angka, mis. 34."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    jenis_kelamin = forms.ChoiceField(
        label=_("Jenis kelamin"),
        choices=JenisKelaminResponden.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih jenis kelamin.")},
    )
    pendidikan = forms.ChoiceField(
        label=_("Pendidikan terakhir"),
        choices=[("", _("Pilih pendidikan")), *Pendidikan.choices],
        error_messages={"required": _("Pilih pendidikan terakhir.")},
    )
    pekerjaan = forms.ChoiceField(
        label=_("Pekerjaan utama"),
        choices=[("", _("Pilih pekerjaan")), *Pekerjaan.choices],
        error_messages={"required": _("Pilih pekerjaan utama.")},
    )
    petugas = forms.TypedChoiceField(
        label=_("Petugas yang melayani (boleh dikosongkan)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    saran = forms.CharField(
        label=_("Saran dan masukan (boleh dikosongkan)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, petugas: list[tuple[int, str]] | None, **kwargs: Any) -> None:
        """`petugas`: the choices; None when the form is only validated before a submission
        (any pegawai id passes here; the INSERT checks that the pegawai is placed in the
        layanan's unit)."""
        super().__init__(*args, **kwargs)
        if petugas is None:
            self.fields["petugas"] = forms.IntegerField(required=False, min_value=1)
        else:
            field = self.fields["petugas"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", _("Tidak ingat / tidak memilih")), *petugas]
        self.unsur_names: list[str] = []
        for index, (code, label) in enumerate(rules.UNSUR):
            self.fields[code] = forms.TypedChoiceField(
                label=f"{code.upper()}. {label}",
                choices=[(str(v), text) for v, text in enumerate(rules.ANSWER_LABELS[index], 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=QUESTIONS[index],
                error_messages={"required": _("Pilih salah satu jawaban untuk unsur ini.")},
            )
            self.unsur_names.append(code)

    def unsur_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.unsur_names]

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            answers=tuple(int(data[name]) for name in self.unsur_names),
            usia=int(data["usia"]),
            jenis_kelamin=data["jenis_kelamin"],
            pendidikan=data["pendidikan"],
            pekerjaan=data["pekerjaan"],
            saran=data.get("saran") or "",
            petugas_id=data.get("petugas"),
        )


class LayananForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit kerja"), coerce=int)
    name = forms.CharField(label=_("Nama layanan"), max_length=200)
    code = forms.CharField(
        label=_("Kode singkat (alamat /s/kode/)"),
        max_length=40,
        help_text=_("Huruf kecil, angka dan tanda -, mis. ktp-sukamaju."),
    )
    population = forms.IntegerField(
        label=_("Populasi pengguna per periode"),
        min_value=0,
        max_value=POPULATION_MAX,  # the API's bound too
        initial=0,
    )
    active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = units


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis periode"), choices=JenisPeriode.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Ke (semester/triwulan)"), min_value=1, max_value=4)


class RtlForm(forms.Form):
    unsur = forms.TypedChoiceField(
        label=_("Unsur"),
        coerce=int,
        choices=[(i, f"U{i} {label}") for i, (_c, label) in enumerate(rules.UNSUR, 1)],
    )
    action = forms.CharField(
        label=_("Rencana tindak lanjut"), widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.TypedChoiceField(label=_("Penanggung jawab"), coerce=int)
    due_date = forms.DateField(
        label=_("Tenggat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = owners


class ImportForm(forms.Form):
    layanan = forms.TypedChoiceField(label=_("Layanan"), coerce=int)
    period = forms.CharField(label=_("Periode"), help_text=_("mis. SEMESTER-2026-1"))
    file = forms.FileField(
        label=_("File CSV atau XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, layanan: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["layanan"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = layanan
