"""Penilaian kinerja: organisation results, evaluations (periodic and annual), 360 input,
calibration and keberatan; issued documents, angka kredit coefficients and the annual closing
run live in models_records.py and are re-exported here.

`period` numbers follow plans.rules.periods (1–4 triwulan or 1–12 bulan); 0 is the annual
evaluation (TAHUNAN).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja
from kinerja.plans.models import Rhk, Skp

from . import rules
from .models_records import DokumenTerbit as DokumenTerbit
from .models_records import JenisDokumen as JenisDokumen
from .models_records import KoefisienAngkaKredit as KoefisienAngkaKredit
from .models_records import PenutupanTahunan as PenutupanTahunan
from .models_records import StatusPenutupan as StatusPenutupan

ANNUAL = 0


class Rating(models.TextChoices):
    DI_ATAS = rules.DI_ATAS, _("Di Atas Ekspektasi")
    SESUAI = rules.SESUAI, _("Sesuai Ekspektasi")
    DI_BAWAH = rules.DI_BAWAH, _("Di Bawah Ekspektasi")


class Predikat(models.TextChoices):
    SANGAT_BAIK = rules.SANGAT_BAIK, _("Sangat Baik")
    BAIK = rules.BAIK, _("Baik")
    BUTUH_PERBAIKAN = rules.BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = rules.KURANG, _("Kurang/Misconduct")
    SANGAT_KURANG = rules.SANGAT_KURANG, _("Sangat Kurang")


class PredikatOrganisasi(models.TextChoices):
    ISTIMEWA = rules.ISTIMEWA, _("Istimewa")
    BAIK = rules.BAIK, _("Baik")
    BUTUH_PERBAIKAN = rules.BUTUH_PERBAIKAN, _("Butuh Perbaikan")
    KURANG = rules.KURANG, _("Kurang")
    SANGAT_KURANG = rules.SANGAT_KURANG, _("Sangat Kurang")


class Enforcement(models.TextChoices):
    WARN = "WARN", _("Peringatan saja")
    BLOCK = "BLOCK", _("Cegah finalisasi")


class StatusEvaluasi(models.TextChoices):
    DRAFT = "DRAFT", _("Draf")
    FINAL = "FINAL", _("Final")


class PengaturanPenilaian(models.Model):
    """Per-instansi settings of the evaluation (domain.md project decisions)."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    enforcement = models.CharField(
        _("penegakan pola distribusi"),
        max_length=5,
        choices=Enforcement.choices,
        default=Enforcement.WARN,
    )
    min_group_size = models.PositiveSmallIntegerField(
        _("ukuran kelompok minimum untuk pola distribusi"), default=5
    )
    keberatan_days = models.PositiveSmallIntegerField(_("batas waktu keberatan (hari)"), default=14)

    class Meta:
        verbose_name = _("pengaturan penilaian")
        verbose_name_plural = _("pengaturan penilaian")
        constraints = [
            models.CheckConstraint(condition=Q(keberatan_days__gte=1), name="keberatan_days_min")
        ]

    def __str__(self) -> str:
        return f"{self.instansi_id}"


class CapaianOrganisasiQuerySet(models.QuerySet["CapaianOrganisasi"]):
    def visible_to(self, user: object) -> CapaianOrganisasiQuerySet:
        access = access_for(user)
        if access.is_superuser:
            return self
        return self.filter(instansi_id__in=access.instansi_ids)


class CapaianOrganisasi(models.Model):
    """Capaian Kinerja Organisasi of a unit for a period, set by the leader above with a reason;
    it selects the distribution pattern of the unit's predicates."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    predikat = models.CharField(
        _("capaian kinerja organisasi"), max_length=16, choices=PredikatOrganisasi.choices
    )
    reason = models.TextField(_("alasan"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    objects = CapaianOrganisasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("capaian kinerja organisasi")
        verbose_name_plural = _("capaian kinerja organisasi")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "period"], name="capaian_unique"),
            models.CheckConstraint(condition=Q(period__lte=12), name="capaian_period_0_12"),
            models.CheckConstraint(condition=~Q(reason=""), name="capaian_reason_required"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}/{self.period}: {self.predikat}"


class EvaluasiQuerySet(models.QuerySet["Evaluasi"]):
    def visible_to(self, user: object) -> EvaluasiQuerySet:
        """The same readers as the SKP evaluated (own, rater, unit heads above, admin,
        auditor), plus the atasan of the rater while a keberatan is theirs to decide."""
        access = access_for(user)
        if access.is_superuser:
            return self
        condition = Q(skp__in=Skp.objects.visible_to(user))
        if access.pegawai_id is not None:
            condition |= Q(keberatan__decider_id=access.pegawai_id)
        return self.filter(condition)

    def for_period(self, year: int, period: int) -> EvaluasiQuerySet:
        return self.filter(year=year, period=period)

    def of_versions(self, skp: Skp) -> EvaluasiQuerySet:
        """The evaluations of every version of `skp` (same pegawai, year and jabatan): a period
        is evaluated once, on the version in force when its evaluation was opened."""
        return self.filter(pegawai_id=skp.pegawai_id, year=skp.year, skp__jabatan_id=skp.jabatan_id)

    def final(self) -> EvaluasiQuerySet:
        return self.filter(status=StatusEvaluasi.FINAL)

    def without_own_draft(self, reader: int | None) -> EvaluasiQuerySet:
        """Leaves out the reading pegawai's own draft, so counts don't give its predicate away
        (a unit head reading his own unit, docs/evaluation.md §2)."""
        return self.exclude(Q(pegawai_id=reader) & ~Q(status=StatusEvaluasi.FINAL))


class Evaluasi(models.Model):
    """The evaluation of one SKP for one period (or the year). `predikat` is the one in force;
    `predikat_penilai` keeps what the rater gave before any calibration or keberatan."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="evaluasi")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="evaluasi")
    rater = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        null=True,
        related_name="evaluasi_dinilai",
        verbose_name=_("pejabat penilai kinerja"),
    )
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    is_unit_head = models.BooleanField(_("kepala unit"), default=False)
    rating_hasil = models.CharField(
        _("rating hasil kerja"), max_length=8, choices=Rating.choices, blank=True
    )
    rating_perilaku = models.CharField(
        _("rating perilaku kerja"), max_length=8, choices=Rating.choices, blank=True
    )
    predikat = models.CharField(
        _("predikat kinerja pegawai"), max_length=16, choices=Predikat.choices, blank=True
    )
    predikat_penilai = models.CharField(
        _("predikat dari pejabat penilai"), max_length=16, choices=Predikat.choices, blank=True
    )
    catatan = models.TextField(_("catatan/rekomendasi"), blank=True)
    status = models.CharField(
        _("status"), max_length=5, choices=StatusEvaluasi.choices, default=StatusEvaluasi.DRAFT
    )
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reopen_reason = models.TextField(_("alasan dibuka kembali"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluasiQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluasi kinerja")
        verbose_name_plural = _("evaluasi kinerja")
        ordering = ["year", "period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="evaluasi_unique"),
            models.CheckConstraint(condition=Q(period__lte=12), name="evaluasi_period_0_12"),
            models.CheckConstraint(
                condition=~Q(status="FINAL") | ~Q(predikat=""), name="evaluasi_final_has_predikat"
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "year", "period", "unit"], name="evaluasi_unit_idx"),
            models.Index(fields=["rater", "year", "period"], name="evaluasi_rater_idx"),
        ]

    def __str__(self) -> str:
        return f"Evaluasi {self.year}/{self.period} #{self.pegawai_id}"

    @property
    def is_annual(self) -> bool:
        return self.period == ANNUAL


class CatatanEvaluasi(models.Model):
    """The rater's feedback in the evaluation: per RHK or per BerAKHLAK value (1–7)."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="catatan_set")
    rhk = models.ForeignKey(Rhk, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    core_value = models.PositiveSmallIntegerField(_("nilai dasar"), null=True, blank=True)
    text = models.TextField(_("umpan balik"))

    class Meta:
        verbose_name = _("umpan balik evaluasi")
        verbose_name_plural = _("umpan balik evaluasi")
        constraints = [
            models.CheckConstraint(
                condition=(Q(rhk__isnull=False) & Q(core_value__isnull=True))
                | (Q(rhk__isnull=True) & Q(core_value__gte=1) & Q(core_value__lte=7)),
                name="catatan_one_target",
            ),
            models.UniqueConstraint(fields=["evaluasi", "rhk"], name="catatan_rhk_unique"),
            models.UniqueConstraint(fields=["evaluasi", "core_value"], name="catatan_cv_unique"),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Kalibrasi(models.Model):
    """A pimpinan's change of a rating during calibration: both values kept, with the reason."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="kalibrasi")
    old_rating_hasil = models.CharField(max_length=8, choices=Rating.choices)
    old_rating_perilaku = models.CharField(max_length=8, choices=Rating.choices)
    old_predikat = models.CharField(max_length=16, choices=Predikat.choices)
    new_rating_hasil = models.CharField(max_length=8, choices=Rating.choices)
    new_rating_perilaku = models.CharField(max_length=8, choices=Rating.choices)
    new_predikat = models.CharField(max_length=16, choices=Predikat.choices)
    reason = models.TextField(_("alasan"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kalibrasi")
        verbose_name_plural = _("kalibrasi")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="kalibrasi_reason_required")
        ]

    def __str__(self) -> str:
        return f"{self.old_predikat} → {self.new_predikat}"


class Relasi360(models.TextChoices):
    REKAN = "REKAN", _("Rekan kerja")
    BAWAHAN = "BAWAHAN", _("Bawahan")


class Penilai360(models.Model):
    """One person asked for 360 input on the rated pegawai's BerAKHLAK behaviour."""

    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.CASCADE, related_name="penilai360")
    reviewer = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("hubungan"), max_length=8, choices=Relasi360.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("komentar"), blank=True)

    class Meta:
        verbose_name = _("penilai 360")
        verbose_name_plural = _("penilai 360")
        constraints = [
            models.UniqueConstraint(fields=["evaluasi", "reviewer"], name="penilai360_unique")
        ]
        indexes = [models.Index(fields=["reviewer", "answered_at"], name="penilai360_owed_idx")]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.evaluasi_id}"


class Jawaban360(models.Model):
    penilai = models.ForeignKey(Penilai360, on_delete=models.CASCADE, related_name="jawaban")
    core_value = models.PositiveSmallIntegerField(_("nilai dasar"))
    rating = models.CharField(_("penilaian"), max_length=8, choices=Rating.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["penilai", "core_value"], name="jawaban360_unique"),
            models.CheckConstraint(
                condition=Q(core_value__gte=1, core_value__lte=7), name="jawaban360_cv_1_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.core_value}: {self.rating}"


class StatusKeberatan(models.TextChoices):
    DIAJUKAN = "DIAJUKAN", _("Diajukan")
    DIPERTAHANKAN = "DIPERTAHANKAN", _("Predikat dipertahankan")
    DIUBAH = "DIUBAH", _("Predikat diubah")


class Keberatan(models.Model):
    """An appeal against a final predicate, decided by the atasan of the pejabat penilai."""

    evaluasi = models.OneToOneField(Evaluasi, on_delete=models.PROTECT, related_name="keberatan")
    reason = models.TextField(_("alasan keberatan"))
    filed_at = models.DateTimeField(auto_now_add=True)
    decider = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        related_name="keberatan_diputus",
        verbose_name=_("atasan pejabat penilai kinerja"),
    )
    penjelasan_pegawai = models.TextField(_("penjelasan pegawai"), blank=True)
    penjelasan_penilai = models.TextField(_("penjelasan pejabat penilai"), blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=StatusKeberatan.choices, default="DIAJUKAN"
    )
    predikat_before = models.CharField(max_length=16, choices=Predikat.choices)
    new_rating_hasil = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    new_rating_perilaku = models.CharField(max_length=8, choices=Rating.choices, blank=True)
    predikat_after = models.CharField(max_length=16, choices=Predikat.choices, blank=True)
    decision_reason = models.TextField(_("alasan keputusan"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("keberatan")
        verbose_name_plural = _("keberatan")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="keberatan_reason_required"),
            models.CheckConstraint(
                condition=Q(status="DIAJUKAN") | ~Q(decision_reason=""),
                name="keberatan_decision_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Keberatan {self.evaluasi_id}: {self.status}"
