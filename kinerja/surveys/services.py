"""Every admin write of SKM data: layanan, periods, rencana tindak lanjut. Each service owns its
transaction and its audit event. Public answers go through `public.response_submit`, which is
deliberately not audited per answer (see docs/skm.md, "Mengapa jawaban tidak diaudit")."""

from __future__ import annotations

import re
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse
from kinerja.core.formkeys import creates
from kinerja.org.access import access_for
from kinerja.org.guards import require_admin, snapshot
from kinerja.org.models import Pegawai, UnitKerja

from .models import Layanan, RencanaTindakLanjut, SkmResponse, SurveyPeriod
from .periods import PeriodKey

CODE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
LAYANAN_FIELDS = ["unit_id", "name", "code", "population", "active"]


def may_manage_unit(by: User, unit: UnitKerja) -> bool:
    """Admin of the instansi, or the head of the unit or one above it (follow-up actions)."""
    access = access_for(by)
    if access.can_admin_instansi(unit.instansi_id):
        return True
    return any(unit.path.startswith(path) for path in access.headed_unit_paths)


class UnitHasAnswers(Conflict):
    """A layanan with answers keeps its unit (docs/skm.md, "Memindah layanan")."""

    code = "layanan_has_answers"


def has_answers(layanan: Layanan) -> bool:
    """Whether any answer (online or paper, any period) is stored for this layanan. By
    instansi and the layanan's periods first: `skm_ikm_idx` (nothing indexes layanan alone)."""
    periods = SurveyPeriod.objects.filter(layanan_id=layanan.pk).values("pk")
    answers = SkmResponse.objects.filter(instansi_id=layanan.instansi_id, period_id__in=periods)
    return answers.filter(layanan_id=layanan.pk).exists()


def _check_unit_move(layanan: Layanan, unit: UnitKerja) -> None:
    """Each answer was given for the unit its layanan had then, and the unit figures and the
    unit's rencana tindak lanjut rest on it: a layanan that has answers keeps its unit. One
    without answers (set up in the wrong unit) may still move."""
    if unit.pk == layanan.unit_id or not has_answers(layanan):
        return
    raise UnitHasAnswers(
        _(
            "Unit layanan ini tidak dapat diubah karena sudah ada jawaban SKM yang diberikan "
            "untuk unit %(old)s. Untuk melayani di unit %(new)s: nonaktifkan layanan ini, lalu "
            "tambahkan layanan baru di unit %(new)s."
        )
        % {"old": layanan.unit.name, "new": unit.name},
        field="unit_id",
    )


def _check_code(code: str) -> str:
    code = code.strip().lower()
    if not CODE_RE.match(code):
        raise ServiceError(
            _(
                "Kode singkat hanya huruf kecil, angka dan tanda -, 1–40 karakter (mis. "
                "ktp-sukamaju)."
            ),
            field="code",
        )
    return code


def _code_taken(code: str) -> Conflict:
    return Conflict(
        _("Kode singkat '%(code)s' sudah dipakai layanan lain.") % {"code": code}, field="code"
    )


@creates(Layanan)
@transaction.atomic
def layanan_save(
    *,
    by: User,
    unit: UnitKerja,
    name: str,
    code: str,
    population: int = 0,
    active: bool = True,
    layanan: Layanan | None = None,
    form_key: str = "",
) -> Layanan:
    """Create a layanan (or change one): admin instansi only."""
    require_admin(by, unit.instansi_id)
    if layanan is not None and layanan.instansi_id != unit.instansi_id:
        raise ServiceError(_("Unit harus dari instansi yang sama dengan layanan."), field="unit_id")
    if layanan is not None:
        _check_unit_move(layanan, unit)
    if population < 0:
        raise ServiceError(_("Populasi tidak boleh negatif."), field="population")
    code = _check_code(code)
    taken = Layanan.objects.filter(code=code)
    if layanan is not None:
        taken = taken.exclude(pk=layanan.pk)
    if taken.exists():
        raise _code_taken(code)
    old = snapshot(layanan, LAYANAN_FIELDS) if layanan else {}
    target = layanan or Layanan(instansi_id=unit.instansi_id)
    target.unit = unit
    target.name = name.strip()
    target.code = code
    target.population = population
    target.active = active
    clean_or_refuse(target, exclude=["instansi", "unit"])
    try:
        with transaction.atomic():  # a savepoint: after a clash the check below can still read
            target.save()
    except IntegrityError:
        # The same code saved by another request after the check above (two tabs, a retry
        # without a form key): its unique constraint refused this one; the same 409.
        if taken.exists():
            raise _code_taken(code) from None
        raise
    audit.record(
        "skm_layanan_update" if layanan else "skm_layanan_create",
        by=by,
        scope=unit.instansi_id,
        target_type="layanan",
        target_id=target.pk,
        old=old,
        new=snapshot(target, LAYANAN_FIELDS),
    )
    return target


def _already_open(key: PeriodKey) -> str:
    return _("Periode %(label)s sudah dibuka untuk layanan ini.") % {"label": key.label}


@transaction.atomic
def period_open(*, by: User, layanan: Layanan, key: PeriodKey) -> SurveyPeriod:
    """Open a survey period for one layanan; periods of one layanan never overlap. A clash is
    a 409 of the whole period (no one field of kind, year and number is the culprit)."""
    require_admin(by, layanan.instansi_id)
    # One opening per layanan at a time: two different overlapping periods opened at once
    # (Tahun and Semester I) would both pass the overlap check below, which is a plain read.
    # NO KEY: answers being stored for the layanan (a key share of its row) do not wait.
    Layanan.objects.select_for_update(no_key=True).filter(pk=layanan.pk).exists()
    overlap = SurveyPeriod.objects.filter(
        layanan=layanan, start__lte=key.end, end__gte=key.start
    ).first()
    if overlap is not None and overlap.key == key.text:
        raise Conflict(_already_open(key))
    if overlap is not None:
        raise Conflict(
            _("Periode %(label)s bertumpang tindih dengan %(other)s pada layanan ini.")
            % {"label": key.label, "other": overlap.label}
        )
    period = SurveyPeriod(
        instansi_id=layanan.instansi_id,
        layanan=layanan,
        kind=key.kind,
        year=key.year,
        number=key.number,
        start=key.start,
        end=key.end,
        label=key.label,
    )
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as exc:  # opened in parallel meanwhile (skm_period_unique)
        raise Conflict(_already_open(key)) from exc
    audit.record(
        "skm_period_open",
        by=by,
        scope=layanan.instansi_id,
        target_type="survey_period",
        target_id=period.pk,
        new={"layanan_id": layanan.pk, "key": key.text, "start": key.start, "end": key.end},
    )
    return period


def current_period_id(layanan_id: int, day: date | None = None) -> int | None:
    day = day or timezone.localdate()
    found: int | None = (
        SurveyPeriod.objects.filter(layanan_id=layanan_id, start__lte=day, end__gte=day)
        .values_list("pk", flat=True)
        .first()
    )
    return found


def _owner_in(owner_id: int, instansi_id: int) -> Pegawai:
    """The penanggung jawab: a pegawai of the instansi. An id of another instansi's pegawai is
    answered exactly like an id nobody has, so that the two cannot be told apart."""
    owner = Pegawai.objects.filter(pk=owner_id, instansi_id=instansi_id).first()
    if owner is None:
        raise ServiceError(_("Penanggung jawab harus pegawai instansi ini."), field="owner_id")
    return owner


@creates(RencanaTindakLanjut)
@transaction.atomic
def rtl_create(
    *,
    by: User,
    unit: UnitKerja,
    layanan: Layanan | None,
    key: PeriodKey,
    unsur: int,
    action: str,
    owner_id: int,
    due_date: date,
    form_key: str = "",
) -> RencanaTindakLanjut:
    """Record an improvement action for one unsur: admin instansi or the unit's pimpinan."""
    if not may_manage_unit(by, unit):
        raise Refused(_("Hanya admin instansi atau pimpinan unit ini yang dapat mencatat RTL."))
    if layanan is not None and layanan.unit_id != unit.pk:
        raise ServiceError(_("Layanan tidak berada di unit ini."), field="layanan_id")
    if not 1 <= unsur <= 9:
        raise ServiceError(_("Pilih unsur U1–U9."), field="unsur")
    if not action.strip():
        raise ServiceError(_("Tuliskan rencana tindak lanjutnya."), field="action")
    owner = _owner_in(owner_id, unit.instansi_id)
    if due_date < key.start:
        raise ServiceError(
            _("Tenggat tidak boleh sebelum periode survei dimulai."), field="due_date"
        )
    item = RencanaTindakLanjut(
        instansi_id=unit.instansi_id,
        unit=unit,
        layanan=layanan,
        kind=key.kind,
        year=key.year,
        number=key.number,
        unsur=unsur,
        action=action.strip(),
        owner=owner,
        due_date=due_date,
        created_by=by,
    )
    clean_or_refuse(item, exclude=["instansi", "unit", "layanan", "owner", "created_by"])
    item.save()
    audit.record(
        "skm_rtl_create",
        by=by,
        scope=unit.instansi_id,
        target_type="rencana_tindak_lanjut",
        target_id=item.pk,
        new={
            "unit_id": unit.pk,
            "layanan_id": layanan.pk if layanan else None,
            "period": key.text,
            "unsur": unsur,
            "owner_id": owner.pk,
            "due_date": due_date,
        },
    )
    return item


@transaction.atomic
def rtl_mark_done(*, by: User, item: RencanaTindakLanjut, note: str = "") -> RencanaTindakLanjut:
    """Mark an action done: its owner, the unit's pimpinan or the admin."""
    item = RencanaTindakLanjut.objects.select_for_update().select_related("unit").get(pk=item.pk)
    is_owner = access_for(by).pegawai_id == item.owner_id
    if not (is_owner or may_manage_unit(by, item.unit)):
        raise Refused(
            _("Hanya penanggung jawab, pimpinan unit atau admin yang dapat menandai selesai.")
        )
    if item.done_at is not None:
        raise Conflict(_("Rencana tindak lanjut ini sudah ditandai selesai."))
    item.done_at = timezone.now()
    item.done_note = note.strip()
    item.save(update_fields=["done_at", "done_note"])
    audit.record(
        "skm_rtl_done",
        by=by,
        scope=item.instansi_id,
        target_type="rencana_tindak_lanjut",
        target_id=item.pk,
        new={"done_at": item.done_at, "note": item.done_note[:200]},
    )
    return item
