"""The pure tindak lanjut rules: each trigger at its boundary, B.1.8/B.1.9 checks, JP arithmetic
against 20 JP, recommendations, penghargaan candidates and coaching outcomes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .. import rules

D = Decimal


# --- triggers -------------------------------------------------------------------------------


def test_progress_is_behind_strictly_under_the_threshold_share_of_the_expectation() -> None:
    # 80 % of an expectation of 50 % is 40 %: 39.99 is behind, 40.00 is not (no rounding).
    assert rules.progress_behind(D("39.99"), D("50"), 80)
    assert not rules.progress_behind(D("40.00"), D("50"), 80)
    assert not rules.progress_behind(D("120"), D("50"), 80)
    assert rules.progress_behind(None, D("0.27"), 80)  # nothing realised counts as 0 %
    assert not rules.progress_behind(None, D("0"), 80)  # nothing expected yet
    assert rules.progress_behind(D("49.99"), D("50"), 100)


@pytest.mark.parametrize("threshold", [0, 101, -5])
def test_a_threshold_outside_1_to_100_is_refused(threshold: int) -> None:
    with pytest.raises(ValueError):
        rules.progress_behind(D("10"), D("50"), threshold)


@given(
    st.decimals(min_value=0, max_value=200, places=2),
    st.decimals(min_value=0, max_value=100, places=2),
    st.integers(min_value=1, max_value=100),
)
def test_behind_is_monotone_in_progress(progress: Decimal, expected: Decimal, t: int) -> None:
    if rules.progress_behind(progress, expected, t):
        assert rules.progress_behind(progress - D("0.01"), expected, t) or progress == 0
    else:
        assert not rules.progress_behind(progress + D("0.01"), expected, t)


def test_missing_realisasi_only_after_the_period_has_ended() -> None:
    end = date(2026, 3, 31)
    assert rules.realisasi_missing(end, date(2026, 4, 1), 0)
    assert not rules.realisasi_missing(end, date(2026, 3, 31), 0)  # last day: still open
    assert not rules.realisasi_missing(end, date(2026, 4, 1), 1)


@pytest.mark.parametrize(
    ("predikat", "weak"),
    [("SANGAT_BAIK", False), ("BAIK", False), ("BUTUH_PERBAIKAN", True), ("KURANG", True),
     ("SANGAT_KURANG", True), ("", False)],
)  # fmt: skip
def test_butuh_perbaikan_or_worse_is_weak(predikat: str, weak: bool) -> None:
    assert rules.predikat_weak(predikat) is weak


def test_an_unknown_predikat_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.predikat_weak("CUKUP")


def test_triggers_carry_the_data_behind_them() -> None:
    found = rules.triggers(
        progress=D("4.17"), expected=D("24.66"), threshold=80, period_label="TRIWULAN I",
        period_end=date(2026, 3, 31), today=date(2026, 4, 2), entries=0,
        predikat="BUTUH_PERBAIKAN",
    )  # fmt: skip
    assert [t.reason for t in found] == [
        rules.PROGRES_RENDAH,
        rules.REALISASI_KOSONG,
        rules.PREDIKAT_RENDAH,
    ]
    assert found[0].data == {"progres": "4.17", "ekspektasi": "24.66", "ambang": "80"}
    assert found[1].data == {"periode": "TRIWULAN I", "berakhir": "2026-03-31"}
    assert found[2].data == {"periode": "TRIWULAN I", "predikat": "Butuh Perbaikan"}
    calm = rules.triggers(
        progress=D("30"), expected=D("24.66"), threshold=80, period_label="TRIWULAN I",
        period_end=date(2026, 3, 31), today=date(2026, 4, 2), entries=3, predikat="BAIK",
    )  # fmt: skip
    assert calm == []


@pytest.mark.parametrize(
    ("percents", "mean"),
    [
        ([], None),  # no quantitative IKI
        ([None], "0.00"),  # nothing realised counts as 0 %
        (["8.33", None], "4.17"),  # 4.165, half up
        (["100.00", "50.00", None], "50.00"),
        (["0.01", "0.00"], "0.01"),  # 0.005, half up
        (["200.00", "200.00", "199.99"], "200.00"),  # 199.996...
    ],
)
def test_mean_progress_counts_nothing_as_zero_and_rounds_half_up(
    percents: list[str | None], mean: str | None
) -> None:
    values = [None if p is None else D(p) for p in percents]
    assert rules.mean_progress(values) == (None if mean is None else D(mean))


@given(st.lists(st.none() | st.decimals(min_value=0, max_value=200, places=2), min_size=1))
def test_mean_progress_is_the_exact_mean_rounded_half_up(percents: list[Decimal | None]) -> None:
    exact = Fraction(sum(Fraction(p or 0) for p in percents), len(percents))
    cents = exact * 100
    whole = int(cents)  # non-negative: floor
    rounded = whole + (1 if cents - whole >= Fraction(1, 2) else 0)
    assert rules.mean_progress(percents) == D(rounded) / 100


def test_outcome_compares_the_predikat_before_and_after() -> None:
    assert rules.outcome("BUTUH_PERBAIKAN", "BAIK") == "MEMBAIK"
    assert rules.outcome("BAIK", "KURANG") == "MEMBURUK"
    assert rules.outcome("BAIK", "BAIK") == "TETAP"
    assert rules.outcome("BAIK", "") is None and rules.outcome("", "BAIK") is None


# --- B.1.8 / B.1.9 ----------------------------------------------------------------------------


def test_b18_has_the_nine_statements_of_the_lampiran_in_three_groups() -> None:
    assert len(rules.B18_STATEMENTS) == 9
    assert [len(items) for _g, items in rules.B18_GROUPS] == [3, 3, 3]
    assert rules.B18_STATEMENTS[0] == "Saya merasa diperhatikan dan dipahami"
    assert (
        rules.B18_STATEMENTS[5] == "Lebih banyak menggunakan metode bertanya dibandingkan menggurui"
    )
    assert (
        rules.B18_STATEMENTS[8] == "Saya memahami maksud dan tujuan kegiatan bimbingan kinerja ini"
    )


@pytest.mark.parametrize(
    "answers", [[4] * 8, [4] * 10, [4] * 8 + [5], [0] + [3] * 8, [True] * 9, ["4"] * 9]
)
def test_b18_needs_nine_answers_on_the_scale(answers: list[int]) -> None:
    with pytest.raises(ValueError):
        rules.check_b18(answers)
    assert rules.check_b18([1, 2, 3, 4, 4, 3, 2, 1, 4]) == [1, 2, 3, 4, 4, 3, 2, 1, 4]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "minimal satu"),
        ([("", 3, "x")], "nama kompetensi"),
        ([("Komunikasi", 0, "x")], "1 sampai 5"),
        ([("Komunikasi", 6, "x")], "1 sampai 5"),
        ([("Komunikasi", 3, " ")], "alasan"),
        ([("Komunikasi", 3, "a"), ("komunikasi", 4, "b")], "sudah dinilai"),
    ],
)
def test_b19_rows_are_checked(rows: list[tuple[str, int, str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rules.check_b19(rules.NilaiKompetensi(*row) for row in rows)


# --- JP ---------------------------------------------------------------------------------------


def test_jp_summary_against_the_20_jp_entitlement() -> None:
    summary = rules.jp_summary([("KLASIKAL", D("12")), ("E_LEARNING", D("6.5"))])
    assert (summary.total, summary.shortfall, summary.met) == (D("18.5"), D("1.5"), False)
    assert summary.by_mode == {"KLASIKAL": D("12"), "E_LEARNING": D("6.5")}
    done = rules.jp_summary([("KLASIKAL", D("12")), ("KLASIKAL", D("8"))])
    assert (done.total, done.shortfall, done.met) == (D("20"), D("0"), True)
    over = rules.jp_summary([("ON_THE_JOB", D("32"))])
    assert (over.shortfall, over.met) == (D("0"), True)
    empty = rules.jp_summary([])
    assert (empty.total, empty.shortfall) == (D("0"), D("20"))


@given(st.lists(st.decimals(min_value="0.5", max_value=40, places=1), max_size=12))
def test_total_plus_shortfall_covers_the_target(values: list[Decimal]) -> None:
    summary = rules.jp_summary(("KLASIKAL", v) for v in values)
    assert summary.total == sum(values, D(0))
    assert summary.total + summary.shortfall >= D(20)
    assert summary.met == (summary.total >= D(20))


@pytest.mark.parametrize("jp", [D("0"), D("-2"), D("0.3"), D("501"), D("NaN")])
def test_jp_of_one_activity_is_checked(jp: Decimal) -> None:
    with pytest.raises(ValueError):
        rules.check_jp(jp)
    assert rules.check_jp(D("2.5")) == D("2.5")


# --- recommendations and penghargaan ----------------------------------------------------------

CATALOGUE = [
    rules.CatalogueItem(1, "Kepemimpinan", frozenset({6}), for_hasil=True, for_pelayanan=False),
    rules.CatalogueItem(2, "Pelayanan publik", frozenset({1}), for_hasil=False, for_pelayanan=True),
    rules.CatalogueItem(3, "Komunikasi efektif", frozenset({5, 6}), False, False),
]


def test_recommendations_answer_each_weakness_with_its_reason() -> None:
    assert rules.recommend(rules.Weakness(), CATALOGUE) == []
    picked = rules.recommend(
        rules.Weakness(hasil=True, core_values=frozenset({6}), skm=True), CATALOGUE
    )
    assert [i for i, _r in picked] == [1, 2, 3]
    assert picked[0][1] == (
        "rating hasil kerja di bawah ekspektasi; perilaku di bawah ekspektasi pada nilai 6"
    )
    assert picked[1][1] == "umpan balik SKM tentang petugas di bawah mutu B"


def test_weak_360_values_are_those_where_di_bawah_leads() -> None:
    counts = {1: {"DI_BAWAH": 2, "SESUAI": 2}, 2: {"DI_BAWAH": 1, "SESUAI": 3}, 3: {"SESUAI": 4}}
    assert rules.weak_values_360(counts) == frozenset({1})


@pytest.mark.parametrize(
    ("annual", "periodic", "skm", "reasons"),
    [
        ("SANGAT_BAIK", ["BAIK"], None, ["SANGAT_BAIK"]),
        ("", ["BAIK", "SANGAT_BAIK"], None, ["SANGAT_BAIK"]),
        ("", ["BAIK", "BAIK"], None, ["BAIK_KONSISTEN"]),
        ("", ["BAIK"], None, []),  # one period is not consistency
        ("", ["BAIK", "BUTUH_PERBAIKAN", "BAIK"], None, []),
        ("BUTUH_PERBAIKAN", ["BAIK", "BAIK"], None, []),
        ("", [], D("88.31"), ["SKM_KUAT"]),
        ("", [], D("88.30"), []),
    ],
)
def test_penghargaan_candidates(
    annual: str, periodic: list[str], skm: Decimal | None, reasons: list[str]
) -> None:
    assert rules.candidate_reasons(annual, periodic, skm) == reasons
