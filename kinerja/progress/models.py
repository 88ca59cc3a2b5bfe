"""Realisasi (achievements as they happen), their evidence, and rencana aksi per period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.org.models import Instansi, Pegawai
from kinerja.plans.models import Iki, Skp


class RealisasiQuerySet(models.QuerySet["Realisasi"]):
    def visible_to(self, user: object) -> RealisasiQuerySet:
        return self.filter(skp__in=Skp.objects.visible_to(user))

    def in_force(self) -> RealisasiQuerySet:
        """Entries not replaced by a correction."""
        return self.filter(corrected_by__isnull=True)


class RencanaAksi(models.Model):
    """An optional planned step for one IKI in one period."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rencana_aksi")
    iki = models.ForeignKey(Iki, on_delete=models.CASCADE, related_name="rencana_aksi")
    period = models.PositiveSmallIntegerField(_("periode"))
    text = models.TextField(_("rencana aksi"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        ordering = ["period", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Realisasi(models.Model):
    """One reported achievement. Never overwritten: a correction is a new entry that points to
    the one it replaces, so the trail stays visible."""

    # Every index is written by every entry (millions a year): instansi and skp lead the two
    # composite indexes below, which serve their lookups, so they have none of their own.
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="realisasi", db_index=False)
    iki = models.ForeignKey(Iki, on_delete=models.PROTECT, related_name="realisasi")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    period = models.PositiveSmallIntegerField(_("periode"))
    date = models.DateField(_("tanggal"))
    value = models.DecimalField(_("nilai"), max_digits=14, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("uraian"), blank=True)
    rencana_aksi = models.ForeignKey(
        RencanaAksi,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="realisasi",
        db_index=False,  # a partial index below: most entries have no rencana aksi
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("mengoreksi"),
    )
    correction_reason = models.CharField(_("alasan koreksi"), max_length=300, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RealisasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="realisasi_idempotency_unique",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(narrative=""),
                name="realisasi_has_value_or_narrative",
            ),
        ]
        indexes = [
            models.Index(fields=["skp", "period"], name="realisasi_skp_period_idx"),
            models.Index(fields=["instansi", "date"], name="realisasi_instansi_date_idx"),
            models.Index(
                fields=["rencana_aksi"],
                condition=Q(rencana_aksi__isnull=False),
                name="realisasi_rencana_aksi_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.iki_id} {self.date}: {self.value if self.value is not None else '…'}"


class BuktiDukung(models.Model):
    """Evidence of a realisasi: an uploaded file (checked by content) or a link."""

    realisasi = models.ForeignKey(Realisasi, on_delete=models.PROTECT, related_name="bukti")
    file = models.FileField(_("berkas"), upload_to="bukti/%Y/%m/", blank=True, max_length=200)
    file_name = models.CharField(_("nama berkas"), max_length=100, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("tautan"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        constraints = [
            models.CheckConstraint(
                condition=(~Q(file="") & Q(url="")) | (Q(file="") & ~Q(url="")),
                name="bukti_file_xor_url",
            )
        ]

    def __str__(self) -> str:
        return self.file_name or self.url


class PeriodeTerkunci(models.Model):
    """A period of an SKP whose evaluation is final: its realisasi are locked. Written by the
    assessments app on finalisation (and removed on reopening); read by the realisasi services,
    so that progress never imports assessments (dependencies point one way)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="periode_terkunci")
    period = models.PositiveSmallIntegerField(_("periode"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("periode terkunci")
        verbose_name_plural = _("periode terkunci")
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="periode_terkunci_unique")
        ]

    def __str__(self) -> str:
        return f"{self.skp_id}/{self.period}"


from .feedback_models import DialogKinerja, TindakLanjut, UmpanBalik  # noqa: E402,F401
