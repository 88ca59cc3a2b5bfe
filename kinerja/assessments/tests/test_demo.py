"""`seed_demo` evaluates the story bidang for the last period that is over: capaian organisasi
set by the Kepala Dinas, a rated team for the demo kasi, final evaluations (one stays a draft),
pages that show them, and the running period left open for realisasi."""

from __future__ import annotations

import io
from datetime import date
from unittest import mock

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.org.demo_plan import NIP_PENILAI
from kinerja.org.models import Instansi
from kinerja.progress.models import PeriodeTerkunci

from .. import demo, guards
from ..models import CapaianOrganisasi, Evaluasi


def test_seed_demo_rates_the_story_bidang(db: None) -> None:
    year = timezone.localdate().year  # the demo SKPs' year; Triwulan IV runs on 3 December
    out = io.StringIO()
    with mock.patch.object(guards, "today", lambda: date(year, 12, 3)):
        call_command("seed_demo", "--pegawai", "80", stdout=out)
    assert "Evaluasi TRIWULAN III: capaian organisasi" in out.getvalue()
    assert "evaluasi dinilai" in out.getvalue()
    assert CapaianOrganisasi.objects.filter(unit__code="DINKES-B1-S1", predikat="BAIK").exists()
    evaluations = list(Evaluasi.objects.select_related("pegawai"))
    assert evaluations and all(e.predikat for e in evaluations)
    assert {e.period for e in evaluations} == {3}  # the quarter that is over, not the running one
    by_nip = {e.pegawai.nip: e for e in evaluations}
    assert by_nip[NIP_PENILAI].status == "FINAL" and by_nip[NIP_PENILAI].is_unit_head
    drafts = [e for e in evaluations if e.status == "DRAFT"]
    assert len(drafts) == 1 and drafts[0].unit.code == "DINKES-B1-S1"
    finals = [e for e in evaluations if e.status == "FINAL"]
    assert PeriodeTerkunci.objects.count() == len(finals) == len(evaluations) - 1
    assert set(PeriodeTerkunci.objects.values_list("period", flat=True)) == {3}
    seksi = [e for e in evaluations if e.unit.code == "DINKES-B1-S1" and not e.is_unit_head]
    assert {"SANGAT_BAIK", "BUTUH_PERBAIKAN"} <= {e.predikat for e in seksi}
    client = Client()
    client.force_login(User.objects.get(username=NIP_PENILAI))
    team = client.get(f"/penilaian/tim/?tahun={year}&periode=3").content.decode()
    assert "Sangat Baik" in team and "final" in team
    assert "draf" in team
    mine = client.get("/penilaian/saya/").content.decode()
    assert by_nip[NIP_PENILAI].get_predikat_display() in mine


def test_nothing_is_evaluated_while_the_first_period_runs(db: None) -> None:
    """In Triwulan I no period of the year is over: finalising the running one would lock the
    realisasi the demo is there to show, and the SKPs are this year's, so none is evaluated."""
    kab = Instansi.objects.create(code="DEMO-X", name="Kabupaten X", kind="DAERAH")
    with mock.patch.object(guards, "today", lambda: date(2026, 2, 10)):
        assert demo.closed_period(kab.pk, guards.today()) is None
        reason = demo.seed_evaluasi(instansi=kab, seed=1)
    assert isinstance(reason, str) and "belum ada periode" in reason
    assert not Evaluasi.objects.exists() and not PeriodeTerkunci.objects.exists()
    with mock.patch.object(guards, "today", lambda: date(2026, 4, 1)):
        period = demo.closed_period(kab.pk, guards.today())
    assert period is not None and period.number == 1
