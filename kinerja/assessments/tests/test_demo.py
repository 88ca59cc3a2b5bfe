"""`seed_demo` evaluates the story bidang for the period running today: capaian organisasi set
by the Kepala Dinas, a rated team for the demo kasi, final evaluations (the demo pegawai's stays
a draft), and pages that show them."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.test import Client

from kinerja.accounts.models import User
from kinerja.org.demo_plan import NIP_PENILAI
from kinerja.progress.models import PeriodeTerkunci

from ..models import CapaianOrganisasi, Evaluasi


def test_seed_demo_rates_the_story_bidang(db: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", "--pegawai", "80", stdout=out)
    assert "evaluasi dinilai" in out.getvalue()
    assert CapaianOrganisasi.objects.filter(unit__code="DINKES-B1-S1", predikat="BAIK").exists()
    evaluations = list(Evaluasi.objects.select_related("pegawai"))
    assert evaluations and all(e.predikat for e in evaluations)
    by_nip = {e.pegawai.nip: e for e in evaluations}
    assert by_nip[NIP_PENILAI].status == "FINAL" and by_nip[NIP_PENILAI].is_unit_head
    drafts = [e for e in evaluations if e.status == "DRAFT"]
    assert len(drafts) == 1 and drafts[0].unit.code == "DINKES-B1-S1"
    finals = [e for e in evaluations if e.status == "FINAL"]
    assert PeriodeTerkunci.objects.count() == len(finals) == len(evaluations) - 1
    seksi = [e for e in evaluations if e.unit.code == "DINKES-B1-S1" and not e.is_unit_head]
    assert {"SANGAT_BAIK", "BUTUH_PERBAIKAN"} <= {e.predikat for e in seksi}
    client = Client()
    client.force_login(User.objects.get(username=NIP_PENILAI))
    team = client.get("/penilaian/tim/").content.decode()
    assert "Sangat Baik" in team and "final" in team
    assert "draf" in team
    mine = client.get("/penilaian/saya/").content.decode()
    assert by_nip[NIP_PENILAI].get_predikat_display() in mine
