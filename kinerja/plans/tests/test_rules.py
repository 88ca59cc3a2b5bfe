"""Pure planning rules (no database): evaluation periods, the SKP workflow, what an SKP needs
before it is submitted, the document audience line and the BerAKHLAK constants."""

from __future__ import annotations

import calendar
import dataclasses
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.plans import rules
from kinerja.plans.berakhlak import BERAKHLAK, CORE_VALUE_CODES, core_value
from kinerja.plans.rules import IkiFacts, RhkFacts

# --- periods ------------------------------------------------------------------------------


def test_triwulanan_has_four_quarters_with_their_labels() -> None:
    found = rules.periods(2025, "TRIWULANAN")
    assert [(p.number, p.label, p.start, p.end) for p in found] == [
        (1, "TRIWULAN I", date(2025, 1, 1), date(2025, 3, 31)),
        (2, "TRIWULAN II", date(2025, 4, 1), date(2025, 6, 30)),
        (3, "TRIWULAN III", date(2025, 7, 1), date(2025, 9, 30)),
        (4, "TRIWULAN IV-AKHIR", date(2025, 10, 1), date(2025, 12, 31)),
    ]


def test_bulanan_has_twelve_months_named_in_indonesian() -> None:
    found = rules.periods(2025, "BULANAN")
    assert [p.number for p in found] == list(range(1, 13))
    assert [p.label for p in found] == [
        "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI",
        "JULI", "AGUSTUS", "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER",
    ]  # fmt: skip
    assert [(p.start, p.end) for p in found[:2]] == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
    ]
    assert found[-1].end == date(2025, 12, 31)


@pytest.mark.parametrize(
    ("year", "february_end", "days"),
    [
        (2024, date(2024, 2, 29), 366),
        (2000, date(2000, 2, 29), 366),  # divisible by 400: leap
        (2100, date(2100, 2, 28), 365),  # divisible by 100 only: not leap
        (2023, date(2023, 2, 28), 365),
    ],
)
def test_leap_years(year: int, february_end: date, days: int) -> None:
    months = rules.periods(year, "BULANAN")
    assert months[1].end == february_end
    quarters = rules.periods(year, "TRIWULANAN")
    assert quarters[0].end == date(year, 3, 31)
    assert sum((p.end - p.start).days + 1 for p in quarters) == days
    assert sum((p.end - p.start).days + 1 for p in months) == days


@pytest.mark.parametrize("cadence", ["MINGGUAN", "", "triwulanan", "SEMESTERAN"])
def test_an_unknown_cadence_raises(cadence: str) -> None:
    with pytest.raises(ValueError, match="unknown cadence"):
        rules.periods(2025, cadence)


@given(
    year=st.integers(min_value=1990, max_value=2100),
    cadence=st.sampled_from(["TRIWULANAN", "BULANAN"]),
)
def test_periods_are_contiguous_and_cover_the_year_exactly(year: int, cadence: str) -> None:
    found = rules.periods(year, cadence)
    assert len(found) == (4 if cadence == "TRIWULANAN" else 12)
    assert found[0].start == date(year, 1, 1)
    assert found[-1].end == date(year, 12, 31)
    for number, period in enumerate(found, start=1):
        assert period.number == number
        assert period.start <= period.end
        assert period.start.day == 1
        assert period.end.day == calendar.monthrange(year, period.end.month)[1]
    for earlier, later in itertools.pairwise(found):
        assert later.start == earlier.end + timedelta(days=1)
    days = sum((p.end - p.start).days + 1 for p in found)
    assert days == (366 if calendar.isleap(year) else 365)


# --- workflow -----------------------------------------------------------------------------

STATUSES = ["DRAFT", "DIAJUKAN", "DISETUJUI", "DIKEMBALIKAN"]
ACTIONS = ["submit", "return", "approve"]
ALLOWED = {
    ("DRAFT", "submit"): "DIAJUKAN",
    ("DIKEMBALIKAN", "submit"): "DIAJUKAN",
    ("DIAJUKAN", "return"): "DIKEMBALIKAN",
    ("DIAJUKAN", "approve"): "DISETUJUI",
}
REFUSED = {
    ("DRAFT", "return"): "SKP yang draf tidak dapat dikembalikan.",
    ("DRAFT", "approve"): "SKP yang draf tidak dapat disetujui.",
    ("DIAJUKAN", "submit"): "SKP yang sudah diajukan tidak dapat diajukan.",
    ("DISETUJUI", "submit"): "SKP yang sudah disetujui tidak dapat diajukan.",
    ("DISETUJUI", "return"): "SKP yang sudah disetujui tidak dapat dikembalikan.",
    ("DISETUJUI", "approve"): "SKP yang sudah disetujui tidak dapat disetujui.",
    ("DIKEMBALIKAN", "return"): "SKP yang dikembalikan tidak dapat dikembalikan.",
    ("DIKEMBALIKAN", "approve"): "SKP yang dikembalikan tidak dapat disetujui.",
}


def test_every_status_action_pair_is_either_allowed_or_refused() -> None:
    pairs = {(s, a) for s in STATUSES for a in ACTIONS}
    assert set(ALLOWED) | set(REFUSED) == pairs
    assert not set(ALLOWED) & set(REFUSED)


@pytest.mark.parametrize(("pair", "after"), list(ALLOWED.items()), ids=str)
def test_allowed_transitions(pair: tuple[str, str], after: str) -> None:
    assert rules.next_status(*pair) == after


@pytest.mark.parametrize(("pair", "message"), list(REFUSED.items()), ids=str)
def test_refused_transitions_say_why_in_indonesian(pair: tuple[str, str], message: str) -> None:
    with pytest.raises(rules.TransitionRefused) as info:
        rules.next_status(*pair)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_an_unknown_action_or_status_is_refused_too() -> None:
    with pytest.raises(rules.TransitionRefused) as info:
        rules.next_status("DRAFT", "hapus")
    assert str(info.value) == "SKP yang draf tidak dapat hapus."
    with pytest.raises(rules.TransitionRefused) as info:
        rules.next_status("ARSIP", "submit")
    assert str(info.value) == "SKP yang ARSIP tidak dapat diajukan."


def test_editable_statuses() -> None:
    assert frozenset({"DRAFT", "DIKEMBALIKAN"}) == rules.EDITABLE


# --- submission problems ------------------------------------------------------------------


def kuantitatif_iki(**changes: object) -> IkiFacts:
    iki = IkiFacts(
        text="Jumlah posyandu terlaksana",
        aspek="KUANTITAS",
        target_value=Decimal(12),
        target_unit="kegiatan",
        target_narrative="",
        perspektif="",
    )
    return dataclasses.replace(iki, **changes)  # type: ignore[arg-type]


def kualitatif_iki(**changes: object) -> IkiFacts:
    iki = IkiFacts(
        text="Posyandu berjalan",
        aspek="",
        target_value=None,
        target_unit="",
        target_narrative="Seluruh posyandu aktif setiap bulan",
        perspektif="",
    )
    return dataclasses.replace(iki, **changes)  # type: ignore[arg-type]


def rhk(
    number: int = 1, jenis: str = "UTAMA", linked: bool = True, ikis: list[IkiFacts] | None = None
) -> RhkFacts:
    return RhkFacts(
        number=number,
        jenis=jenis,
        text="Meningkatnya layanan kesehatan primer",
        linked=linked,
        ikis=[kuantitatif_iki()] if ikis is None else ikis,
    )


def problems(
    rhks: list[RhkFacts],
    *,
    pendekatan: str = "KUANTITATIF",
    is_jpt: bool = False,
    has_rater: bool = True,
) -> list[str]:
    return rules.submission_problems(
        pendekatan=pendekatan, is_jpt=is_jpt, has_rater=has_rater, rhks=rhks
    )


def test_a_complete_skp_has_no_problems() -> None:
    assert problems([rhk(1), rhk(2, jenis="TAMBAHAN", linked=False)]) == []
    kualitatif = [rhk(1, ikis=[kualitatif_iki()])]
    assert problems(kualitatif, pendekatan="KUALITATIF") == []
    jpt = [rhk(1, linked=False, ikis=[kuantitatif_iki(perspektif="PENERIMA_LAYANAN")])]
    assert problems(jpt, is_jpt=True, has_rater=False) == []


def test_an_skp_without_utama() -> None:
    assert problems([rhk(1, jenis="TAMBAHAN", linked=False)]) == [
        "SKP harus memiliki minimal satu Rencana Hasil Kerja Utama."
    ]
    assert problems([]) == ["SKP harus memiliki minimal satu Rencana Hasil Kerja Utama."]


def test_an_rhk_without_iki() -> None:
    assert problems([rhk(1), rhk(2, ikis=[])]) == [
        "RHK Utama 2 belum memiliki Indikator Kinerja Individu."
    ]


def test_an_utama_not_linked_for_a_non_jpt_with_a_rater() -> None:
    assert problems([rhk(1, linked=False)]) == [
        "RHK Utama 1 harus dikaitkan dengan Rencana Hasil Kerja pimpinan yang diintervensi."
    ]


def test_linking_is_not_needed_for_jpt_without_rater_or_for_tambahan() -> None:
    unlinked_jpt = [rhk(1, linked=False, ikis=[kuantitatif_iki(perspektif="ANGGARAN")])]
    assert problems(unlinked_jpt, is_jpt=True) == []
    assert problems([rhk(1, linked=False)], has_rater=False) == []
    assert problems([rhk(1), rhk(2, jenis="TAMBAHAN", linked=False)]) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"aspek": ""}, "RHK Utama 1, IKI 1: aspek (Kuantitas/Kualitas/Waktu/Biaya) wajib diisi."),
        ({"target_value": None}, "RHK Utama 1, IKI 1: target angka dan satuannya wajib diisi."),
        ({"target_unit": ""}, "RHK Utama 1, IKI 1: target angka dan satuannya wajib diisi."),
        ({"target_unit": "   "}, "RHK Utama 1, IKI 1: target angka dan satuannya wajib diisi."),
        ({"text": "  "}, "RHK Utama 1, IKI 1: indikator belum diisi."),
    ],
    ids=["aspek", "target value", "unit", "blank unit", "indikator"],
)
def test_kuantitatif_iki_problems(change: dict[str, object], message: str) -> None:
    assert problems([rhk(1, ikis=[kuantitatif_iki(**change)])]) == [message]


def test_a_zero_target_is_a_target() -> None:
    assert problems([rhk(1, ikis=[kuantitatif_iki(target_value=Decimal(0))])]) == []


def test_kualitatif_needs_a_narrative_and_nothing_quantitative() -> None:
    assert problems([rhk(1, ikis=[kualitatif_iki()])], pendekatan="KUALITATIF") == []
    blank = [rhk(1, ikis=[kualitatif_iki(target_narrative=" ")])]
    assert problems(blank, pendekatan="KUALITATIF") == [
        "RHK Utama 1, IKI 1: target naratif wajib diisi (pendekatan kualitatif)."
    ]


def test_jpt_needs_a_perspektif_on_every_iki() -> None:
    ikis = [kuantitatif_iki(perspektif="PROSES_BISNIS"), kuantitatif_iki()]
    assert problems([rhk(1, linked=False, ikis=ikis)], is_jpt=True, has_rater=False) == [
        "RHK Utama 1, IKI 2: perspektif wajib diisi untuk SKP JPT."
    ]
    assert problems([rhk(1, ikis=[kuantitatif_iki()])]) == []  # not JPT: no perspektif


def test_problems_are_numbered_and_all_listed() -> None:
    found = problems(
        [
            rhk(1, linked=False, ikis=[kuantitatif_iki(), kuantitatif_iki(aspek="")]),
            rhk(2, ikis=[]),
        ]
    )
    assert found == [
        "RHK Utama 1 harus dikaitkan dengan Rencana Hasil Kerja pimpinan yang diintervensi.",
        "RHK Utama 1, IKI 2: aspek (Kuantitas/Kualitas/Waktu/Biaya) wajib diisi.",
        "RHK Utama 2 belum memiliki Indikator Kinerja Individu.",
    ]


def test_tambahan_is_named_by_its_own_section() -> None:
    found = problems([rhk(1), rhk(1, jenis="TAMBAHAN", linked=False, ikis=[])])
    assert found == ["RHK Tambahan 1 belum memiliki Indikator Kinerja Individu."]


# --- document audience --------------------------------------------------------------------


def test_document_audience() -> None:
    assert (
        rules.document_audience("JPT")
        == "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
    )
    for jenis in ["ADMINISTRATOR", "PENGAWAS", "PELAKSANA", "FUNGSIONAL"]:
        assert rules.document_audience(jenis) == "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"


# --- BerAKHLAK ----------------------------------------------------------------------------


def test_berakhlak_has_seven_values_in_order() -> None:
    assert [v.code for v in BERAKHLAK] == [1, 2, 3, 4, 5, 6, 7]
    assert [v.name for v in BERAKHLAK] == [
        "Berorientasi Pelayanan",
        "Akuntabel",
        "Kompeten",
        "Harmonis",
        "Loyal",
        "Adaptif",
        "Kolaboratif",
    ]
    assert frozenset(range(1, 8)) == CORE_VALUE_CODES
    assert all(len(v.guides) == 3 for v in BERAKHLAK)
    assert len({g for v in BERAKHLAK for g in v.guides}) == 21


def test_berakhlak_guide_wording_matches_the_official_form() -> None:
    """Spot-check against ../shared/domain.md §4.6."""
    assert core_value(1).guides == (
        "Memahami dan memenuhi kebutuhan masyarakat",
        "Ramah, cekatan, solutif, dan dapat diandalkan",
        "Melakukan perbaikan tiada henti",
    )
    assert core_value(2).guides[0] == (
        "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin dan berintegritas"
        " tinggi"
    )
    assert core_value(5).guides[0] == (
        "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun"
        " 1945, setia kepada Negara Kesatuan Republik Indonesia serta pemerintahan yang sah"
    )
    assert core_value(5).guides[1] == "Menjaga nama baik sesama ASN, Pimpinan, Instansi, dan Negara"
    assert core_value(6).guides[2] == "Bertindak proaktif"
    assert core_value(7).guides[2] == (
        "Menggerakkan pemanfaatan berbagai sumberdaya untuk tujuan bersama"
    )


@pytest.mark.parametrize("code", [0, 8, -1])
def test_an_unknown_core_value_raises(code: int) -> None:
    with pytest.raises(KeyError):
        core_value(code)
