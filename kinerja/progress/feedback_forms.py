"""Forms of umpan balik and dialog kinerja on the realisasi page (shapes only; the services in
feedback_services decide who may write what and when)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.plans.berakhlak import BERAKHLAK

from .feedback_services import TEXT_MAX
from .forms import TEXTAREA, Form

FOLLOW_UP_ROWS = 3


def _choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class UmpanBalikForm(Form):
    """A new thread: about one realisasi (its period is the entry's), one RHK or one
    BerAKHLAK core value (a period and, for perilaku, the value are chosen)."""

    text = forms.CharField(label=_("Umpan balik"), widget=TEXTAREA, max_length=TEXT_MAX)
    period = forms.TypedChoiceField(label=_("Periode"), coerce=int)
    core_value = forms.TypedChoiceField(
        label=_("Nilai dasar BerAKHLAK"),
        coerce=int,
        choices=[(v.code, f"{v.code}. {v.name}") for v in BERAKHLAK],
    )

    def __init__(
        self, *args: Any, kind: str, periods: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if kind == "REALISASI":
            del self.fields["period"]
        else:
            _choices(self.fields["period"], periods)
        if kind != "PERILAKU":
            del self.fields["core_value"]


class BalasanForm(Form):
    text = forms.CharField(label=_("Balasan"), widget=TEXTAREA, max_length=TEXT_MAX)


class DialogForm(Form):
    """Notes of a dialog kinerja and up to three follow-ups (text, due date, who)."""

    period = forms.TypedChoiceField(label=_("Periode"), coerce=int)
    held_on = forms.DateField(
        label=_("Tanggal dialog"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    notes = forms.CharField(
        label=_("Catatan dialog"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )

    def __init__(
        self,
        *args: Any,
        periods: list[tuple[int, str]],
        owners: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {}).setdefault("held_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _choices(self.fields["period"], periods)
        for n in range(1, FOLLOW_UP_ROWS + 1):
            self.fields[f"follow_up_{n}_text"] = forms.CharField(
                label=_("Tindak lanjut %(n)s (opsional)") % {"n": n},
                required=False,
                max_length=TEXT_MAX,
            )
            self.fields[f"follow_up_{n}_due"] = forms.DateField(
                label=_("Tenggat tindak lanjut %(n)s") % {"n": n},
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            self.fields[f"follow_up_{n}_owner"] = forms.TypedChoiceField(
                label=_("Penanggung jawab tindak lanjut %(n)s") % {"n": n},
                coerce=int,
                choices=owners,
                required=False,
                empty_value=None,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, FOLLOW_UP_ROWS + 1):
            text, due = data.get(f"follow_up_{n}_text"), data.get(f"follow_up_{n}_due")
            if text and not due:
                self.add_error(f"follow_up_{n}_due", _("Isi tenggat tindak lanjut ini."))
            if due and not text:
                self.add_error(f"follow_up_{n}_text", _("Tulis tindak lanjut untuk tenggat ini."))
        return data

    def follow_ups(self) -> list[tuple[int, str, Any, int | None]]:
        """(row number, text, due date, owner pegawai id or None: the pegawai) of the rows
        filled in."""
        data = self.cleaned_data
        return [
            (
                n,
                data[f"follow_up_{n}_text"],
                data[f"follow_up_{n}_due"],
                data[f"follow_up_{n}_owner"],
            )
            for n in range(1, FOLLOW_UP_ROWS + 1)
            if data.get(f"follow_up_{n}_text")
        ]
