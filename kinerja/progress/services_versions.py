"""Perubahan SKP: when a new version is approved, what was recorded on the version it replaces
in the periods not yet evaluated follows to it (docs/progress.md §6, a project decision).

The old version stays in force until the new one is approved (plans.services.skp_approve), so
the running period's realisasi, rencana aksi, umpan balik and dialog kinerja are recorded on it.
Left there, the version in force would miss them: its progress page, the team page, the unit
roll-up, the early-warning scan and the period's evaluation (opened later, on the new version)
read the entries of the SKP they are given. So they are moved (an UPDATE, never a copy: anything
summing over versions would count a copy twice):

- realisasi (with their bukti dukung, which hang off them, and their corrections, which share
  their IKI and period) and rencana aksi of an IKI copied into the new version: skp → the new
  version, iki → its copy (`Iki.copied_from`);
- umpan balik threads, a thread's first message with its replies (which carry the same
  target): about a realisasi that moved, about an RHK copied into the new version (rhk → its
  copy, `Rhk.copied_from`), or about a BerAKHLAK value: skp → the new version;
- dialog kinerja (with their tindak lanjut): skp → the new version.

What stays on the old version, readable there: everything of a period already evaluated (the
evaluation was opened on the old version and reads it there: `evaluated`, and every lock row of
any version, `PeriodeTerkunci`); everything of the year when the annual evaluation (period 0)
exists; the realisasi and rencana aksi of an IKI removed in the new version, and a thread about
such a realisasi or about an RHK removed in the new version. So a rencana aksi, an entry and a
thread always stay on the same version as one another (an entry's rencana aksi is of its IKI and
period; a thread's realisasi of its period).

Who calls it: plans cannot import progress, so `skp_approve` sends `plans.signals.
skp_version_approved` in its transaction; which periods are evaluated is known only to the
assessments app (an evaluation opened but not final has no lock row here), and progress cannot
import assessments, so the assessments app connects the receiver (kinerja/assessments/
receivers.py) that passes the evaluated periods in. A receiver's error undoes the approval.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.plans.models import Iki, Rhk, Skp, StatusSkp

from .feedback_models import DialogKinerja, TargetUmpanBalik, UmpanBalik
from .models import BuktiDukung, PeriodeTerkunci, Realisasi, RencanaAksi

ANNUAL = 0  # as assessments.models.ANNUAL: the year's evaluation


@dataclass
class Followed:
    """What moved to the new version and what stayed on the old one (the audit event's new)."""

    periods: list[int] = field(default_factory=list)
    kept_periods: list[int] = field(default_factory=list)
    realisasi: int = 0
    bukti_dukung: int = 0
    rencana_aksi: int = 0
    umpan_balik: int = 0
    dialog_kinerja: int = 0
    left_realisasi: int = 0  # of IKIs removed in the new version
    left_rencana_aksi: int = 0
    left_umpan_balik: int = 0
    iki: dict[int, int] = field(default_factory=dict)  # old IKI → its copy, of what moved
    rhk: dict[int, int] = field(default_factory=dict)  # old RHK → its copy, of what moved


def _repointed(column: str, mapping: dict[int, int]) -> Case:
    """CASE column WHEN old THEN copy …: one UPDATE re-points every row to its own copy."""
    whens = [When(**{column: old}, then=Value(copy)) for old, copy in mapping.items()]
    return Case(*whens, output_field=IntegerField())


def _leave_alone(old: Skp, evaluated: Collection[int]) -> set[int]:
    versions = Skp.objects.filter(
        pegawai_id=old.pegawai_id, year=old.year, jabatan_id=old.jabatan_id
    ).values("id")
    locked = PeriodeTerkunci.objects.filter(skp_id__in=versions).values_list("period", flat=True)
    return set(evaluated) | set(locked)


@transaction.atomic
def realisasi_follow_version(
    *, by: User, old: Skp, new: Skp, evaluated: Collection[int]
) -> Followed:
    """Move what was recorded on `old` in the periods not in `evaluated` (nor locked on any
    version) to `new`, the version just approved in its place (module docstring). All or
    nothing, with one audit event `realisasi_follow_version` on the new version (none when
    nothing was recorded in the open periods)."""
    if new.previous_id != old.pk or new.status != StatusSkp.DISETUJUI:
        raise ValueError("realisasi follow an approved version from the one it replaces")
    keep = _leave_alone(old, evaluated)
    done = Followed(kept_periods=sorted(keep))
    if ANNUAL not in keep:
        _move(old, new, keep, done)
    if not (done.periods or done.left_realisasi or done.left_rencana_aksi or done.left_umpan_balik):
        return done  # nothing was recorded in the open periods: nothing to tell
    audit.record(
        "realisasi_follow_version", by=by, scope=new.instansi_id, target_type="skp",
        target_id=new.pk, old={"skp_id": old.pk},
        new={"skp_id": new.pk, "periods": done.periods, "kept_periods": done.kept_periods,
             "realisasi": done.realisasi, "bukti_dukung": done.bukti_dukung,
             "rencana_aksi": done.rencana_aksi, "umpan_balik": done.umpan_balik,
             "dialog_kinerja": done.dialog_kinerja,
             "left_on_old": {"realisasi": done.left_realisasi,
                             "rencana_aksi": done.left_rencana_aksi,
                             "umpan_balik": done.left_umpan_balik},
             "iki": {str(k): v for k, v in sorted(done.iki.items())},
             "rhk": {str(k): v for k, v in sorted(done.rhk.items())}},
    )  # fmt: skip
    return done


def _move(old: Skp, new: Skp, keep: set[int], done: Followed) -> None:
    running = ~Q(period__in=keep) if keep else Q()
    ikis = dict(
        Iki.objects.filter(rhk__skp=new, copied_from__rhk__skp=old).values_list(
            "copied_from_id", "id"
        )
    )
    rhks = dict(
        Rhk.objects.filter(skp=new, copied_from__skp=old).values_list("copied_from_id", "id")
    )
    periods: set[int] = set()

    entries = Realisasi.objects.filter(running, skp=old)
    moving = entries.filter(iki_id__in=ikis)
    used = set(moving.values_list("iki_id", flat=True).distinct())
    periods |= set(moving.values_list("period", flat=True).distinct())
    done.bukti_dukung = BuktiDukung.objects.filter(realisasi__in=moving.values("id")).count()
    done.left_realisasi = entries.exclude(iki_id__in=ikis).count()
    steps = RencanaAksi.objects.filter(running, skp=old)
    moving_steps = steps.filter(iki_id__in=ikis)
    used |= set(moving_steps.values_list("iki_id", flat=True).distinct())
    periods |= set(moving_steps.values_list("period", flat=True).distinct())
    done.left_rencana_aksi = steps.exclude(iki_id__in=ikis).count()
    if ikis:
        done.realisasi = moving.update(skp=new, iki_id=_repointed("iki_id", ikis))
        done.rencana_aksi = moving_steps.update(skp=new, iki_id=_repointed("iki_id", ikis))
    done.iki = {k: v for k, v in ikis.items() if k in used}

    threads = UmpanBalik.objects.filter(running, skp=old)
    about_entries = threads.filter(
        target_kind=TargetUmpanBalik.REALISASI, realisasi__skp=new
    )  # the entries moved above
    about_rhk = threads.filter(target_kind=TargetUmpanBalik.RHK, rhk_id__in=rhks)
    about_perilaku = threads.filter(target_kind=TargetUmpanBalik.PERILAKU)
    done.rhk = {
        k: v for k, v in rhks.items() if k in set(about_rhk.values_list("rhk_id", flat=True))
    }
    for moving_threads in (about_entries, about_rhk, about_perilaku):
        periods |= set(moving_threads.values_list("period", flat=True).distinct())
    done.umpan_balik = about_entries.update(skp=new) + about_perilaku.update(skp=new)
    if rhks:
        done.umpan_balik += about_rhk.update(skp=new, rhk_id=_repointed("rhk_id", rhks))
    done.left_umpan_balik = threads.count()  # what is still on the old version

    dialogs = DialogKinerja.objects.filter(running, skp=old)
    periods |= set(dialogs.values_list("period", flat=True).distinct())
    done.dialog_kinerja = dialogs.update(skp=new)
    done.periods = sorted(periods)
