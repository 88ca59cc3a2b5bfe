"""`manage.py peringatan_dini`: one instansi and period, or every instansi for the periods due
today (the cron form), and the refusals of bad arguments."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.assessments.testing import YEAR, approved_skp
from kinerja.core.errors import ServiceError
from kinerja.development import scan as scan_module
from kinerja.development.management.commands import peringatan_dini
from kinerja.org.testing import Cast
from kinerja.plans import services as plans

from .. import guards, rules
from ..models import Kasus
from ..scan import periods_due
from .scan_data import pegawai, skp

APRIL = date(YEAR, 4, 10)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> list[date]:
    """The day the command runs on (guards.today); a test may change it: `today[0] = ...`."""
    day = [APRIL]
    monkeypatch.setattr(guards, "today", lambda: day[0])
    return day


@pytest.fixture
def two_instansi(cast: Cast) -> None:
    """staf_b in KAB (quarterly) and a pelaksana in KOTA (monthly, an SKP without quantitative
    IKIs: no progress trigger), neither with any entry."""
    approved_skp(cast, "staf_b")
    plans.tahun_set_cadence(by=cast.superadmin, instansi=cast.kota, year=YEAR, cadence="BULANAN")
    assert cast.outsider.jabatan is not None
    skp(pegawai(cast.kota, cast.outsider.jabatan), cast.outsider.jabatan, None)


def test_the_periods_due_are_the_one_just_ended_and_todays(cast: Cast, two_instansi: None) -> None:
    due = [(d.year, d.period.label) for d in periods_due(cast.kab.pk, APRIL)]
    assert due == [(YEAR, "TRIWULAN I"), (YEAR, "TRIWULAN II")]
    due = [(d.year, d.period.label) for d in periods_due(cast.kota.pk, APRIL)]
    assert due == [(YEAR, "MARET"), (YEAR, "APRIL")]
    # In the first period of a year, the last one of the year before (in that year's cadence).
    due = [(d.year, d.period.label) for d in periods_due(cast.kota.pk, date(YEAR, 1, 1))]
    assert due == [(YEAR - 1, "TRIWULAN IV-AKHIR"), (YEAR, "JANUARI")]


def test_semua_scans_every_instansi_one_line_each(
    cast: Cast, two_instansi: None, today: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("peringatan_dini", "--semua")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"KAB: TRIWULAN I {YEAR}: 1 SKP diperiksa, 2 kasus baru (PROGRES_RENDAH: 1, "
        f"REALISASI_KOSONG: 1), 0 sudah terbuka; TRIWULAN II {YEAR}: 1 SKP diperiksa, "
        "1 kasus baru (PROGRES_RENDAH: 1), 0 sudah terbuka.",
        f"KOTA: MARET {YEAR}: 1 SKP diperiksa, 1 kasus baru (REALISASI_KOSONG: 1), "
        f"0 sudah terbuka; APRIL {YEAR}: 1 SKP diperiksa, 0 kasus baru (-), 0 sudah terbuka.",
        f"Selesai {APRIL:%d-%m-%Y}: 2 instansi, 4 kasus baru.",
    ]
    assert Kasus.objects.filter(pegawai=cast.staf_b, period=1).count() == 2
    assert list(Kasus.objects.filter(period=3).values_list("reason", flat=True)) == [
        rules.REALISASI_KOSONG
    ]  # KOTA's March
    call_command("peringatan_dini", "--semua")  # the next night: nothing new
    again = capsys.readouterr().out.splitlines()
    assert again[-1] == f"Selesai {APRIL:%d-%m-%Y}: 2 instansi, 0 kasus baru."
    assert "0 kasus baru (-), 2 sudah terbuka;" in again[0]
    assert Kasus.objects.count() == 4


def test_semua_in_january_looks_back_at_the_last_period_of_the_year_before(
    cast: Cast, today: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    approved_skp(cast, "staf_b")
    today[0] = date(YEAR + 1, 1, 5)
    call_command("peringatan_dini", "--semua")
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(
        f"KAB: TRIWULAN IV-AKHIR {YEAR}: 1 SKP diperiksa, 2 kasus baru (PROGRES_RENDAH: 1, "
        f"REALISASI_KOSONG: 1)"
    )
    assert first.endswith(
        f"; TRIWULAN I {YEAR + 1}: 0 SKP diperiksa, 0 kasus baru (-), 0 sudah terbuka."
    )
    assert set(Kasus.objects.values_list("year", "period").distinct()) == {(YEAR, 4)}


def test_semua_goes_on_after_an_instansi_fails_and_then_fails(
    cast: Cast,
    two_instansi: None,
    today: list[date],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = scan_module.scan

    def flaky(*, instansi_id: int, **kwargs: object) -> scan_module.ScanResult:
        if instansi_id == cast.kab.pk:
            raise ServiceError("Periode 9 tidak ada pada tahun 2026.")
        return real(instansi_id=instansi_id, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(peringatan_dini, "scan", flaky)
    with pytest.raises(CommandError, match="Pemindaian gagal pada 1 instansi: KAB"):
        call_command("peringatan_dini", "--semua")
    captured = capsys.readouterr()
    assert "KAB: gagal, Periode 9 tidak ada" in captured.err
    assert captured.out.startswith("KOTA: MARET") and "2 instansi, 1 kasus baru." in captured.out


def test_the_positional_form_still_works(
    cast: Cast, today: list[date], capsys: pytest.CaptureFixture[str]
) -> None:
    approved_skp(cast, "staf_b")
    call_command("peringatan_dini", "KAB", str(YEAR), "1")
    assert capsys.readouterr().out == (
        "1 SKP diperiksa, 2 kasus baru (PROGRES_RENDAH: 1, REALISASI_KOSONG: 1), 0 sudah terbuka.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Sebutkan instansi, tahun dan periode."),
        (("KAB",), "Sebutkan instansi, tahun dan periode."),
        (("KAB", "2026"), "Sebutkan instansi, tahun dan periode."),
        (("KAB", "2026", "1", "2"), "Sebutkan instansi, tahun dan periode."),
        (("KAB", "dua ribu", "1"), "Tahun harus bilangan bulat 2000 sampai 2100, bukan 'dua"),
        (("KAB", "1999", "1"), "Tahun harus bilangan bulat 2000 sampai 2100"),
        (("KAB", str(YEAR), "0"), "Periode harus bilangan bulat 1 sampai 12, bukan '0'."),
        (("KAB", str(YEAR), "I"), "Periode harus bilangan bulat 1 sampai 12"),
        (("XYZ", str(YEAR), "1"), "Instansi 'XYZ' tidak ditemukan."),
        (("KAB", str(YEAR), "5"), f"Periode 5 tidak ada pada tahun {YEAR}."),
        (("KAB", str(YEAR), "3"), f"TRIWULAN III {YEAR} belum dimulai."),
        (("--semua", "KAB"), "--semua tidak dapat digabung dengan instansi, tahun atau"),
    ],
)
def test_bad_arguments_are_refused_in_indonesian(
    cast: Cast, today: list[date], args: tuple[str, ...], message: str
) -> None:
    approved_skp(cast, "staf_b")
    with pytest.raises(CommandError) as refused:
        call_command("peringatan_dini", *args)
    assert str(refused.value).startswith(message)
    assert not Kasus.objects.exists()
