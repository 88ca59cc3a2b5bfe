"""The public submission path: one-time form tokens, per-client rate limit, duplicate check,
honeypot, then one INSERT. Shared by the questionnaire page and the public API.

Kept lean on purpose (docs/skm.md, docs/performance.md): the token is verified without a query,
the rate limit and the duplicate window live in the cache, one SELECT checks that the layanan
is active and its period is running (and yields the instansi and unit), and the INSERT itself
enforces the rest: the token hash and the fingerprint are UNIQUE, the answers have CHECK
constraints. No audit event per answer: the chain head of an instansi is locked by every audit
write, so auditing each citizen would serialise all submissions of an instansi behind one row
lock, and an anonymous answer has no actor to account for. Admin actions on SKM data (layanan,
periods, imports, follow-up) are audited.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from kinerja.core.errors import ServiceError
from kinerja.org.models import Pegawai

from .models import Layanan, SkmResponse, Sumber, SurveyPeriod

TOKEN_SALT = "kinerja.surveys.form"  # noqa: S105 - a signing salt, not a secret


class Rejected(ServiceError):
    """A refused public submission (400 unless a subclass says otherwise)."""

    code = "rejected"


class TooMany(Rejected):
    status = 429
    code = "rate_limited"


class Duplicate(Rejected):
    status = 409
    code = "duplicate"


class TokenUsed(Rejected):
    status = 409
    code = "token_used"


class TokenInvalid(Rejected):
    code = "token_invalid"


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
    except signing.SignatureExpired:
        raise TokenInvalid(
            "Formulir sudah terlalu lama dibuka. Muat ulang halaman lalu isi kembali."
        ) from None
    except signing.BadSignature:
        raise TokenInvalid(
            "Formulir tidak sah atau rusak. Muat ulang halaman lalu isi kembali."
        ) from None
    if not (isinstance(raw, list) and len(raw) == 3):
        raise TokenInvalid("Formulir tidak sah. Muat ulang halaman lalu isi kembali.")
    ticket = Ticket(int(raw[0]), int(raw[1]), str(raw[2]))
    if layanan_id is not None and ticket.layanan_id != layanan_id:
        raise TokenInvalid("Formulir ini untuk layanan lain. Muat ulang halaman lalu isi kembali.")
    return ticket


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address (the address itself is never stored)."""
    header = settings.KINERJA_CLIENT_IP_HEADER or "REMOTE_ADDR"
    address = str(request.META.get(header, "") or request.META.get("REMOTE_ADDR", ""))
    return _digest("client", address.split(",")[0].strip())


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
            "Terlalu banyak pengiriman dari perangkat atau jaringan ini. "
            "Silakan coba lagi beberapa saat lagi."
        )


def check_honeypot(value: str) -> None:
    if value.strip():
        raise Rejected("Formulir tidak dapat diterima. Kosongkan isian tersembunyi lalu kirim.")


def _fingerprint_base(client: str, layanan_id: int, s: Submission) -> str:
    return _digest(
        "dup", client, layanan_id, s.answers, s.usia, s.jenis_kelamin, s.pendidikan, s.pekerjaan
    )


def _running_period(ticket: Ticket, code: str | None) -> tuple[int, int] | None:
    """(instansi_id, unit_id) when the layanan (with this code, if given) is active and the
    period runs today."""
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


def response_submit(
    *, ticket: Ticket, client: str, submission: Submission, code: str | None = None
) -> int:
    """Store one accepted questionnaire; returns its id. Raises a Rejected subclass.
    `code`: the layanan code of the address the answer was posted to (checked in the same
    query as the period)."""
    where = _running_period(ticket, code)
    if where is None:
        raise Rejected(
            "Survei untuk layanan ini sedang tidak dibuka. Terima kasih atas minat Anda."
        )
    instansi_id, unit_id = where
    s = submission
    if (
        s.petugas_id is not None
        and not Pegawai.objects.filter(pk=s.petugas_id, jabatan__unit_id=unit_id).exists()
    ):
        raise Rejected("Petugas yang dipilih tidak bertugas di unit layanan ini.")
    base = _fingerprint_base(client, ticket.layanan_id, s)
    window = settings.KINERJA_SKM_DUPLICATE_WINDOW
    # The cache catches a repeat at any distance under the window; the unique fingerprint
    # (base + window number) is the database's guarantee across processes.
    token_hash = _digest("token", ticket.nonce)
    if not cache.add(f"skm:dup:{base}", token_hash, window):
        if cache.get(f"skm:dup:{base}") == token_hash:  # the same form sent twice
            raise _token_used()
        raise _duplicate()
    response = SkmResponse(
        instansi_id=instansi_id,
        unit_id=unit_id,
        layanan_id=ticket.layanan_id,
        period_id=ticket.period_id,
        u1=s.answers[0],
        u2=s.answers[1],
        u3=s.answers[2],
        u4=s.answers[3],
        u5=s.answers[4],
        u6=s.answers[5],
        u7=s.answers[6],
        u8=s.answers[7],
        u9=s.answers[8],
        usia=s.usia,
        jenis_kelamin=s.jenis_kelamin,
        pendidikan=s.pendidikan,
        pekerjaan=s.pekerjaan,
        saran=s.saran.strip()[:2000],
        petugas_id=s.petugas_id,
        source=Sumber.ONLINE,
        token_hash=token_hash,
        fingerprint=_digest(base, int(time.time()) // window),
    )
    try:
        if transaction.get_connection().in_atomic_block:  # a caller's transaction: a savepoint
            with transaction.atomic():
                response.save(force_insert=True)
        else:  # autocommit: the INSERT is its own transaction (no BEGIN/COMMIT round trips)
            response.save(force_insert=True)
    except IntegrityError:
        cache.delete(f"skm:dup:{base}")
        if SkmResponse.objects.filter(token_hash=token_hash).exists():
            raise _token_used() from None
        raise _duplicate() from None
    return response.pk


def _token_used() -> TokenUsed:
    return TokenUsed("Formulir ini sudah pernah dikirim; jawaban Anda sudah kami terima.")


def _duplicate() -> Duplicate:
    return Duplicate(
        "Jawaban yang sama persis baru saja dikirim dari perangkat ini; "
        "kami hanya menghitungnya sekali. Terima kasih."
    )


def layanan_for_form(code: str) -> Layanan | None:
    return Layanan.objects.select_related("unit").filter(code=code, active=True).first()


def petugas_choices(unit_id: int) -> list[tuple[int, str]]:
    """Pegawai placed (definitif) in the layanan's unit, by name."""
    rows = Pegawai.objects.filter(jabatan__unit_id=unit_id).order_by("name")
    return [(p.pk, p.display_name) for p in rows.only("id", "name", "front_title", "back_title")]
