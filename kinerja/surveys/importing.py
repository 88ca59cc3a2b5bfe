"""Paper questionnaires: import answers of one layanan and period from CSV or XLSX.

All or nothing: every row is checked first (pure Python after two small queries); only a file
without a single error is written, in one transaction with one bulk insert and one audit event.
A dry run returns the same counts and errors and writes nothing. Both also report the rows
that repeat paper answers already stored for the layanan and period (a warning, one more
query: import_overlap.py). Columns: docs/skm.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Conflict, ServiceError
from kinerja.org.guards import require_admin
from kinerja.org.import_parse import Columns, RowError, Table, parse_date, read_table
from kinerja.org.models import Pegawai

from .import_overlap import AlreadyStored, already_stored
from .models import (
    UNSUR_FIELDS,
    Layanan,
    Pekerjaan,
    Pendidikan,
    SkmImport,
    SkmResponse,
    Sumber,
    SurveyPeriod,
)

COLUMNS = Columns(
    required=(*UNSUR_FIELDS, "usia", "jenis_kelamin", "pendidikan", "pekerjaan"),
    optional=("saran", "nip_petugas", "tanggal"),
)
GENDER_WORDS = {"L": "L", "LAKI-LAKI": "L", "LAKI LAKI": "L", "P": "P", "PEREMPUAN": "P"}
PENDIDIKAN_WORDS = {
    **{c.value: c.value for c in Pendidikan},
    "D1": "D3",
    "D2": "D3",
    "DIII": "D3",
    "D4": "S1",
    "D1/D2/D3": "D3",
    "D4/S1": "S1",
    "SDKEBAWAH": "SD",
}
PREVIEW_ROWS = 10


class AlreadyImported(Conflict):
    code = "already_imported"


def _already_imported(
    layanan: Layanan, period: SurveyPeriod, sha256: str, rows_sha256: str = ""
) -> None:
    """Refuse a file already saved for this layanan and period: the same bytes (SHA-256 of the
    file) or, once the rows are read, the same questionnaires in another file."""
    same = Q(sha256=sha256)
    if rows_sha256:
        same |= Q(rows_sha256=rows_sha256)
    earlier = SkmImport.objects.filter(same, layanan=layanan, period=period).first()
    if earlier is None:
        return
    when = timezone.localtime(earlier.created_at).strftime("%d-%m-%Y %H.%M")
    params = {"file": earlier.file_name, "rows": earlier.rows, "when": when}
    if earlier.sha256 == sha256:
        message = _(
            "File ini sudah diimpor untuk layanan dan periode ini (%(file)s, %(rows)d kuesioner, "
            "%(when)s); mengimpornya lagi akan menghitung jawaban yang sama dua kali."
        )
    else:
        message = _(
            "Kuesioner dalam file ini sudah diimpor untuk layanan dan periode ini dari file lain "
            "(%(file)s, %(rows)d kuesioner, %(when)s); mengimpornya lagi akan menghitung jawaban "
            "yang sama dua kali."
        )
    raise AlreadyImported(message % params, field="file")


def rows_fingerprint(rows: list[tuple[SkmResponse, date | None]]) -> str:
    """SHA-256 of the checked rows as values (answers, respondent, saran, petugas, tanggal),
    sorted: the same questionnaires give the same fingerprint whatever the file's format, its
    spelling of a value ("Laki-laki" or "L") or the order of its rows."""
    lines = sorted(
        "\x1f".join(
            str(part)
            for part in (
                *response.answers(),
                response.usia,
                response.jenis_kelamin,
                response.pendidikan,
                response.pekerjaan,
                response.saran,
                response.petugas_id or "",
                day or "",
            )
        )
        for response, day in rows
    )
    return hashlib.sha256("\x1e".join(lines).encode()).hexdigest()


@dataclass
class SkmImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    preview: list[dict[str, str]] = field(default_factory=list)
    # Rows that repeat paper answers already stored (a warning; import_overlap.py).
    already_stored: AlreadyStored = field(default_factory=AlreadyStored)

    @property
    def ok(self) -> bool:
        return not self.errors


def _answer_day(text: str, period: SurveyPeriod, today: date) -> tuple[date | None, str]:
    """The optional `tanggal` (the day the questionnaire was filled): a day of the period, not
    after today. Returns the day, or a problem to report."""
    day = parse_date(text)
    if day is None:
        return None, _("tanggal harus DD-MM-YYYY atau YYYY-MM-DD ('%(value)s')") % {"value": text}
    if not period.start <= day <= period.end:
        return None, _("tanggal %(day)s di luar periode (%(start)s s.d. %(end)s)") % {
            "day": f"{day:%d-%m-%Y}",
            "start": f"{period.start:%d-%m-%Y}",
            "end": f"{period.end:%d-%m-%Y}",
        }
    if day > today:
        return None, _("tanggal %(day)s belum terjadi") % {"day": f"{day:%d-%m-%Y}"}
    return day, ""


def _row(
    table: Table,
    number: int,
    cells: dict[str, str],
    petugas: dict[str, int],
    period: SurveyPeriod,
    today: date,
) -> tuple[SkmResponse, date | None] | None:
    """The row as a response and the day it was filled (None: not given), or None on errors."""
    problems: list[str] = []
    answers: list[int] = []
    for name in UNSUR_FIELDS:
        text = cells.get(name, "")
        if text not in {"1", "2", "3", "4"}:
            shown = f"'{text}'" if text else _("kosong")
            problems.append(
                _("%(unsur)s harus 1, 2, 3 atau 4 (%(value)s)")
                % {"unsur": name.upper(), "value": shown}
            )
        else:
            answers.append(int(text))
    usia_text = cells.get("usia", "")
    # Only ASCII digits: str.isdigit() is also true for "²" (int() then raises) and int()
    # would read Arabic-Indic or full-width digits as a number nobody wrote on paper.
    usia = int(usia_text) if usia_text.isascii() and usia_text.isdigit() else 0
    if not 10 <= usia <= 120:
        problems.append(_("usia harus angka 10–120 ('%(value)s')") % {"value": usia_text})
    gender = GENDER_WORDS.get(cells.get("jenis_kelamin", "").upper())
    if gender is None:
        problems.append(_("jenis_kelamin harus L atau P"))
    pendidikan = PENDIDIKAN_WORDS.get(cells.get("pendidikan", "").upper().replace(" ", ""))
    if pendidikan is None:
        choices = ", ".join(Pendidikan.values)
        problems.append(_("pendidikan harus salah satu dari %(choices)s") % {"choices": choices})
    pekerjaan = cells.get("pekerjaan", "").upper()
    if pekerjaan not in Pekerjaan.values:
        choices = ", ".join(Pekerjaan.values)
        problems.append(_("pekerjaan harus salah satu dari %(choices)s") % {"choices": choices})
    nip = cells.get("nip_petugas", "").replace(" ", "")
    petugas_id = petugas.get(nip) if nip else None
    if nip and petugas_id is None:
        problems.append(
            _("petugas dengan NIP %(nip)s tidak bertugas di unit layanan ini") % {"nip": nip}
        )
    day: date | None = None
    if day_text := cells.get("tanggal", "").strip():
        day, problem = _answer_day(day_text, period, today)
        if problem:
            problems.append(problem)
    if problems:
        table.error(number, "; ".join(problems))
        return None
    assert gender is not None and pendidikan is not None
    values = dict(zip(UNSUR_FIELDS, answers, strict=True))
    response = SkmResponse(
        usia=usia,
        jenis_kelamin=gender,
        pendidikan=pendidikan,
        pekerjaan=pekerjaan,
        saran=cells.get("saran", "")[:2000],
        petugas_id=petugas_id,
        source=Sumber.PAPER,
        **values,
    )
    return response, day


def _noon(day: date) -> datetime:
    """Noon of `day`, or now when that is still ahead (a questionnaire of this morning)."""
    return min(
        datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone()), timezone.now()
    )


def answered_at(period: SurveyPeriod, today: date | None = None) -> datetime:
    """When imported answers count as given: now while the period runs, else noon of the
    period's day nearest to today (its last day for a past period, its first for a future one).
    The petugas windows read this moment, so the answers count in their own period."""
    today = today or timezone.localdate()
    if period.start <= today <= period.end:
        return timezone.now()
    day = min(max(today, period.start), period.end)
    return datetime.combine(day, time(12), tzinfo=timezone.get_current_timezone())


def skm_import(
    *,
    by: User,
    layanan: Layanan,
    period: SurveyPeriod,
    file_name: str,
    content: bytes,
    dry_run: bool,
) -> SkmImportResult:
    """Import paper answers for one layanan and period; nothing is written on any error.

    A file saved before (same bytes or same rows) is refused; rows that repeat only some stored
    answers are reported in `already_stored` (preview and save) and saved all the same."""
    require_admin(by, layanan.instansi_id)
    if period.layanan_id != layanan.pk:
        raise ServiceError(_("Periode ini bukan milik layanan yang dipilih."), field="period")
    table = read_table(file_name, content, COLUMNS, max_bytes=settings.KINERJA_IMPORT_MAX_BYTES)
    sha256 = hashlib.sha256(content).hexdigest()
    _already_imported(layanan, period, sha256)  # the preview says so too
    if not table.rows and not table.errors:
        raise ServiceError(_("File tidak berisi baris data (hanya baris judul)."), field="file")
    petugas = dict(
        Pegawai.objects.filter(jabatan__unit_id=layanan.unit_id).values_list("nip", "id")
    )
    rows: list[tuple[SkmResponse, date | None]] = []
    numbers: list[int] = []
    today = timezone.localdate()
    for number, cells in table.rows:
        row = _row(table, number, cells, petugas, period, today)
        if row is not None:
            rows.append(row)
            numbers.append(number)
    planned = [response for response, _day in rows]
    rows_sha256 = rows_fingerprint(rows) if rows else ""
    if not table.errors:
        _already_imported(layanan, period, sha256, rows_sha256)  # the same answers, other bytes
    errors = sorted(table.errors, key=lambda e: e.row)
    result = SkmImportResult(
        rows=len(planned),
        errors=errors,
        dry_run=dry_run or bool(errors),
        preview=[{"row": str(n), **c} for n, c in table.rows[:PREVIEW_ROWS]],
    )
    if dry_run or not errors:  # before the write: the file's own rows are not "stored"
        result.already_stored = already_stored(
            period, ((n, r, day) for n, (r, day) in zip(numbers, rows, strict=True))
        )
    if dry_run or errors:
        return result
    moment = answered_at(period)
    for item, day in rows:
        item.created_at = _noon(day) if day is not None else moment  # its own tanggal first
        item.instansi_id = layanan.instansi_id
        item.unit_id = layanan.unit_id
        item.layanan_id = layanan.pk
        item.period_id = period.pk
    try:
        with transaction.atomic():
            SkmImport.objects.create(
                instansi_id=layanan.instansi_id,
                layanan=layanan,
                period=period,
                sha256=sha256,
                rows_sha256=rows_sha256,
                file_name=file_name[:200],
                rows=len(planned),
                created_by=by,
            )
            SkmResponse.objects.bulk_create(planned, batch_size=2000)
            audit.record(
                "skm_import",
                by=by,
                scope=layanan.instansi_id,
                target_type="survey_period",
                target_id=period.pk,
                new={
                    "layanan_id": layanan.pk,
                    "file_name": file_name[:200],
                    "rows": len(planned),
                    "sha256": sha256,
                    "rows_sha256": rows_sha256,
                    "already_stored": result.already_stored.count,
                },
            )
    except IntegrityError:
        _already_imported(layanan, period, sha256, rows_sha256)  # saved in parallel meanwhile
        raise
    return result
