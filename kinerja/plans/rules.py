"""Pure planning rules: periods, SKP workflow transitions, and what an SKP needs before it is
submitted (P6/2022 via ../shared/domain.md §4 and §11.1). No Django imports."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from kinerja.core.text import Text


def gettext_noop(message: str) -> str:
    """Marks a message for makemessages without importing Django: the service that turns the
    refusal into a ServiceError translates it (gettext at raise time)."""
    return message


QUARTER_LABELS = ("TRIWULAN I", "TRIWULAN II", "TRIWULAN III", "TRIWULAN IV-AKHIR")
MONTH_NAMES = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    number: int
    label: str
    start: date
    end: date


def periods(year: int, cadence: str) -> list[Period]:
    """The periodic evaluation periods of a performance year (1 Jan–31 Dec)."""
    if cadence == "TRIWULANAN":
        return [
            Period(q + 1, QUARTER_LABELS[q], date(year, 3 * q + 1, 1),
                   date(year, 3 * q + 3, calendar.monthrange(year, 3 * q + 3)[1]))
            for q in range(4)
        ]  # fmt: skip
    if cadence == "BULANAN":
        return [
            Period(m, MONTH_NAMES[m - 1].upper(), date(year, m, 1),
                   date(year, m, calendar.monthrange(year, m)[1]))
            for m in range(1, 13)
        ]  # fmt: skip
    raise ValueError(f"unknown cadence {cadence!r}")


# --- workflow ------------------------------------------------------------------------------

DRAFT, DIAJUKAN, DISETUJUI, DIKEMBALIKAN = "DRAFT", "DIAJUKAN", "DISETUJUI", "DIKEMBALIKAN"
EDITABLE = frozenset({DRAFT, DIKEMBALIKAN})

_TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "submit"): DIAJUKAN,
    (DIKEMBALIKAN, "submit"): DIAJUKAN,
    (DIAJUKAN, "return"): DIKEMBALIKAN,
    (DIAJUKAN, "approve"): DISETUJUI,
}
_ACTION_LABELS = {
    "submit": gettext_noop("diajukan"),
    "return": gettext_noop("dikembalikan"),
    "approve": gettext_noop("disetujui"),
}
_STATUS_LABELS = {
    DRAFT: gettext_noop("draf"),
    DIAJUKAN: gettext_noop("sudah diajukan"),
    DISETUJUI: gettext_noop("sudah disetujui"),
    DIKEMBALIKAN: gettext_noop("dikembalikan"),
}


TRANSITION_REFUSED = gettext_noop("SKP yang %(status)s tidak dapat %(action)s.")


class TransitionRefused(ValueError):
    """The SKP's status and the refused action, as their (untranslated) labels."""

    def __init__(self, status: str, action: str) -> None:
        super().__init__(TRANSITION_REFUSED % {"status": status, "action": action})
        self.status = status
        self.action = action


def next_status(current: str, action: str) -> str:
    try:
        return _TRANSITIONS[(current, action)]
    except KeyError:
        raise TransitionRefused(
            _STATUS_LABELS.get(current, current), _ACTION_LABELS.get(action, action)
        ) from None


# --- completeness before submission --------------------------------------------------------


@dataclass(frozen=True)
class IkiFacts:
    text: str
    aspek: str
    target_value: Decimal | None
    target_unit: str
    target_narrative: str
    perspektif: str


@dataclass(frozen=True)
class RhkFacts:
    number: int
    jenis: str  # UTAMA / TAMBAHAN
    text: str
    linked: bool
    ikis: list[IkiFacts] = field(default_factory=list)


def submission_problems(
    *, pendekatan: str, is_jpt: bool, has_rater: bool, rhks: list[RhkFacts]
) -> list[str]:
    """Everything that keeps an SKP from being submitted, in plain Indonesian (Text: the service
    translates them for the reader)."""
    problems: list[str] = []
    if not any(r.jenis == "UTAMA" for r in rhks):
        problems.append(Text("SKP harus memiliki minimal satu Rencana Hasil Kerja Utama."))
    for rhk in rhks:
        # Numbered per section, as the SKP page and documents show them (A. UTAMA, B. TAMBAHAN).
        name = f"RHK {'Utama' if rhk.jenis == 'UTAMA' else 'Tambahan'} {rhk.number}"
        if not rhk.ikis:
            problems.append(Text("%(rhk)s belum memiliki Indikator Kinerja Individu.", rhk=name))
        if rhk.jenis == "UTAMA" and not is_jpt and has_rater and not rhk.linked:
            problems.append(
                Text(
                    "%(rhk)s harus dikaitkan dengan Rencana Hasil Kerja pimpinan "
                    "yang diintervensi.",
                    rhk=name,
                )
            )
        for index, iki in enumerate(rhk.ikis, start=1):
            label = f"{name}, IKI {index}"
            if not iki.text.strip():
                problems.append(Text("%(iki)s: indikator belum diisi.", iki=label))
            if pendekatan == "KUANTITATIF":
                if not iki.aspek:
                    problems.append(
                        Text(
                            "%(iki)s: aspek (Kuantitas/Kualitas/Waktu/Biaya) wajib diisi.",
                            iki=label,
                        )
                    )
                if iki.target_value is None or not iki.target_unit.strip():
                    problems.append(
                        Text("%(iki)s: target angka dan satuannya wajib diisi.", iki=label)
                    )
            elif not iki.target_narrative.strip():
                problems.append(
                    Text("%(iki)s: target naratif wajib diisi (pendekatan kualitatif).", iki=label)
                )
            if is_jpt and not iki.perspektif:
                problems.append(Text("%(iki)s: perspektif wajib diisi untuk SKP JPT.", iki=label))
    return problems


def document_audience(jenis_jabatan: str) -> str:
    """The audience line of the SKP title (§11.1)."""
    if jenis_jabatan == "JPT":
        return "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
    return "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
