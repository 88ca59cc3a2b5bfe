"""Writes of the training catalogue, development plans, JP records (with the certificate) and
follow-up records for Kurang/Sangat Kurang. Each owns its transaction and its audit event."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.assessments.models import Evaluasi, StatusEvaluasi
from kinerja.audit import services as audit
from kinerja.core import stored_files
from kinerja.core.errors import Conflict, Refused, ServiceError, clean_or_refuse, localize
from kinerja.core.formkeys import creates
from kinerja.org.hierarchy import rater_id_for
from kinerja.org.models import Pegawai
from kinerja.progress import rules as evidence
from kinerja.progress.services import Upload, max_upload_bytes

from . import guards, rules
from .models import (
    CatatanJp,
    CatatanTindakLanjut,
    Kasus,
    Moda,
    Pelatihan,
    RencanaPengembangan,
    StatusRencana,
)

CERTIFICATE_KINDS = frozenset({"pdf", "png", "jpg", "webp"})
_PELATIHAN_FIELDS = ("name", "jp", "mode", "core_values", "kompetensi", "for_hasil",
                     "for_pelayanan", "active")  # fmt: skip


def _jp(raw: Any, field: str = "jp") -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise ServiceError(_("JP harus angka, mis. 2 atau 2,5."), field=field) from None
    try:
        # As stored (one decimal place): the answer to a create reads as a later GET does.
        return rules.check_jp(value).quantize(Decimal("0.1"))
    except ValueError as exc:
        raise ServiceError(localize(exc), field=field) from exc


def _core_values(raw: Any) -> list[int]:
    values = sorted({int(v) for v in raw or []}) if isinstance(raw, list | tuple) else None
    if values is None or any(not 1 <= v <= 7 for v in values):
        raise ServiceError(_("Nilai BerAKHLAK harus nomor 1 sampai 7."), field="core_values")
    return values


@creates(Pelatihan)
@transaction.atomic
def pelatihan_save(
    *,
    by: User,
    instansi_id: int,
    values: dict[str, Any],
    pelatihan: Pelatihan | None = None,
    form_key: str = "",
) -> Pelatihan:
    """Create or change a catalogue item (admins of the instansi)."""
    if not guards.is_admin(by, instansi_id):
        raise Refused(_("Hanya admin instansi yang dapat mengelola katalog pelatihan."))
    item = pelatihan or Pelatihan(instansi_id=instansi_id)
    if item.instansi_id != instansi_id:
        raise Refused(_("Pelatihan ini milik instansi lain."))
    old = {f: getattr(item, f) for f in _PELATIHAN_FIELDS} if pelatihan else {}
    name = str(values.get("name", item.name if pelatihan else "")).strip()
    if not name:
        raise ServiceError(_("Isi nama pelatihan."), field="name")
    mode = values.get("mode", item.mode if pelatihan else "")
    if mode not in Moda.values:
        raise ServiceError(_("Pilih moda pelatihan."), field="mode")
    item.name, item.mode = name[:200], mode
    item.jp = _jp(values.get("jp", item.jp if pelatihan else ""))
    item.core_values = _core_values(values.get("core_values", item.core_values))
    item.kompetensi = str(values.get("kompetensi", item.kompetensi)).strip()[:300]
    for flag in ("for_hasil", "for_pelayanan", "active"):
        setattr(item, flag, bool(values.get(flag, getattr(item, flag))))
    if (
        Pelatihan.objects.filter(instansi_id=instansi_id, name__iexact=name)
        .exclude(pk=item.pk)
        .exists()
    ):
        raise Conflict(_("Pelatihan %(name)r sudah ada di katalog.") % {"name": name})
    clean_or_refuse(item, exclude=["instansi"])
    item.save()
    audit.record(
        "pelatihan_save", by=by, scope=instansi_id, target_type="pelatihan", target_id=item.pk,
        old=old, new={f: getattr(item, f) for f in _PELATIHAN_FIELDS},
    )  # fmt: skip
    return item


def _person_scope(pegawai: Pegawai) -> tuple[int | None, str]:
    jabatan = pegawai.jabatan
    return rater_id_for(pegawai), jabatan.unit.path if jabatan is not None else ""


@creates(RencanaPengembangan)
@transaction.atomic
def rencana_accept(
    *,
    by: User,
    pegawai: Pegawai,
    pelatihan: Pelatihan,
    year: int,
    reason: str = "",
    kasus: Kasus | None = None,
    form_key: str = "",
) -> RencanaPengembangan:
    """Accept a (recommended) catalogue item into the pegawai's development plan for a year:
    the pegawai themselves, their rater or an admin."""
    rater_id, path = _person_scope(pegawai)
    if not (
        guards.is_self(by, pegawai.pk)
        or guards.is_rater(by, rater_id)
        or guards.is_admin(by, pegawai.instansi_id)
    ):
        raise Refused(
            _("Hanya pegawai, pejabat penilainya atau admin yang dapat menerima rencana.")
        )
    if pelatihan.instansi_id != pegawai.instansi_id or not pelatihan.active:
        raise ServiceError(_("Pelatihan ini tidak ada di katalog instansi."), field="pelatihan")
    if kasus is not None and kasus.pegawai_id != pegawai.pk:
        raise ServiceError(_("Kasus ini milik pegawai lain."), field="kasus")
    if not 2000 <= year <= guards.today().year + 1:
        raise ServiceError(_("Tahun rencana tidak valid."), field="year")
    if RencanaPengembangan.objects.filter(pegawai=pegawai, year=year, pelatihan=pelatihan).exists():
        raise Conflict(
            _("%(name)s sudah ada di rencana pengembangan %(year)s.")
            % {"name": pelatihan.name, "year": year}
        )
    plan = RencanaPengembangan.objects.create(
        instansi_id=pegawai.instansi_id, pegawai=pegawai, rater_id=rater_id, unit_path=path,
        year=year, pelatihan=pelatihan, reason=reason.strip()[:300], kasus=kasus, accepted_by=by,
    )  # fmt: skip
    audit.record(
        "rencana_accept", by=by, scope=pegawai.instansi_id, target_type="rencana_pengembangan",
        target_id=plan.pk, new={"pegawai_id": pegawai.pk, "pelatihan_id": pelatihan.pk,
                                "year": year, "reason": plan.reason},
    )  # fmt: skip
    return plan


def _certificate(upload: Upload) -> tuple[str, str]:
    limit = max_upload_bytes()
    if not upload.content:
        raise ServiceError(_("Berkas sertifikat kosong."), field="certificate")
    if len(upload.content) > limit:
        raise ServiceError(
            _("Sertifikat terlalu besar; paling besar %(limit_mb)s MB.")
            % {"limit_mb": limit // (1024 * 1024)},
            field="certificate",
        )
    try:
        kind = evidence.sniff_kind(upload.content, upload.name)
    except evidence.EvidenceRefused as exc:
        raise ServiceError(f"{upload.name}: {_(str(exc))}", field="certificate") from exc
    if kind not in CERTIFICATE_KINDS:
        raise ServiceError(
            _("Sertifikat harus PDF atau gambar (JPG, PNG, WEBP)."), field="certificate"
        )
    return kind, evidence.safe_file_name(upload.name, kind)


@creates(CatatanJp)
@stored_files.files_deleted_on_failure
@transaction.atomic
def jp_record(
    *,
    by: User,
    pegawai: Pegawai,
    day: date,
    certificate: Upload,
    rencana: RencanaPengembangan | None = None,
    title: str = "",
    mode: str = "",
    jp: Any = None,
    form_key: str = "",
) -> CatatanJp:
    """Record competence development hours done by the pegawai (they or an admin), with the
    certificate checked by its content. From a plan item, title/mode/JP default to the catalogue
    item's and the item becomes SELESAI."""
    if not (guards.is_self(by, pegawai.pk) or guards.is_admin(by, pegawai.instansi_id)):
        raise Refused(_("Hanya pegawai sendiri atau admin yang dapat mencatat JP."))
    if rencana is not None:
        if rencana.pegawai_id != pegawai.pk:
            raise ServiceError(_("Rencana ini milik pegawai lain."), field="rencana")
        if rencana.status == StatusRencana.SELESAI:
            raise Conflict(_("Rencana pengembangan ini sudah diselesaikan."))
        title = title or rencana.pelatihan.name
        mode = mode or rencana.pelatihan.mode
        jp = rencana.pelatihan.jp if jp in (None, "") else jp
    if not title.strip():
        raise ServiceError(_("Isi nama kegiatan pengembangan."), field="title")
    if mode not in Moda.values:
        raise ServiceError(_("Pilih moda kegiatan."), field="mode")
    hours = _jp(jp)
    if day > guards.today():
        raise ServiceError(_("Tanggal selesai tidak boleh di masa depan."), field="date")
    if rencana is not None and day.year != rencana.year:
        raise ServiceError(
            _("Tanggal selesai harus dalam tahun rencana %(year)s.") % {"year": rencana.year},
            field="date",
        )
    kind, name = _certificate(certificate)
    rater_id, path = _person_scope(pegawai)
    record = CatatanJp(
        instansi_id=pegawai.instansi_id, pegawai=pegawai, rater_id=rater_id, unit_path=path,
        year=day.year, rencana=rencana, title=title.strip()[:200], mode=mode, jp=hours, date=day,
        file_name=name, content_type=evidence.ALLOWED_KINDS[kind], size=len(certificate.content),
        sha256=hashlib.sha256(certificate.content).hexdigest(), recorded_by=by,
    )  # fmt: skip
    record.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(certificate.content), save=False)
    stored_files.note(record.file)
    record.save()
    if rencana is not None:
        rencana.status = StatusRencana.SELESAI
        rencana.save(update_fields=["status"])
    audit.record(
        "jp_record", by=by, scope=pegawai.instansi_id, target_type="catatan_jp",
        target_id=record.pk, new={"pegawai_id": pegawai.pk, "jp": hours, "date": day,
                                  "rencana_id": rencana.pk if rencana else None,
                                  "sha256": record.sha256},
    )  # fmt: skip
    return record


@creates(CatatanTindakLanjut)
@transaction.atomic
def tindak_lanjut_record(
    *, by: User, evaluasi: Evaluasi, action: str, day: date, form_key: str = ""
) -> CatatanTindakLanjut:
    """Record a follow-up action for a final Kurang/Misconduct or Sangat Kurang result
    (admins of the instansi; auditors read only). Recording only: nothing else happens."""
    if not guards.is_admin(by, evaluasi.instansi_id):
        raise Refused(_("Hanya admin instansi yang dapat mencatat tindak lanjut."))
    if evaluasi.status != StatusEvaluasi.FINAL or evaluasi.predikat not in rules.FOLLOW_UP_PREDIKAT:
        raise Conflict(
            _("Tindak lanjut dicatat untuk predikat final Kurang/Misconduct atau Sangat Kurang.")
        )
    if not action.strip():
        raise ServiceError(_("Tulis tindakan yang diambil."), field="action")
    if day > guards.today():
        raise ServiceError(_("Tanggal tindakan tidak boleh di masa depan."), field="date")
    record = CatatanTindakLanjut.objects.create(
        instansi_id=evaluasi.instansi_id, evaluasi=evaluasi, pegawai_id=evaluasi.pegawai_id,
        predikat=evaluasi.predikat, action=action.strip(), date=day, recorded_by=by,
    )  # fmt: skip
    audit.record(
        "tindak_lanjut_record", by=by, scope=evaluasi.instansi_id,
        target_type="catatan_tindak_lanjut", target_id=record.pk,
        new={"evaluasi_id": evaluasi.pk, "predikat": evaluasi.predikat, "date": day},
    )  # fmt: skip
    return record
