import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.org.demo_plan import NIP_PELAPOR, NIP_PENILAI
from kinerja.plans.models import Skp, StatusSkp
from kinerja.progress import queries, services
from kinerja.progress.feedback_models import DialogKinerja, UmpanBalik
from kinerja.progress.models import Realisasi
from kinerja.progress.services import period_of
from kinerja.progress.team_queries import team_progress


def test_seed_demo_reports_this_period_for_the_story_bidang(db: None) -> None:
    call_command("seed_demo", "--pegawai", "80", verbosity=0)
    entries = list(Realisasi.objects.select_related("skp"))
    assert entries, "the demo has realisasi for the story bidang"
    today = timezone.localdate()
    for entry in entries:
        assert entry.skp.status == "DISETUJUI"
        assert entry.skp.pegawai_id == entry.pegawai_id
        assert entry.date <= today
        assert entry.period == period_of(entry.skp, today).number
        assert (entry.value is not None) or entry.narrative
    feedback = list(UmpanBalik.objects.filter(parent=None).select_related("skp"))
    assert feedback and all(f.author_id == f.skp.rater_id for f in feedback)
    [reply] = UmpanBalik.objects.exclude(parent=None).select_related("skp__rater")
    assert reply.author_id == reply.skp.pegawai_id and reply.parent_id in {f.pk for f in feedback}
    assert reply.skp.rater is not None and reply.skp.rater.nip == NIP_PENILAI  # the demo kasi's
    [dialog] = DialogKinerja.objects.select_related("skp")
    assert dialog.skp_id == reply.skp_id
    assert dialog.created_by_id == dialog.skp.rater_id and dialog.held_on <= today
    due = sorted(t.due_date for t in dialog.tindak_lanjut.all())
    assert len(due) == 2 and dialog.held_on <= due[0] <= today < due[1]  # overdue (or today), open
    kasi = User.objects.get(username=NIP_PENILAI)
    rows = team_progress(kasi, year=today.year)
    assert rows, "the demo kasi sees a team on the monitoring page"


def test_the_printed_pelapor_login_can_record_and_correct_this_period(db: None) -> None:
    """The "Pegawai (lapor realisasi)" demo login has an approved SKP whose running period is
    open (the demo's final evaluations lock a period that is over), and its kasi, the printed
    Pejabat penilai, sees it on the team page."""
    out = io.StringIO()
    call_command("seed_demo", "--pegawai", "80", stdout=out)
    assert "Pegawai (lapor realisasi)" in out.getvalue() and NIP_PELAPOR in out.getvalue()
    user = User.objects.get(username=NIP_PELAPOR)
    skp = Skp.objects.get(pegawai__user=user, is_current=True)
    assert skp.status == StatusSkp.DISETUJUI and skp.rater is not None
    assert skp.rater.nip == NIP_PENILAI
    today = timezone.localdate()
    period = period_of(skp, today)
    assert queries.locked_by(skp, period) is None
    seeded = Realisasi.objects.filter(skp=skp, period=period.number)
    first = seeded.filter(iki__target_value__isnull=False).select_related("iki").first()
    assert first is not None, "the demo login has an entry of this period to correct"
    entry, created = services.realisasi_record(
        by=user, iki=first.iki, day=today, value="2", narrative="Kunjungan posyandu",
        links=["https://drive.example.go.id/bukti/posyandu"],
    )  # fmt: skip
    assert created and entry.period == period.number and entry.bukti.count() == 1
    fixed = services.realisasi_correct(by=user, realisasi=entry, value="3", reason="Salah hitung")
    assert fixed.corrects_id == entry.pk and fixed.value == 3
    client = Client()
    client.force_login(user)
    page = client.get("/realisasi/", follow=True)
    assert page.status_code == 200 and page.redirect_chain  # to the SKP's realisasi page
    client.force_login(User.objects.get(username=NIP_PENILAI))
    team = client.get("/realisasi/tim/").content.decode()
    assert skp.pegawai.display_name in team
