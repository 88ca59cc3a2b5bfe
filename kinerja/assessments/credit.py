"""Angka kredit of an evaluation (Peraturan BKN 3/2023, domain.md §9.1; docs/evaluation.md,
"Angka kredit") and the per-jabatan coefficients.

- Only a Jabatan Fungsional with a KoefisienAngkaKredit earns angka kredit; the coefficient of
  the SKP's jabatan applies.
- AK = (months / 12) × % predikat × koefisien (rules.angka_kredit): the annual evaluation counts
  the months the SKP covers in the year; a periodic one the months of the period the SKP covers
  (a triwulan is 3, a bulan 1).
- The coefficients are set by an admin of the jabatan's instansi (audited); the default of each
  jenjang is rules.KOEFISIEN_JENJANG.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.models import User
from kinerja.audit import services as audit
from kinerja.core.errors import Refused, ServiceError
from kinerja.org.access import access_for
from kinerja.org.models import Jabatan, JenisJabatan
from kinerja.plans.models import Skp

from . import rules, services
from .models import KoefisienAngkaKredit

JENJANG_LABELS = {
    "AHLI_PERTAMA": "Ahli Pertama",
    "AHLI_MUDA": "Ahli Muda",
    "AHLI_MADYA": "Ahli Madya",
    "AHLI_UTAMA": "Ahli Utama",
    "TERAMPIL": "Terampil",
    "MAHIR": "Mahir",
    "PENYELIA": "Penyelia",
}
MAX_KOEFISIEN = Decimal("9999.99")


@dataclass(frozen=True)
class AngkaKredit:
    jenjang: str
    koefisien: Decimal
    months: int
    percent: int
    predikat: str
    value: Decimal

    @property
    def jenjang_label(self) -> str:
        return JENJANG_LABELS.get(self.jenjang, self.jenjang)

    @property
    def value_text(self) -> str:
        """18.75 → "18,75" (Indonesian decimal comma)."""
        return f"{self.value:.2f}".replace(".", ",")


def months_for(skp: Skp, period: int) -> int:
    """Months the SKP covers in the evaluated period (the whole year for the annual one)."""
    span = services.evaluation_period(skp.instansi_id, skp.year, period)
    start, end = max(span.start, skp.start_date), min(span.end, skp.end_date)
    if end < start:
        return 0
    return rules.months_covered(start, end)


def angka_kredit_for(
    *, skp: Skp, period: int, predikat: str, koefisien: KoefisienAngkaKredit | None = None
) -> AngkaKredit | None:
    """The angka kredit of an evaluation's predikat, or None (not a JF, no coefficient, no
    predikat yet, or no month covered). Pass `koefisien` when it was fetched already."""
    if not predikat or skp.jabatan.jenis != JenisJabatan.FUNGSIONAL:
        return None
    found = koefisien or KoefisienAngkaKredit.objects.filter(jabatan_id=skp.jabatan_id).first()
    if found is None:
        return None
    months = months_for(skp, period)
    if months == 0:
        return None
    return AngkaKredit(
        jenjang=found.jenjang,
        koefisien=found.koefisien,
        months=months,
        percent=rules.AK_PERCENT[predikat],
        predikat=predikat,
        value=rules.angka_kredit(predikat, found.koefisien, months),
    )


def _koefisien(raw: Decimal | str | None, jenjang: str) -> Decimal:
    if raw is None or raw == "":
        return rules.KOEFISIEN_JENJANG[jenjang]
    try:
        value = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise ServiceError(
            _("Koefisien harus berupa angka, mis. 12,5."), field="koefisien"
        ) from None
    if not value.is_finite() or value <= 0 or value > MAX_KOEFISIEN:
        raise ServiceError(
            _("Koefisien harus lebih dari 0 dan paling besar 9999,99."), field="koefisien"
        )
    if value != value.quantize(Decimal("0.01")):
        raise ServiceError(
            _("Koefisien paling banyak 2 angka di belakang koma."), field="koefisien"
        )
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def koefisien_set(
    *, by: User, jabatan: Jabatan, jenjang: str, koefisien: Decimal | str | None = None
) -> KoefisienAngkaKredit:
    """Set the angka kredit coefficient of a Jabatan Fungsional (default: the jenjang's)."""
    if not access_for(by).can_admin_instansi(jabatan.instansi_id):
        raise Refused(
            _("Hanya admin kepegawaian instansi ini yang mengatur koefisien angka kredit.")
        )
    if jabatan.jenis != JenisJabatan.FUNGSIONAL:
        raise ServiceError(
            _("%(name)s bukan Jabatan Fungsional; angka kredit hanya untuk JF.")
            % {"name": jabatan.name},
            field="jabatan_id",
        )
    if jenjang not in rules.KOEFISIEN_JENJANG:
        raise ServiceError(
            _("Jenjang tidak dikenal; pilih %(choices)s.")
            % {"choices": ", ".join(JENJANG_LABELS.values())},
            field="jenjang",
        )
    value = _koefisien(koefisien, jenjang)
    found = KoefisienAngkaKredit.objects.select_for_update().filter(jabatan=jabatan).first()
    old = {"jenjang": found.jenjang, "koefisien": str(found.koefisien)} if found else {}
    item = found or KoefisienAngkaKredit(jabatan=jabatan)
    item.jenjang, item.koefisien = jenjang, value
    item.save()
    audit.record(
        "koefisien_angka_kredit_set", by=by, scope=jabatan.instansi_id, target_type="jabatan",
        target_id=jabatan.pk, old=old, new={"jenjang": jenjang, "koefisien": str(value)},
    )  # fmt: skip
    return item


@transaction.atomic
def koefisien_delete(*, by: User, jabatan: Jabatan) -> None:
    if not access_for(by).can_admin_instansi(jabatan.instansi_id):
        raise Refused(
            _("Hanya admin kepegawaian instansi ini yang mengatur koefisien angka kredit.")
        )
    found = KoefisienAngkaKredit.objects.select_for_update().filter(jabatan=jabatan).first()
    if found is None:
        return
    audit.record(
        "koefisien_angka_kredit_delete", by=by, scope=jabatan.instansi_id, target_type="jabatan",
        target_id=jabatan.pk, old={"jenjang": found.jenjang, "koefisien": str(found.koefisien)},
    )  # fmt: skip
    found.delete()


def fungsional_rows(instansi_id: int) -> list[tuple[Jabatan, KoefisienAngkaKredit | None]]:
    """Every Jabatan Fungsional of the instansi with its coefficient (two queries)."""
    jabatan = list(
        Jabatan.objects.filter(instansi_id=instansi_id, jenis=JenisJabatan.FUNGSIONAL)
        .select_related("unit")
        .order_by("unit__path", "name", "id")
    )
    known = {
        k.jabatan_id: k
        for k in KoefisienAngkaKredit.objects.filter(jabatan_id__in=[j.pk for j in jabatan])
    }
    return [(j, known.get(j.pk)) for j in jabatan]
