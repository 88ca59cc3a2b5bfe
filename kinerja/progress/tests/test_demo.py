from django.core.management import call_command
from django.utils import timezone

from kinerja.accounts.models import User
from kinerja.org.demo_plan import NIP_PENILAI
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
