"""Penilaian kinerja records beside the evaluation itself: angka kredit coefficients, issued
documents and the annual closing run (re-exported by models.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kinerja.org.models import Instansi, Jabatan


class KoefisienAngkaKredit(models.Model):
    """The annual angka kredit coefficient of a Jabatan Fungsional (its jenjang)."""

    jabatan = models.OneToOneField(Jabatan, on_delete=models.CASCADE, related_name="+")
    jenjang = models.CharField(_("jenjang"), max_length=20)
    koefisien = models.DecimalField(_("koefisien angka kredit"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = _("koefisien angka kredit")
        verbose_name_plural = _("koefisien angka kredit")

    def __str__(self) -> str:
        return f"{self.jenjang} {self.koefisien}"


class JenisDokumen(models.TextChoices):
    EVALUASI = "EVALUASI", _("Evaluasi Kinerja Pegawai")
    DOKUMEN_EVALUASI = "DOKUMEN_EVALUASI", _("Dokumen Evaluasi Kinerja Pegawai")


class DokumenTerbit(models.Model):
    """An issued PDF: its public verification code and the SHA-256 of its bytes. The public
    page shows only `facts` (what the document itself shows on its first lines)."""

    code = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=16, choices=JenisDokumen.choices)
    evaluasi = models.ForeignKey(
        "assessments.Evaluasi", on_delete=models.PROTECT, related_name="dokumen"
    )
    sha256 = models.CharField(max_length=64)
    facts = models.JSONField(default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    # The stored PDF (Django storage API) and the fingerprint of the data it shows: a new
    # document is issued only when the fingerprint changes (e.g. after a keberatan decision).
    file = models.FileField(upload_to="dokumen/%Y/", max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("dokumen terbit")
        verbose_name_plural = _("dokumen terbit")
        indexes = [
            models.Index(fields=["evaluasi", "kind", "issued_at"], name="dokumen_evaluasi_idx")
        ]

    def __str__(self) -> str:
        return self.code


class StatusPenutupan(models.TextChoices):
    ANTRE = "ANTRE", _("Dalam antrean")
    BERJALAN = "BERJALAN", _("Berjalan")
    SELESAI = "SELESAI", _("Selesai")
    GAGAL = "GAGAL", _("Gagal")


class PenutupanTahunan(models.Model):
    """A background run closing the annual evaluation of an instansi, with visible progress."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(max_length=8, choices=StatusPenutupan.choices, default="ANTRE")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("penutupan evaluasi tahunan")
        verbose_name_plural = _("penutupan evaluasi tahunan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instansi_id} {self.year}: {self.status}"
