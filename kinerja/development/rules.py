"""Pure rules of the tindak lanjut (follow-up) area: early-warning triggers, Format B.1.8 and
B.1.9, JP arithmetic against the 20 JP entitlement, training recommendations, penghargaan
candidates and coaching outcomes (../shared/domain.md §5 and §10). No Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kinerja.assessments import rules as penilaian
from kinerja.core.text import Text

# --- early warning ---------------------------------------------------------------------------

PROGRES_RENDAH = "PROGRES_RENDAH"
REALISASI_KOSONG = "REALISASI_KOSONG"
PREDIKAT_RENDAH = "PREDIKAT_RENDAH"
REASONS = (PROGRES_RENDAH, REALISASI_KOSONG, PREDIKAT_RENDAH)
REASON_LABELS = {
    PROGRES_RENDAH: "Progres di bawah ekspektasi prorata",
    REALISASI_KOSONG: "Realisasi periode yang sudah berakhir kosong",
    PREDIKAT_RENDAH: "Predikat periodik Butuh Perbaikan atau lebih rendah",
}
DEFAULT_THRESHOLD = 80  # percent of the prorated expectation
WEAK_PREDIKAT = frozenset({penilaian.BUTUH_PERBAIKAN, penilaian.KURANG, penilaian.SANGAT_KURANG})
_RANK = {p: len(penilaian.PREDIKAT) - i for i, p in enumerate(penilaian.PREDIKAT)}


@dataclass(frozen=True)
class Trigger:
    reason: str
    data: dict[str, str]


def mean_progress(percents: Sequence[Decimal | None]) -> Decimal | None:
    """The progress of an SKP: the mean of its quantitative IKIs' percentages (None, nothing
    realised or undefined, counts as 0 %), rounded half up to 2 places; None without any."""
    if not percents:
        return None
    values = [p if p is not None else Decimal(0) for p in percents]
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def progress_behind(progress: Decimal | None, expected: Decimal, threshold: int) -> bool:
    """Progress (percent of the yearly target) under `threshold` percent of the prorated
    expectation. No progress at all counts as 0 %. Exact: 100·progress < threshold·expected."""
    if not 1 <= threshold <= 100:
        raise ValueError("threshold harus 1..100")
    value = Fraction(progress) if progress is not None else Fraction(0)
    return 100 * value < threshold * Fraction(expected)


def realisasi_missing(period_end: date, today: date, entries: int) -> bool:
    """A period that has ended (strictly before today) without any entry in force."""
    return period_end < today and entries == 0


def predikat_weak(predikat: str) -> bool:
    if predikat and predikat not in penilaian.PREDIKAT:
        raise ValueError(f"predikat tidak dikenal: {predikat!r}")
    return predikat in WEAK_PREDIKAT


def triggers(
    *,
    progress: Decimal | None,
    expected: Decimal,
    threshold: int,
    period_label: str,
    period_end: date,
    today: date,
    entries: int,
    predikat: str,
) -> list[Trigger]:
    """Every early-warning reason that holds for one pegawai and one period."""
    found = []
    if progress_behind(progress, expected, threshold):
        shown = "0.00" if progress is None else f"{progress:.2f}"
        found.append(
            Trigger(
                PROGRES_RENDAH,
                {"progres": shown, "ekspektasi": f"{expected:.2f}", "ambang": str(threshold)},
            )
        )
    if realisasi_missing(period_end, today, entries):
        found.append(
            Trigger(REALISASI_KOSONG, {"periode": period_label, "berakhir": period_end.isoformat()})
        )
    if predikat_weak(predikat):
        found.append(
            Trigger(
                PREDIKAT_RENDAH,
                {"periode": period_label, "predikat": penilaian.PREDIKAT_LABELS[predikat]},
            )
        )
    return found


def outcome(before: str, after: str) -> str | None:
    """Did the predikat of the next period improve after coaching? None until it is known."""
    if not before or not after:
        return None
    if _RANK[after] > _RANK[before]:
        return "MEMBAIK"
    if _RANK[after] < _RANK[before]:
        return "MEMBURUK"
    return "TETAP"


# --- Format B.1.8 (umpan balik pelaksanaan bimbingan kinerja) --------------------------------

B18_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Tentang Pegawai",
        (
            "Saya merasa diperhatikan dan dipahami",
            "Saya merasa tindakan/langkah yang telah saya lakukan dihargai",
            "Saya merasa dapat dengan bebas mengemukakan pendapat/pemikiran saya",
        ),
    ),
    (
        "Tentang Pimpinan/pihak lain yang diberikan penugasan khusus",
        (
            "Pandangan yang diberikan berdasarkan data/fakta yang akurat",
            "Pandangan/pendapat yang diberikan kepada saya bersifat positif",
            "Lebih banyak menggunakan metode bertanya dibandingkan menggurui",
        ),
    ),
    (
        "Tentang Pegawai dan Pimpinan/pihak lain",
        (
            "Saya merasa dibantu dalam mencari solusi dan aksi tindak lanjut",
            "Saya tahu apa yang harus saya lakukan setelah mengikuti kegiatan bimbingan kinerja"
            " ini",
            "Saya memahami maksud dan tujuan kegiatan bimbingan kinerja ini",
        ),
    ),
)
B18_STATEMENTS: tuple[str, ...] = tuple(s for _group, items in B18_GROUPS for s in items)
# Project decision: the Lampiran excerpt does not show B.1.8's answer scale; a 4-point agreement
# scale without a neutral middle is used (docs/development.md).
B18_SCALE = {1: "Tidak setuju", 2: "Kurang setuju", 3: "Setuju", 4: "Sangat setuju"}


def check_b18(answers: Sequence[int]) -> list[int]:
    if len(answers) != len(B18_STATEMENTS):
        raise ValueError(
            Text(
                "Jawab ke-%(count)s pernyataan Format B.1.8.",
                count=len(B18_STATEMENTS),
            )
        )
    for number, value in enumerate(answers, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or value not in B18_SCALE:
            raise ValueError(Text("Jawaban pernyataan %(number)s harus 1 sampai 4.", number=number))
    return list(answers)


# --- Format B.1.9 (evaluasi kompetensi pegawai) ----------------------------------------------

B19_MIN, B19_MAX = 1, 5


@dataclass(frozen=True)
class NilaiKompetensi:
    kompetensi: str
    nilai: int
    alasan: str


def check_b19(items: Iterable[NilaiKompetensi]) -> list[NilaiKompetensi]:
    rows = list(items)
    if not rows:
        raise ValueError(Text("Isi minimal satu kompetensi pegawai."))
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        name = row.kompetensi.strip()
        if not name:
            raise ValueError(Text("Baris %(number)s: nama kompetensi wajib diisi.", number=number))
        if name.casefold() in seen:
            raise ValueError(
                Text(
                    "Baris %(number)s: kompetensi %(name)r sudah dinilai.", number=number, name=name
                )
            )
        seen.add(name.casefold())
        if isinstance(row.nilai, bool) or not B19_MIN <= row.nilai <= B19_MAX:
            raise ValueError(Text("Baris %(number)s: nilai harus 1 sampai 5.", number=number))
        if not row.alasan.strip():
            raise ValueError(
                Text("Baris %(number)s: alasan terhadap nilai wajib diisi.", number=number)
            )
    return rows


# --- JP (jam pelajaran) ----------------------------------------------------------------------

JP_ENTITLEMENT = Decimal(20)
JP_MAX_ENTRY = Decimal(500)


def check_jp(jp: Decimal) -> Decimal:
    if not jp.is_finite() or jp <= 0:
        raise ValueError(Text("JP harus lebih dari 0."))
    if jp > JP_MAX_ENTRY:
        raise ValueError(Text("JP satu kegiatan paling banyak %(max)s.", max=JP_MAX_ENTRY))
    if (jp * 2) % 1 != 0:
        raise ValueError(Text("JP dicatat per setengah jam pelajaran (mis. 2 atau 2,5)."))
    return jp


@dataclass(frozen=True)
class JpSummary:
    total: Decimal
    target: Decimal
    shortfall: Decimal  # 0 when met
    met: bool
    by_mode: dict[str, Decimal]


def jp_summary(
    entries: Iterable[tuple[str, Decimal]], target: Decimal = JP_ENTITLEMENT
) -> JpSummary:
    """Total JP of a pegawai's year (mode, jp) against the entitlement; surplus is not carried."""
    by_mode: dict[str, Decimal] = {}
    total = Decimal(0)
    for mode, jp in entries:
        total += jp
        by_mode[mode] = by_mode.get(mode, Decimal(0)) + jp
    shortfall = max(Decimal(0), target - total)
    tenth = Decimal("0.1")  # JP are kept to one decimal; one representation on every database
    return JpSummary(
        total.quantize(tenth),
        target.quantize(tenth),
        shortfall.quantize(tenth),
        shortfall == 0,
        {mode: jp.quantize(tenth) for mode, jp in by_mode.items()},
    )


# --- recommendations -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueItem:
    id: int
    name: str
    core_values: frozenset[int]
    for_hasil: bool  # develops work results (manajemen waktu, kepemimpinan, ...)
    for_pelayanan: bool  # develops service to the public (answers weak SKM feedback)


@dataclass(frozen=True)
class Weakness:
    hasil: bool = False  # rating hasil Di Bawah Ekspektasi
    core_values: frozenset[int] = frozenset()  # perilaku: values rated/fed back Di Bawah
    skm: bool = False  # SKM feedback about the petugas below mutu B


SKM_WEAK_BELOW = Decimal("76.61")  # under mutu B (domain.md project decisions)
SKM_STRONG_FROM = Decimal("88.31")  # mutu A


def weak_values_360(counts: Mapping[int, Mapping[str, int]]) -> frozenset[int]:
    """Core values where Di Bawah is the most frequent 360 answer (ties count as weak)."""
    weak = set()
    for value, tally in counts.items():
        below = tally.get(penilaian.DI_BAWAH, 0)
        if below and below >= max(tally.values()):
            weak.add(value)
    return frozenset(weak)


def recommend(weakness: Weakness, catalogue: Iterable[CatalogueItem]) -> list[tuple[int, str]]:
    """Catalogue items that answer a weakness, each with the reason (catalogue order)."""
    picked = []
    for item in catalogue:
        reasons = []
        if weakness.hasil and item.for_hasil:
            reasons.append("rating hasil kerja di bawah ekspektasi")
        values = sorted(item.core_values & weakness.core_values)
        if values:
            reasons.append("perilaku di bawah ekspektasi pada nilai " + ", ".join(map(str, values)))
        if weakness.skm and item.for_pelayanan:
            reasons.append("umpan balik SKM tentang petugas di bawah mutu B")
        if reasons:
            picked.append((item.id, "; ".join(reasons)))
    return picked


# --- penghargaan -----------------------------------------------------------------------------

SANGAT_BAIK = "SANGAT_BAIK"
BAIK_KONSISTEN = "BAIK_KONSISTEN"
SKM_KUAT = "SKM_KUAT"
CANDIDATE_LABELS = {
    SANGAT_BAIK: "Predikat Sangat Baik",
    BAIK_KONSISTEN: "Baik secara konsisten",
    SKM_KUAT: "Umpan balik SKM kuat (mutu A)",
}
CONSISTENT_MIN_PERIODS = 2


def candidate_reasons(
    annual: str, periodic: Sequence[str], skm_konversi: Decimal | None
) -> list[str]:
    """Why a pegawai is a penghargaan candidate: a Sangat Baik (annual, or the latest periodic
    when there is no annual yet); Baik or better in every final period (at least 2) with no
    weak one; SKM feedback about them at mutu A."""
    reasons = []
    latest = annual or (periodic[-1] if periodic else "")
    if latest == penilaian.SANGAT_BAIK:
        reasons.append(SANGAT_BAIK)
    good = {penilaian.SANGAT_BAIK, penilaian.BAIK}
    if (
        SANGAT_BAIK not in reasons
        and len(periodic) >= CONSISTENT_MIN_PERIODS
        and all(p in good for p in periodic)
        and (not annual or annual in good)
    ):
        reasons.append(BAIK_KONSISTEN)
    if skm_konversi is not None and skm_konversi >= SKM_STRONG_FROM:
        reasons.append(SKM_KUAT)
    return reasons


# --- follow-up records (domain.md §10) -------------------------------------------------------

FOLLOW_UP_PREDIKAT = frozenset({penilaian.KURANG, penilaian.SANGAT_KURANG})
