import io

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.org.demo_plan import NIP_PELAPOR, NIP_PENILAI
from kinerja.plans.models import Iki, Skp, StatusSkp
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


def test_the_demo_shows_a_perubahan_skp_whose_running_period_followed(db: None) -> None:
    """One pegawai of the demo kasi changed an approved SKP: version 2 is in force and holds
    the running period's entries; version 1 keeps none of them and stays readable."""
    out = io.StringIO()
    call_command("seed_demo", "--pegawai", "80", stdout=out)
    [new] = Skp.objects.filter(version=2).select_related("previous", "rater")
    old = new.previous
    assert old is not None and not old.is_current and new.is_current
    assert new.status == StatusSkp.DISETUJUI and new.rater is not None
    assert new.rater.nip == NIP_PENILAI and new.pegawai.nip != NIP_PELAPOR
    period = period_of(new, timezone.localdate())
    moved = Realisasi.objects.filter(skp=new, period=period.number)
    assert moved.exists() and not Realisasi.objects.filter(skp=old).exists()
    assert all(entry.iki.rhk.skp_id == new.pk for entry in moved.select_related("iki__rhk"))
    assert f"versi 2 disetujui; {moved.count()} realisasi periode berjalan ikut" in out.getvalue()
    copies = Iki.objects.filter(rhk__skp=new).select_related("copied_from")
    raised = [(i.copied_from.target_value, i.target_value) for i in copies if i.copied_from]
    assert any(b is not None and a == b + 1 for b, a in raised)  # the change itself
