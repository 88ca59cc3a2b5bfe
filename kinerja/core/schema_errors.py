"""The API's 422 messages in the reader's language: pydantic writes them in English, so each
error is re-worded from its `type` and `ctx` (an unknown type keeps pydantic's English text).
A custom validator's message ("Value error, …") is ours already and is only unwrapped."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

MESSAGES: dict[str, str] = {
    "missing": gettext_noop("Wajib diisi."),
    "int_parsing": gettext_noop("Harus bilangan bulat."),
    "int_type": gettext_noop("Harus bilangan bulat."),
    "int_from_float": gettext_noop("Harus bilangan bulat."),
    "float_parsing": gettext_noop("Harus angka."),
    "float_type": gettext_noop("Harus angka."),
    "decimal_parsing": gettext_noop("Harus angka."),
    "decimal_type": gettext_noop("Harus angka."),
    "finite_number": gettext_noop("Harus angka yang terhingga."),
    "decimal_max_digits": gettext_noop("Paling banyak %(max_digits)s digit."),
    "decimal_max_places": gettext_noop("Paling banyak %(decimal_places)s angka di belakang koma."),
    "decimal_whole_digits": gettext_noop("Paling banyak %(whole_digits)s digit di depan koma."),
    "bool_parsing": gettext_noop("Harus true atau false."),
    "bool_type": gettext_noop("Harus true atau false."),
    "string_type": gettext_noop("Harus teks."),
    "string_too_short": gettext_noop("Paling sedikit %(min_length)s karakter."),
    "string_too_long": gettext_noop("Paling banyak %(max_length)s karakter."),
    "string_pattern_mismatch": gettext_noop("Bentuknya tidak sesuai."),
    "too_short": gettext_noop("Paling sedikit %(min_length)s butir."),
    "too_long": gettext_noop("Paling banyak %(max_length)s butir."),
    "greater_than": gettext_noop("Harus lebih dari %(gt)s."),
    "greater_than_equal": gettext_noop("Paling kecil %(ge)s."),
    "less_than": gettext_noop("Harus kurang dari %(lt)s."),
    "less_than_equal": gettext_noop("Paling besar %(le)s."),
    "literal_error": gettext_noop("Harus salah satu dari: %(expected)s."),
    "enum": gettext_noop("Harus salah satu dari: %(expected)s."),
    "date_parsing": gettext_noop("Harus tanggal (YYYY-MM-DD)."),
    "date_type": gettext_noop("Harus tanggal (YYYY-MM-DD)."),
    "date_from_datetime_parsing": gettext_noop("Harus tanggal (YYYY-MM-DD)."),
    "date_from_datetime_inexact": gettext_noop("Harus tanggal tanpa jam (YYYY-MM-DD)."),
    "datetime_parsing": gettext_noop("Harus tanggal dan jam (ISO 8601)."),
    "datetime_type": gettext_noop("Harus tanggal dan jam (ISO 8601)."),
    "datetime_from_date_parsing": gettext_noop("Harus tanggal dan jam (ISO 8601)."),
    "list_type": gettext_noop("Harus daftar (array JSON)."),
    "dict_type": gettext_noop("Harus objek JSON."),
    "model_type": gettext_noop("Harus objek JSON."),
    "model_attributes_type": gettext_noop("Harus objek JSON."),
    "json_invalid": gettext_noop("Bukan JSON yang sah."),
    "url_parsing": gettext_noop("Harus alamat URL yang lengkap."),
    "url_scheme": gettext_noop("Harus alamat URL yang lengkap."),
    "url_type": gettext_noop("Harus alamat URL yang lengkap."),
    "uuid_parsing": gettext_noop("Harus UUID."),
    "extra_forbidden": gettext_noop("Isian ini tidak dikenal."),
}
VALUE_ERROR = "Value error, "


def schema_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    text = str(error.get("msg", ""))
    if kind == "value_error" and text.startswith(VALUE_ERROR):
        return _(text.removeprefix(VALUE_ERROR))
    template = MESSAGES.get(kind)
    if template is None:
        return text
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:  # pydantic joins the choices with an English "or": a plain list
        ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
    try:
        return _(template) % ctx
    except (KeyError, TypeError, ValueError):
        return text
