"""Every write of realisasi, evidence and rencana aksi; each owns its transaction and audit."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core import stored_files
from kinerja.core.errors import Conflict, Refused, ServiceError
from kinerja.core.formkeys import creates
from kinerja.org.access import access_for
from kinerja.plans.models import Iki, Skp, StatusSkp, TahunKinerja
from kinerja.plans.rules import Period, periods

from . import queries
from .evidence import LINK_MAX as LINK_MAX
from .evidence import MAX_FILES as MAX_FILES
from .evidence import Upload as Upload
from .evidence import max_upload_bytes as max_upload_bytes
from .evidence import store_evidence
from .evidence import uploads_from as uploads_from
from .locks import lock_plan as lock_plan
from .locks import lock_version as lock_version
from .locks import require_in_force as require_in_force
from .models import Realisasi, RencanaAksi


def cadence_of(skp: Skp) -> str:
    return year_cadence(skp.instansi_id, skp.year)


def year_cadence(instansi_id: int, year: int) -> str:
    """The instansi's cadence for the year (`TahunKinerja.cadence`), quarterly until set."""
    return (
        TahunKinerja.objects.filter(instansi_id=instansi_id, year=year)
        .values_list("cadence", flat=True)
        .first()
        or "TRIWULANAN"
    )


def period_of(skp: Skp, day: date, cadence: str | None = None) -> Period:
    """The period of the SKP's year that holds `day` (`cadence`: the instansi's, when the caller
    has read it already)."""
    for period in periods(skp.year, cadence or cadence_of(skp)):
        if period.start <= day <= period.end:
            return period
    raise ServiceError(
        _("Tanggal %(day)s di luar tahun SKP %(year)s.")
        % {"day": format(day, "%d-%m-%Y"), "year": skp.year},
        field="date",
    )


def _is_owner(by: User, skp: Skp) -> bool:
    """Whether `by` is the SKP's pegawai. With the pegawai already loaded (the API selects it
    with the IKI) its account answers without a query: Pegawai.user is one-to-one, so this is
    the same test as comparing `access_for(by).pegawai_id`, which costs three queries."""
    if Skp._meta.get_field("pegawai").is_cached(skp):
        return skp.pegawai.user_id is not None and skp.pegawai.user_id == by.pk
    return access_for(by).pegawai_id == skp.pegawai_id


def _require_reporter(by: User, skp: Skp, refusal: str = "") -> None:
    if not _is_owner(by, skp):
        raise Refused(refusal or _("Hanya pemilik SKP yang dapat melaporkan realisasinya."))
    if skp.status != StatusSkp.DISETUJUI:
        raise Conflict(_("Realisasi hanya dapat dilaporkan untuk SKP yang sudah disetujui."))
    require_in_force(skp)


def _check_day(skp: Skp, day: date) -> Period:
    today = timezone.localdate()
    if day > today:
        raise ServiceError(_("Tanggal realisasi tidak boleh di masa depan."), field="date")
    if not skp.start_date <= day <= skp.end_date:
        raise ServiceError(
            _("Tanggal realisasi harus dalam masa SKP (%(start_date)s s.d. %(end_date)s).")
            % {
                "start_date": format(skp.start_date, "%d-%m-%Y"),
                "end_date": format(skp.end_date, "%d-%m-%Y"),
            },
            field="date",
        )
    cadence = cadence_of(skp)  # read once for both periods
    period = period_of(skp, day, cadence)
    current = period_of(skp, today, cadence) if skp.start_date <= today <= skp.end_date else None
    if current is None or current.number != period.number:
        raise ServiceError(
            _("Realisasi hanya dapat dicatat untuk periode berjalan; %(label)s sudah lewat.")
            % {"label": period.label},
            field="date",
        )
    return period


def _require_open_period(skp: Skp, period: Period) -> None:
    """Refuse when the period's evaluation (or the annual one) is final (queries.locked_by)."""
    locked = queries.locked_by(skp, period)
    if locked is not None:
        which = _("tahunan") if locked == 0 else period.label
        raise Conflict(
            _(
                "Evaluasi %(which)s %(year)s sudah final; realisasi %(label)s terkunci. "
                "Minta pimpinan membuka kembali evaluasinya bila perlu dikoreksi."
            )
            % {"which": which, "year": skp.year, "label": period.label}
        )


# "1.200" is 1200 to an Indonesian reader and 1.2 to a machine: refused rather than guessed.
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d*)?$")
NARRATIVE_MAX = 4000  # characters, as the page's field


def parse_value(raw: Any) -> Decimal | None:
    """A number of at least 0 with a decimal comma or point ("12,5", "12.5"). A dot before
    exactly three digits ("1.200") or a dot and a comma together are a thousands separator in
    Indonesian writing and a decimal point in a machine's: refused with a message, never read
    wrongly. A number that is not text (a JSON number) is read as the number it is."""
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    typed = isinstance(raw, str)  # a JSON number (Decimal, int, float) has no thousands dots
    if typed and (_GROUPED.match(text) or ("." in text and "," in text)):
        raise ServiceError(
            _("Tulis angka tanpa pemisah ribuan, mis. 1200 atau 1200,5."), field="value"
        )
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ServiceError(
            _("Nilai realisasi harus angka, mis. 12 atau 12,5."), field="value"
        ) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ServiceError(_("Nilai realisasi di luar batas."), field="value")
    if value < 0:
        raise ServiceError(_("Nilai realisasi tidak boleh negatif."), field="value")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:  # stored with 2 places: never rounded
        raise ServiceError(
            _("Nilai realisasi paling banyak 2 angka di belakang koma, mis. 12,75."),
            field="value",
        )
    return value + 0  # "-0" is 0


def _check_content(iki: Iki, skp: Skp, value: Decimal | None, narrative: str) -> None:
    if skp.pendekatan == "KUANTITATIF" and iki.target_value is not None and value is None:
        raise ServiceError(_("Isi nilai realisasi untuk indikator kuantitatif."), field="value")
    if value is None and not narrative.strip():
        raise ServiceError(_("Isi nilai atau uraian realisasi."), field="narrative")
    if len(narrative.strip()) > NARRATIVE_MAX:
        raise ServiceError(
            _("Uraian paling panjang %(max)s karakter.") % {"max": NARRATIVE_MAX},
            field="narrative",
        )


def _rencana_aksi(
    skp: Skp, iki: Iki, period: Period, rencana_aksi_id: int | None
) -> RencanaAksi | None:
    """The rencana aksi an entry points to: one of the SKP's, of the same IKI and period. An
    unknown id and one of another SKP get the same answer (nothing tells which ids exist)."""
    if rencana_aksi_id is None:
        return None
    found = RencanaAksi.objects.filter(pk=rencana_aksi_id, skp=skp).first()
    if found is None:
        raise ServiceError(
            _("%(verbose_name)s dengan id %(pk)s tidak ditemukan pada SKP ini.")
            % {"verbose_name": capfirst(RencanaAksi._meta.verbose_name), "pk": rencana_aksi_id},
            field="rencana_aksi_id",
        )
    if found.iki_id != iki.pk:
        raise ServiceError(_("Rencana aksi itu milik indikator lain."), field="rencana_aksi_id")
    if found.period != period.number:
        raise ServiceError(
            _("Rencana aksi itu untuk periode lain; pilih rencana aksi %(label)s.")
            % {"label": period.label},
            field="rencana_aksi_id",
        )
    return found


def realisasi_record(
    *,
    by: User,
    iki: Iki,
    day: date,
    value: Any = None,
    narrative: str = "",
    rencana_aksi_id: int | None = None,
    uploads: list[Upload] | None = None,
    links: list[str] | None = None,
    idempotency_key: str | None = None,
) -> tuple[Realisasi, bool]:
    """Record an achievement with its evidence. Returns (entry, created): a retry with the same
    idempotency key returns the first entry and creates nothing. `rencana_aksi_id`: one of the
    SKP's rencana aksi, of this IKI and period (a 400 naming `rencana_aksi_id` otherwise, an
    unknown id or one of another SKP alike)."""
    try:
        return _record(
            by=by, iki=iki, day=day, value=value, narrative=narrative,
            rencana_aksi_id=rencana_aksi_id, uploads=uploads, links=links,
            idempotency_key=idempotency_key,
        )  # fmt: skip
    except IntegrityError:
        # A concurrent retry with the same key won the race (the unique constraint refused this
        # entry, and the transaction rolled back before any evidence or audit): answer with its
        # entry. Catching here, outside the transaction, spares every request a savepoint.
        if idempotency_key:
            existing = Realisasi.objects.filter(
                created_by=by, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                _require_same_entry(
                    existing, iki=iki, day=day, value=value, narrative=narrative,
                    rencana_aksi_id=rencana_aksi_id, uploads=uploads or [], links=links or [],
                )  # fmt: skip
                return existing, False
        raise


def _copied_from(iki_id: int | None, original_id: int) -> bool:
    """Whether IKI `iki_id` is a copy (of a copy …) of `original_id`: an entry that followed a
    perubahan SKP (services_versions) is the one a retry sent to the old version's IKI."""
    seen: set[int] = set()
    while iki_id is not None and iki_id not in seen:
        seen.add(iki_id)
        iki_id = Iki.objects.filter(pk=iki_id).values_list("copied_from_id", flat=True).first()
        if iki_id == original_id:
            return True
    return False


def _require_same_entry(
    existing: Realisasi,
    *,
    iki: Iki,
    day: date,
    value: Any,
    narrative: str,
    rencana_aksi_id: int | None,
    uploads: list[Upload],
    links: list[str],
) -> None:
    """A retry with a used idempotency key must carry the first entry's content: a retry from
    a phone sends the same form, while other content under the same key (a form changed after
    going back, a client reusing keys) would otherwise be dropped without a word."""
    if existing.iki_id != iki.pk and not _copied_from(existing.iki_id, iki.pk):
        raise Conflict(
            _(
                "Formulir ini sudah dikirim untuk indikator lain. Muat ulang halaman, lalu "
                "kirim lagi."
            )
        )
    try:
        amount = parse_value(value)
    except ServiceError:
        amount = None
        same_value = False
    else:
        same_value = amount == existing.value
    evidence = list(existing.bukti.values_list("sha256", "url"))
    same = (
        same_value
        and existing.date == day
        and existing.narrative == narrative.strip()
        and existing.rencana_aksi_id == rencana_aksi_id
        and sorted(sha for sha, _url in evidence if sha)
        == sorted(hashlib.sha256(upload.content).hexdigest() for upload in uploads)
        and sorted(url for _sha, url in evidence if url) == sorted(link.strip() for link in links)
    )
    if not same:
        raise Conflict(
            _(
                "Formulir ini sudah dikirim dengan isi yang lain (realisasi %(date)s). Muat "
                "ulang halaman, lalu kirim lagi."
            )
            % {"date": format(existing.date, "%d-%m-%Y")}
        )


@stored_files.files_deleted_on_failure
@transaction.atomic
def _record(
    *,
    by: User,
    iki: Iki,
    day: date,
    value: Any,
    narrative: str,
    rencana_aksi_id: int | None,
    uploads: list[Upload] | None,
    links: list[str] | None,
    idempotency_key: str | None,
) -> tuple[Realisasi, bool]:
    if idempotency_key:
        if len(idempotency_key) > 64:
            raise ServiceError(_("Kunci idempotensi paling panjang 64 karakter."), field="key")
        existing = Realisasi.objects.filter(created_by=by, idempotency_key=idempotency_key).first()
        if existing is not None:
            _require_same_entry(
                existing, iki=iki, day=day, value=value, narrative=narrative,
                rencana_aksi_id=rencana_aksi_id, uploads=uploads or [], links=links or [],
            )  # fmt: skip
            return existing, False
    skp = iki.rhk.skp
    _require_reporter(by, skp)
    period = _check_day(skp, day)
    _require_open_period(skp, period)
    amount = parse_value(value)
    _check_content(iki, skp, amount, narrative)
    rencana_aksi = _rencana_aksi(skp, iki, period, rencana_aksi_id)
    entry = Realisasi(
        instansi_id=skp.instansi_id, skp=skp, iki=iki, pegawai_id=skp.pegawai_id,
        period=period.number, date=day, value=amount, narrative=narrative.strip(),
        rencana_aksi=rencana_aksi, idempotency_key=idempotency_key or "", created_by=by,
    )  # fmt: skip
    entry.save()
    store_evidence(entry, uploads or [], links or [])
    audit.record(
        "realisasi_record", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        new={"realisasi_id": entry.pk, "iki_id": iki.pk, "date": day.isoformat(),
             "value": str(amount) if amount is not None else None, "period": period.number},
    )  # fmt: skip
    return entry, True


@creates(Realisasi)
@stored_files.files_deleted_on_failure
@transaction.atomic
def realisasi_correct(
    *,
    by: User,
    realisasi: Realisasi,
    value: Any = None,
    narrative: str = "",
    reason: str,
    uploads: list[Upload] | None = None,
    links: list[str] | None = None,
    form_key: str = "",
) -> Realisasi:
    """Replace an entry by a corrected one; the original stays, marked as corrected."""
    skp = realisasi.skp
    _require_reporter(by, skp)
    if Realisasi.objects.filter(corrects=realisasi).exists():
        raise Conflict(_("Realisasi ini sudah dikoreksi; koreksi entri yang terbaru."))
    if not reason.strip():
        raise ServiceError(_("Alasan koreksi wajib diisi."), field="reason")
    if len(reason.strip()) > 300:
        raise ServiceError(_("Alasan koreksi paling panjang 300 karakter."), field="reason")
    _require_open_period(skp, _check_day(skp, realisasi.date))
    amount = parse_value(value)
    _check_content(realisasi.iki, skp, amount, narrative)
    entry = Realisasi.objects.create(
        instansi_id=skp.instansi_id, skp=skp, iki_id=realisasi.iki_id,
        pegawai_id=skp.pegawai_id, period=realisasi.period, date=realisasi.date, value=amount,
        narrative=narrative.strip(), rencana_aksi_id=realisasi.rencana_aksi_id,
        corrects=realisasi, correction_reason=reason.strip(), created_by=by,
    )  # fmt: skip
    store_evidence(entry, uploads or [], links or [])
    audit.record(
        "realisasi_correct", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        old={"realisasi_id": realisasi.pk,
             "value": str(realisasi.value) if realisasi.value is not None else None},
        new={"realisasi_id": entry.pk, "value": str(amount) if amount is not None else None,
             "reason": entry.correction_reason},
    )  # fmt: skip
    return entry


@creates(RencanaAksi)
@transaction.atomic
def rencana_aksi_add(
    *, by: User, iki: Iki, period: int, text: str, form_key: str = ""
) -> RencanaAksi:
    skp = iki.rhk.skp
    _require_reporter(by, skp, _("Hanya pemilik SKP yang dapat menambah rencana aksi."))
    if period not in {p.number for p in periods(skp.year, cadence_of(skp))}:
        raise ServiceError(_("Periode tidak dikenal untuk tahun SKP ini."), field="period")
    if not text.strip():
        raise ServiceError(_("Rencana aksi wajib diisi."), field="text")
    item = RencanaAksi.objects.create(skp=skp, iki=iki, period=period, text=text.strip())
    audit.record(
        "rencana_aksi_add", by=by, scope=skp.instansi_id, target_type="skp", target_id=skp.pk,
        new={"rencana_aksi_id": item.pk, "iki_id": iki.pk, "period": period, "text": item.text},
    )  # fmt: skip
    return item
