"""Why a public SKM submission was refused: the exceptions of the submission path
(`public.py`), each with its HTTP status and API code, and the messages that more than one
place of that path gives."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja.core.errors import ServiceError


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


class TokenExpired(TokenInvalid):
    """A genuine token older than KINERJA_SKM_TOKEN_MAX_AGE (API code `token_invalid`)."""


class NotRunning(Rejected):
    """The token's period does not run today (or its layanan is closed): API code `rejected`."""


class Unavailable(Rejected):
    """Nothing was stored and nothing marked, so the same form may be sent again: the database
    failed for a moment (locked, a lost connection), or the same answers of another form are
    still being written and it is not known yet whether they will be stored."""

    status = 503
    code = "unavailable"


def token_used() -> TokenUsed:
    return TokenUsed(_("Formulir ini sudah pernah dikirim; jawaban Anda sudah kami terima."))


def duplicate() -> Duplicate:
    return Duplicate(
        _(
            "Jawaban yang sama persis baru saja dikirim dari perangkat ini; "
            "kami hanya menghitungnya sekali. Terima kasih."
        )
    )


def unavailable() -> Unavailable:
    return Unavailable(
        _(
            "Jawaban Anda belum tersimpan karena gangguan sementara pada server. "
            "Silakan coba kirim lagi; jawaban yang sama tidak akan terhitung dua kali."
        )
    )
