"""Live distribution counts per group, the group of one evaluation, and rater consistency, on
the named cast: kasi rates staf_a and staf_b (seksi); kabid rates kasi (head of the seksi, who
counts in the bidang's group); kadis rates kabid and kapus; kapus rates perawat (puskesmas).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.org.testing import Cast

from .. import distribution, guards, rules, services
from ..models import Evaluasi, PengaturanPenilaian
from ..testing import YEAR, approved_skp, capaian, evaluation

DAY = date(YEAR, 6, 30)
SB, B, BP, K, SK = rules.PREDIKAT


@pytest.fixture(autouse=True)
def _pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guards, "today", lambda: DAY)


def rated_dinkes(cast: Cast) -> dict[str, Evaluasi]:
    """Seksi capaian BAIK: staf_a Baik, staf_b Sangat Baik; bidang capaian ISTIMEWA: kasi (head
    of the seksi, hasil Sesuai from the seksi) Baik; puskesmas has no capaian: perawat Butuh
    Perbaikan counts in no group; kabid (head of the bidang) has no capaian above."""
    capaian(cast, cast.seksi, 2, rules.BAIK)
    capaian(cast, cast.bidang, 2, rules.ISTIMEWA)
    return {
        "staf_a": evaluation(cast, "staf_a", 2, "SESUAI", "SESUAI"),
        "staf_b": evaluation(cast, "staf_b", 2, "DI_ATAS", "DI_ATAS"),
        "kasi": evaluation(cast, "kasi", 2, perilaku="SESUAI"),
        "perawat": evaluation(cast, "perawat", 2, "DI_BAWAH", "SESUAI"),
    }


def test_groups_of_the_dinas_with_live_counts_and_named_breaches(cast: Cast) -> None:
    rated_dinkes(cast)
    with CaptureQueriesContext(connection) as queries:
        data = distribution.unit_distribution(cast.dinkes, year=YEAR, period=2, reader=None)
    assert len(queries) == 3
    groups = {g.unit_id: g for g in data.groups}
    assert set(groups) == {cast.seksi.pk, cast.bidang.pk}
    seksi, bidang = groups[cast.seksi.pk], groups[cast.bidang.pk]
    assert seksi.check.counts == {SB: 1, B: 1, BP: 0, K: 0, SK: 0}
    assert seksi.org_label == "Baik" and seksi.check.advisory  # 2 < 5
    assert [v.message for v in seksi.check.violations] == [
        "Pola distribusi tidak terpenuhi: harus ada pegawai berpredikat Butuh Perbaikan "
        "dan/atau Kurang/Misconduct (sekarang 0 dari 2)."
    ]
    assert [(line.text, line.holds) for line in seksi.lines] == [
        ("paling banyak 70% pegawai berpredikat Baik", True),
        ("harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct", False),
    ]
    assert bidang.check.counts[B] == 1 and not bidang.check.breached  # kasi, one level up
    assert data.ungrouped[BP] == 1  # perawat: no capaian on the puskesmas' way up
    assert data.unrated == 0 and data.counted_above == 0
    assert data.enforcement == "WARN" and data.blocking == []


def test_a_subtree_shows_only_its_groups_and_counts_those_above(cast: Cast) -> None:
    rated_dinkes(cast)
    data = distribution.unit_distribution(cast.seksi, year=YEAR, period=2, reader=None)
    assert [g.unit_id for g in data.groups] == [cast.seksi.pk]
    assert data.counted_above == 1  # kasi counts in the bidang's group


def test_unrated_evaluations_are_counted_apart(cast: Cast) -> None:
    capaian(cast, cast.seksi, 2, rules.BAIK)
    services.evaluasi_open(by=cast.user("kasi"), skp=approved_skp(cast, "staf_a").skp, period=2)
    data = distribution.unit_distribution(cast.seksi, year=YEAR, period=2, reader=None)
    assert data.unrated == 1 and data.groups[0].check.total == 0
    assert all(line.holds is None for line in data.groups[0].lines)


def test_block_lists_the_groups_that_would_block(cast: Cast) -> None:
    rated_dinkes(cast)
    PengaturanPenilaian.objects.create(instansi=cast.kab, enforcement="BLOCK", min_group_size=2)
    data = distribution.unit_distribution(cast.dinkes, year=YEAR, period=2, reader=None)
    assert [g.unit_id for g in data.blocking] == [cast.seksi.pk]
    assert [g.unit_id for g in data.breached] == [cast.seksi.pk]


def test_group_violations_for_counts_the_evaluation_with_its_current_predikat(
    cast: Cast,
) -> None:
    found = rated_dinkes(cast)
    staf_a = found["staf_a"]
    with CaptureQueriesContext(connection) as queries:
        violations = distribution.group_violations_for(staf_a)
    assert len(queries) == 3
    assert [v.rule for v in violations] == [
        "harus ada pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct"
    ]
    assert violations[0].advisory
    staf_a.predikat = BP  # as if re-rated, not saved: the group now has a Butuh Perbaikan
    assert distribution.group_violations_for(staf_a) == []


def test_group_violations_for_a_unit_head_use_the_group_above(cast: Cast) -> None:
    found = rated_dinkes(cast)
    assert distribution.group_violations_for(found["kasi"]) == []
    assert distribution.group_violations_for(found["perawat"]) == []  # no group


def test_group_violations_for_agree_with_finalisation(cast: Cast) -> None:
    found = rated_dinkes(cast)
    assert services.group_breaches(found["staf_b"]) == distribution.group_violations_for(
        found["staf_b"]
    )


def test_rater_consistency_against_unit_and_instansi(cast: Cast) -> None:
    rated_dinkes(cast)
    with CaptureQueriesContext(connection) as queries:
        data = distribution.consistency(cast.dinkes, year=YEAR, period=2, reader=None)
    assert len(queries) == 2
    by_rater = {r.rater_id: r for r in data.raters}
    assert set(by_rater) == {cast.kasi.pk, cast.kabid.pk, cast.kapus.pk}
    kasi = by_rater[cast.kasi.pk]
    assert kasi.counts == {SB: 1, B: 1, BP: 0, K: 0, SK: 0}
    assert kasi.leniency == rules.leniency({SB: 1, B: 1})
    assert kasi.flag == ""  # two ratings: below distribution_rules.CONSISTENCY_MIN_RATED
    assert data.unit_counts == {SB: 1, B: 2, BP: 1, K: 0, SK: 0}
    assert data.instansi_counts == data.unit_counts
    assert data.instansi_leniency == rules.leniency(data.instansi_counts)
    # sorted by distance from the instansi mean: kapus (Butuh Perbaikan only) first
    assert data.raters[0].rater_id == cast.kapus.pk
