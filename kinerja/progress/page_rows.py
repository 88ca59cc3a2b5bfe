"""The rows of the realisasi page: an RHK with its IKIs, an IKI with its entries trail and
forms, an entry with its correction and umpan balik (built by views.page_context)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats

from kinerja.plans.models import Iki, Rhk

from . import queries, rules
from .feedback_page import Threads
from .forms import KoreksiForm, RealisasiForm, RencanaAksiForm
from .models import Realisasi, RencanaAksi


def number_text(value: Decimal | None) -> str:
    """12.50 → "12,5" in Indonesian, "12.5" in English (the reader's language); None → "–"."""
    if value is None:
        return "–"
    return formats.number_format(Decimal(f"{value.normalize():f}"), use_l10n=True)


@dataclass
class EntryRow:
    entry: Realisasi
    correction: Realisasi | None  # the entry that replaced this one
    form: KoreksiForm | None
    feedback: Threads | None = None


@dataclass
class IkiRow:
    iki: Iki
    progress: queries.IkiProgress
    entries: list[EntryRow]
    rencana_aksi: list[RencanaAksi]
    form: RealisasiForm | None
    rencana_form: RencanaAksiForm | None

    @property
    def percent_text(self) -> str:
        p = self.progress.percent
        return f"{number_text(p)} %" if p is not None else "–"

    @property
    def accumulates(self) -> bool:
        """Whether the realised value is the sum of the entries (else the latest value)."""
        return rules.accumulates(self.iki.aspek, self.iki.target_unit)

    @property
    def bar(self) -> str:
        """The progress bar's value: capped at 100 (the text shows over-achievement)."""
        p = self.progress.percent
        return f"{min(p, Decimal(100)):f}" if p is not None else "0"

    @property
    def realised_text(self) -> str:
        value = number_text(self.progress.realised)
        return f"{value} {self.iki.target_unit}".strip() if value != "–" else value


@dataclass
class RhkRow:
    rhk: Rhk
    number: int
    percent: Decimal | None
    ikis: list[IkiRow] = field(default_factory=list)
    feedback: Threads | None = None

    @property
    def percent_text(self) -> str:
        return f"{number_text(self.percent)} %" if self.percent is not None else "–"
