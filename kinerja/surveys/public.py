"""The public submission path: one-time form tokens, per-client rate limit, duplicate check,
honeypot, then one statement. Shared by the questionnaire page and the public API.

Kept lean on purpose (docs/skm.md, docs/performance.md): the token is verified without a query,
the rate limit and the duplicate window live in the cache, and an accepted answer is one
autocommit `INSERT … SELECT … RETURNING id` whose SELECT checks that the period runs today, the
layanan is active (and has the code posted to, and the petugas named is placed in its unit) and
yields the instansi and unit; the INSERT itself enforces the rest: the token hash and the
fingerprint are UNIQUE, the answers have CHECK constraints. Only a refusal costs more queries
(which reason applies). No audit event per answer: the chain head of an instansi is locked by
every audit write, so auditing each citizen would serialise all submissions of an instansi
behind one row lock, and an anonymous answer has no actor to account for. Admin actions on SKM
data (layanan, periods, imports, follow-up) are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.org.models import Jabatan, Pegawai

from .models import Layanan, SkmResponse, Sumber, SurveyPeriod
from .refusals import Duplicate as Duplicate
from .refusals import NotRunning as NotRunning
from .refusals import Rejected as Rejected
from .refusals import TokenExpired as TokenExpired
from .refusals import TokenInvalid as TokenInvalid
from .refusals import TokenUsed as TokenUsed
from .refusals import TooMany as TooMany
from .refusals import Unavailable as Unavailable
from .refusals import duplicate, token_used, unavailable

TOKEN_SALT = "kinerja.surveys.form"  # noqa: S105 - a signing salt, not a secret
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    answers: tuple[int, ...]  # nine values 1..4, unsur order
    usia: int
    jenis_kelamin: str
    pendidikan: str
    pekerjaan: str
    saran: str = ""
    petugas_id: int | None = None


@dataclass(frozen=True)
class Ticket:
    layanan_id: int
    period_id: int
    nonce: str


def _digest(*parts: object) -> str:
    text = "|".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), text, hashlib.blake2b).hexdigest()[:32]


def issue_token(layanan_id: int, period_id: int) -> str:
    """A signed token for one form load (valid KINERJA_SKM_TOKEN_MAX_AGE seconds, once)."""
    nonce = secrets.token_urlsafe(12)
    return signing.dumps([layanan_id, period_id, nonce], salt=TOKEN_SALT, compress=False)


def read_token(token: str, layanan_id: int | None = None) -> Ticket:
    """Verify signature, age and layanan (no query)."""
    try:
        raw: Any = signing.loads(token, salt=TOKEN_SALT, max_age=settings.KINERJA_SKM_TOKEN_MAX_AGE)
    except signing.SignatureExpired:  # the page says it in its own words (public_views.py)
        raise TokenExpired(
            _("Formulir sudah terlalu lama dibuka. Muat ulang halaman lalu isi kembali.")
        ) from None
    except signing.BadSignature:
        raise TokenInvalid(
            _("Formulir tidak sah atau rusak. Muat ulang halaman lalu isi kembali.")
        ) from None
    if not (isinstance(raw, list) and len(raw) == 3):
        raise TokenInvalid(_("Formulir tidak sah. Muat ulang halaman lalu isi kembali."))
    ticket = Ticket(int(raw[0]), int(raw[1]), str(raw[2]))
    if layanan_id is not None:
        check_ticket_layanan(ticket, layanan_id)
    return ticket


def check_ticket_layanan(ticket: Ticket, layanan_id: int) -> None:
    if ticket.layanan_id != layanan_id:
        raise TokenInvalid(
            _("Formulir ini untuk layanan lain. Muat ulang halaman lalu isi kembali.")
        )


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address (the address itself is never stored).

    A list header (X-Forwarded-For: "client-supplied, …, added by our proxy") counts by its
    rightmost entry, the one the trusted proxy appended: the entries before it are whatever the
    client sent and would let anyone rotate past the rate limit (docs/operator.md)."""
    header = settings.KINERJA_CLIENT_IP_HEADER or "REMOTE_ADDR"
    address = str(request.META.get(header, "") or request.META.get("REMOTE_ADDR", ""))
    return _digest("client", address.split(",")[-1].strip())


def check_rate(client: str) -> None:
    """Count one attempt of this client; refuse beyond KINERJA_SKM_RATE_LIMIT per window."""
    key = f"skm:rl:{client}"
    window = settings.KINERJA_SKM_RATE_WINDOW
    if cache.add(key, 1, window):
        return
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return
    if count > settings.KINERJA_SKM_RATE_LIMIT:
        raise TooMany(
            _(
                "Terlalu banyak pengiriman dari perangkat atau jaringan ini. "
                "Silakan coba lagi beberapa saat lagi."
            )
        )


def check_honeypot(value: str) -> None:
    if value.strip():
        raise Rejected(_("Formulir tidak dapat diterima. Kosongkan isian tersembunyi lalu kirim."))


def _fingerprint_base(client: str, layanan_id: int, s: Submission) -> str:
    return _digest(
        "dup", client, layanan_id, s.answers, s.usia, s.jenis_kelamin, s.pendidikan, s.pekerjaan
    )


def _running_period(ticket: Ticket, code: str | None) -> tuple[int, int] | None:
    """(instansi_id, unit_id) when the layanan (with this code, if given) is active and the
    period runs today. Only to explain a refusal: the accepted path checks this inside its
    INSERT."""
    today = timezone.localdate()
    rows = SurveyPeriod.objects.filter(
        pk=ticket.period_id,
        layanan_id=ticket.layanan_id,
        layanan__active=True,
        start__lte=today,
        end__gte=today,
    )
    if code is not None:
        rows = rows.filter(layanan__code=code)
    row: tuple[int, int] | None = rows.values_list("instansi_id", "layanan__unit_id").first()
    return row


# The columns of one answer: these from the parameters, the rest from the period and layanan
# rows that the statement checks. Compared with the model on first use, so that a new field
# cannot be silently left out of the INSERT.
_PARAM_COLUMNS = (
    *(f"u{i}" for i in range(1, 10)),
    "usia",
    "jenis_kelamin",
    "pendidikan",
    "pekerjaan",
    "saran",
    "petugas_id",
    "source",
    "token_hash",
    "fingerprint",
    "created_at",
)
_CHECKED_COLUMNS = {  # column -> the checked row's field (p: period, l: layanan)
    "instansi_id": ("p", "instansi"),
    "unit_id": ("l", "unit"),
    "layanan_id": ("p", "layanan"),
    "period_id": ("p", "id"),
}


@memoize
def _insert_sql(vendor: str, with_code: bool, with_petugas: bool) -> str:
    """INSERT … SELECT … RETURNING id: a row only when the period runs and the layanan is
    active (same SQL on PostgreSQL and SQLite 3.35+; `vendor` keys the memo). Parameters:
    the _PARAM_COLUMNS values, then period id, layanan id, today, today[, code][, petugas]."""
    meta = SkmResponse._meta
    columns = {str(f.column) for f in meta.concrete_fields if not f.primary_key}
    if columns != {*_PARAM_COLUMNS, *_CHECKED_COLUMNS}:  # a new field must be added here too
        raise RuntimeError(f"SkmResponse columns changed: {sorted(columns)}")
    qn = connection.ops.quote_name
    period, layanan = SurveyPeriod._meta, Layanan._meta
    pegawai, jabatan = Pegawai._meta, Jabatan._meta

    def col(alias: str, model_meta: Any, field: str) -> str:
        return f"{alias}.{qn(model_meta.get_field(field).column)}"

    names = ", ".join(qn(c) for c in (*_PARAM_COLUMNS, *_CHECKED_COLUMNS))
    source = {"p": period, "l": layanan}
    values = ", ".join(
        ["%s"] * len(_PARAM_COLUMNS)
        + [col(alias, source[alias], field) for alias, field in _CHECKED_COLUMNS.values()]
    )
    where = [
        f"{col('p', period, 'id')} = %s",
        f"{col('p', period, 'layanan')} = %s",
        col("l", layanan, "active"),
        f"{col('p', period, 'start')} <= %s",
        f"{col('p', period, 'end')} >= %s",
    ]
    if with_code:
        where.append(f"{col('l', layanan, 'code')} = %s")
    if with_petugas:  # placed (definitif) in the layanan's unit, as petugas_choices lists them
        tg, tj = qn(pegawai.db_table), qn(jabatan.db_table)
        where.append(
            f"EXISTS (SELECT 1 FROM {tg} g JOIN {tj} j"  # noqa: S608 - names from the models
            f" ON {col('j', jabatan, 'id')} = {col('g', pegawai, 'jabatan')}"
            f" WHERE {col('g', pegawai, 'id')} = %s"
            f" AND {col('j', jabatan, 'unit')} = {col('l', layanan, 'unit')})"
        )
    return (
        f"INSERT INTO {qn(meta.db_table)} ({names}) SELECT {values}"  # noqa: S608
        f" FROM {qn(period.db_table)} p JOIN {qn(layanan.db_table)} l"
        f" ON {col('l', layanan, 'id')} = {col('p', period, 'layanan')}"
        f" WHERE {' AND '.join(where)} RETURNING {qn(str(meta.pk.column))}"
    )


def _insert(
    ticket: Ticket, submission: Submission, code: str | None, token_hash: str, fingerprint: str
) -> int | None:
    """The one statement of an accepted answer: its id, or None when a check refused it."""
    s = submission
    if len(s.answers) != 9:
        raise ValueError("nine answers expected")
    if s.petugas_id is not None and not 0 < s.petugas_id < 2**63:  # no such pegawai (bigint)
        return None
    ops = connection.ops
    today = ops.adapt_datefield_value(timezone.localdate())
    params: list[Any] = [
        *s.answers,
        s.usia,
        s.jenis_kelamin,
        s.pendidikan,
        s.pekerjaan,
        s.saran.strip()[:2000],
        s.petugas_id,
        Sumber.ONLINE.value,
        token_hash,
        fingerprint,
        ops.adapt_datetimefield_value(timezone.now()),
        ticket.period_id,
        ticket.layanan_id,
        today,
        today,
    ]
    if code is not None:
        params.append(code)
    if s.petugas_id is not None:
        params.append(s.petugas_id)
    sql = _insert_sql(connection.vendor, code is not None, s.petugas_id is not None)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _refusal(ticket: Ticket, code: str | None, submission: Submission) -> Rejected:
    """Why the statement stored nothing (the slow path, only after a refusal)."""
    where = _running_period(ticket, code)
    # A token of another layanan (the API knows only the code, not the layanan id).
    other = where is None and code is not None
    if other and not Layanan.objects.filter(pk=ticket.layanan_id, code=code).exists():
        return TokenInvalid(
            _("Formulir ini untuk layanan lain. Muat ulang halaman lalu isi kembali.")
        )
    if where is not None and submission.petugas_id is not None:
        _instansi_id, unit_id = where
        if not Pegawai.objects.filter(pk=submission.petugas_id, jabatan__unit_id=unit_id).exists():
            return Rejected(_("Petugas yang dipilih tidak bertugas di unit layanan ini."))
    # Not running (or it changed between the two statements: the same answer either way).
    return NotRunning(
        _("Survei untuk layanan ini sedang tidak dibuka. Terima kasih atas minat Anda.")
    )


# How long a repeat waits for the write of another form with the same answers (a citizen who
# reloaded the page and sent the same answers while the first write still runs).
REPEAT_WAIT_SECONDS = 2.0


def _claim(mark: str, token_hash: str, window: int) -> bool:
    """Claim the duplicate mark of these answers for this form. True: this request owns it.
    False: the same form is being written by another request right now; go on to the INSERT,
    whose UNIQUE token hash waits for that write and then refuses this one (it was stored:
    token_used) or stores it (it failed). Raises TokenUsed or Duplicate only when the answer
    holding the mark is stored, and Unavailable when another form's same answers are still
    being written after REPEAT_WAIT_SECONDS (it is not known yet whether they will be stored;
    sending again is safe). So nobody is told "received" for an answer that is not stored."""
    deadline = time.monotonic() + REPEAT_WAIT_SECONDS
    while True:
        if cache.add(mark, token_hash, window):
            return True
        holder = cache.get(mark)
        if holder is not None:
            if SkmResponse.objects.filter(token_hash=holder).exists():
                raise token_used() if holder == token_hash else duplicate()
            if holder == token_hash:
                return False
        if time.monotonic() >= deadline:
            raise unavailable()
        time.sleep(0.05)


def response_submit(
    *, ticket: Ticket, client: str, submission: Submission, code: str | None = None
) -> int:
    """Store one accepted questionnaire; returns its id. Raises a Rejected subclass.
    `code`: the layanan code of the address the answer was posted to (checked in the same
    statement as the period). Accepted in autocommit: one query."""
    s = submission
    base = _fingerprint_base(client, ticket.layanan_id, s)
    window = settings.KINERJA_SKM_DUPLICATE_WINDOW
    # The cache catches a repeat at any distance under the window; the unique fingerprint
    # (base + window number) is the database's guarantee across processes.
    # The mark is claimed before the write, not after it: identical answers sent at the same
    # moment meet here and only one reaches the INSERT, even across a window boundary where
    # their fingerprints differ. So it may stand only while the write runs or once the row is
    # stored: whatever else ends the write (a refusal, an IntegrityError, a database error,
    # any exception) removes it in the `finally`, and a retry is never told "already
    # received" or "duplicate" for an answer that was not stored. A repeat that meets the mark
    # is answered from it only once the answer holding it is stored (`_claim`). A row
    # committed although the error came after it is still found by the token's UNIQUE.
    token_hash = _digest("token", ticket.nonce)
    mark = f"skm:dup:{base}"
    claimed = _claim(mark, token_hash, window)
    fingerprint = _digest(base, int(time.time()) // window)
    pk: int | None = None
    try:
        if connection.in_atomic_block:  # a caller's transaction: a savepoint
            with transaction.atomic():
                pk = _insert(ticket, s, code, token_hash, fingerprint)
        else:  # autocommit: the INSERT is its own transaction (no BEGIN/COMMIT round trips)
            pk = _insert(ticket, s, code, token_hash, fingerprint)
    except IntegrityError:
        if SkmResponse.objects.filter(token_hash=token_hash).exists():
            raise token_used() from None
        raise duplicate() from None
    except OperationalError as exc:  # locked, connection lost: worth sending again
        log.warning("SKM answer not stored: database error", exc_info=exc)
        raise unavailable() from exc
    finally:
        if pk is None and claimed:  # nothing stored: a later answer is not a repeat
            cache.delete(mark)
    if pk is None:
        raise _refusal(ticket, code, s)
    if not claimed:  # stored after the write that held the mark failed: the mark is ours now
        cache.add(mark, token_hash, window)
    return pk


def layanan_by_code(code: str) -> Layanan | None:
    """The layanan of a questionnaire address, active or not (an inactive one is closed)."""
    if "\x00" in code:  # not a code, and PostgreSQL refuses NUL even in a lookup
        return None
    return Layanan.objects.select_related("unit").filter(code=code).first()


def petugas_choices(unit_id: int) -> list[tuple[int, str]]:
    """Pegawai placed (definitif) in the layanan's unit, by name."""
    rows = Pegawai.objects.filter(jabatan__unit_id=unit_id).order_by("name")
    return [(p.pk, p.display_name) for p in rows.only("id", "name", "front_title", "back_title")]
