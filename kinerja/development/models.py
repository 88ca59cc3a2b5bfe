"""Tindak lanjut: early-warning cases, bimbingan kinerja sessions with Format B.1.8 and B.1.9,
the training catalogue, development plans, JP records and follow-up records (domain.md §5,
§10). Who reads what (docs/development.md):
- cases, sessions, B.1.8/B.1.9 (coaching notes): the pegawai, their rater (snapshotted), the
  heads of their unit or a unit above it, the instansi's admins; never peers or auditors;
- plans and JP: the same, plus the instansi's auditors;
- follow-up records for Kurang/Sangat Kurang: admins and auditors only (models_records.py,
  re-exported here).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.assessments.models import Predikat
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai
from kinerja.plans.models import Skp

from . import rules
from .models_records import CatatanTindakLanjut as CatatanTindakLanjut
from .models_records import TindakLanjutQuerySet as TindakLanjutQuerySet


def _personal(user: object, *, auditors: bool) -> Q | None:
    """The pegawai themselves, their rater, the heads above, admins (and auditors). None means
    everything (superuser)."""
    access = access_for(user)
    if access.is_superuser:
        return None
    instansi = access.admin_instansi_ids | (
        access.auditor_instansi_ids if auditors else frozenset()
    )
    condition = Q(instansi_id__in=instansi)
    if access.pegawai_id is not None:
        condition |= Q(pegawai_id=access.pegawai_id) | Q(rater_id=access.pegawai_id)
        for path in access.headed_unit_paths:
            condition |= Q(instansi_id=access.home_instansi_id, unit_path__startswith=path)
    return condition


class KasusQuerySet(models.QuerySet["Kasus"]):
    def visible_to(self, user: object) -> KasusQuerySet:
        condition = _personal(user, auditors=False)
        return self if condition is None else self.filter(condition)


class SesiQuerySet(models.QuerySet["Sesi"]):
    def visible_to(self, user: object) -> SesiQuerySet:
        condition = _personal(user, auditors=False)
        return self if condition is None else self.filter(condition)


class RencanaQuerySet(models.QuerySet["RencanaPengembangan"]):
    def visible_to(self, user: object) -> RencanaQuerySet:
        condition = _personal(user, auditors=True)
        return self if condition is None else self.filter(condition)


class JpQuerySet(models.QuerySet["CatatanJp"]):
    def visible_to(self, user: object) -> JpQuerySet:
        condition = _personal(user, auditors=True)
        return self if condition is None else self.filter(condition)


class Reason(models.TextChoices):
    PROGRES_RENDAH = rules.PROGRES_RENDAH, _("Progres di bawah ekspektasi prorata")
    REALISASI_KOSONG = rules.REALISASI_KOSONG, _("Realisasi periode yang berakhir kosong")
    PREDIKAT_RENDAH = (
        rules.PREDIKAT_RENDAH,
        _("Predikat periodik Butuh Perbaikan atau lebih rendah"),
    )


class StatusKasus(models.TextChoices):
    TERBUKA = "TERBUKA", _("Terbuka")
    DIBIMBING = "DIBIMBING", _("Dalam bimbingan")
    SELESAI = "SELESAI", _("Selesai")


class Metode(models.TextChoices):
    COACHING = "COACHING", _("Coaching")
    KONSELING = "KONSELING", _("Konseling")
    MENTORING = "MENTORING", _("Mentoring")


class Moda(models.TextChoices):
    KLASIKAL = "KLASIKAL", _("Klasikal")
    E_LEARNING = "E_LEARNING", _("E-learning")
    COACHING_MENTORING = "COACHING_MENTORING", _("Coaching/mentoring")
    ON_THE_JOB = "ON_THE_JOB", _("Pembelajaran di tempat kerja")


class PengaturanPengembangan(models.Model):
    """Per-instansi settings; an absent row means the defaults."""

    instansi = models.OneToOneField(Instansi, on_delete=models.CASCADE, related_name="+")
    progress_threshold = models.PositiveSmallIntegerField(
        _("ambang progres (% dari ekspektasi prorata)"), default=rules.DEFAULT_THRESHOLD
    )

    class Meta:
        verbose_name = _("pengaturan pengembangan")
        verbose_name_plural = _("pengaturan pengembangan")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_threshold__gte=1) & Q(progress_threshold__lte=100),
                name="dev_threshold_1_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instansi_id}: {self.progress_threshold}%"


class Kasus(models.Model):
    """An early-warning case on the pejabat penilai's list, with the data that raised it."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, related_name="+")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    reason = models.CharField(_("alasan"), max_length=20, choices=Reason.choices)
    data = models.JSONField(_("data pemicu"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StatusKasus.choices, default=StatusKasus.TERBUKA
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(_("catatan penutupan"), blank=True)

    objects = KasusQuerySet.as_manager()

    class Meta:
        verbose_name = _("kasus peringatan dini")
        verbose_name_plural = _("kasus peringatan dini")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "year", "period", "reason"],
                condition=~Q(status="SELESAI"),
                name="kasus_one_open_per_reason",
            )
        ]
        indexes = [models.Index(fields=["rater", "status"], name="kasus_rater_status_idx")]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.year}/{self.period} {self.reason}"


class Sesi(models.Model):
    """A bimbingan kinerja session (coaching, konseling or mentoring) with its notes."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    kasus = models.ForeignKey(
        Kasus, on_delete=models.PROTECT, null=True, blank=True, related_name="sesi"
    )
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, related_name="+")
    pembimbing = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="+", verbose_name=_("pembimbing")
    )
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.PositiveSmallIntegerField(_("periode"))
    method = models.CharField(_("metode"), max_length=10, choices=Metode.choices)
    date = models.DateField(_("tanggal"))
    notes = models.TextField(_("catatan bimbingan"))
    predikat_before = models.CharField(max_length=16, choices=Predikat.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SesiQuerySet.as_manager()

    class Meta:
        verbose_name = _("sesi bimbingan kinerja")
        verbose_name_plural = _("sesi bimbingan kinerja")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(notes=""), name="sesi_notes_required")]

    def __str__(self) -> str:
        return f"{self.method} {self.date} #{self.pegawai_id}"


class AksiSesi(models.Model):
    """An action agreed in a session, with its due date."""

    sesi = models.ForeignKey(Sesi, on_delete=models.CASCADE, related_name="aksi")
    text = models.CharField(_("aksi yang disepakati"), max_length=300)
    due_date = models.DateField(_("tenggat"))
    done_on = models.DateField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("aksi bimbingan")
        verbose_name_plural = _("aksi bimbingan")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class UmpanBalikB18(models.Model):
    """Format B.1.8: the pegawai's feedback on the session (9 statements)."""

    sesi = models.OneToOneField(Sesi, on_delete=models.CASCADE, related_name="b18")
    answers = models.JSONField(_("jawaban"))
    place = models.CharField(_("tempat"), max_length=100)
    date = models.DateField(_("tanggal"))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Format B.1.8")
        verbose_name_plural = _("Format B.1.8")

    def __str__(self) -> str:
        return f"B.1.8 {self.sesi_id}"


class EvaluasiB19(models.Model):
    """Format B.1.9: the pimpinan's evaluation of competences after the session."""

    sesi = models.OneToOneField(Sesi, on_delete=models.CASCADE, related_name="b19")
    evaluator = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("tempat"), max_length=100)
    date = models.DateField(_("tanggal"))
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Format B.1.9")
        verbose_name_plural = _("Format B.1.9")

    def __str__(self) -> str:
        return f"B.1.9 {self.sesi_id}"


class NilaiB19(models.Model):
    b19 = models.ForeignKey(EvaluasiB19, on_delete=models.CASCADE, related_name="nilai")
    order = models.PositiveSmallIntegerField()
    kompetensi = models.CharField(_("kompetensi pegawai"), max_length=200)
    nilai = models.PositiveSmallIntegerField(_("nilai (skala 1-5)"))
    alasan = models.TextField(_("alasan"))

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=Q(nilai__gte=1) & Q(nilai__lte=5), name="b19_1_5"),
            models.UniqueConstraint(fields=["b19", "order"], name="b19_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kompetensi}: {self.nilai}"


class PelatihanQuerySet(models.QuerySet["Pelatihan"]):
    def visible_to(self, user: object) -> PelatihanQuerySet:
        access = access_for(user)
        return self if access.is_superuser else self.filter(instansi_id__in=access.instansi_ids)


class Pelatihan(models.Model):
    """A catalogue item of the instansi's competence development."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama pelatihan"), max_length=200)
    jp = models.DecimalField(_("JP"), max_digits=5, decimal_places=1)
    mode = models.CharField(_("moda"), max_length=20, choices=Moda.choices)
    core_values = models.JSONField(_("nilai BerAKHLAK yang dikembangkan"), default=list, blank=True)
    kompetensi = models.CharField(_("kompetensi yang dikembangkan"), max_length=300, blank=True)
    for_hasil = models.BooleanField(_("mengembangkan hasil kerja"), default=False)
    for_pelayanan = models.BooleanField(_("mengembangkan pelayanan publik"), default=False)
    active = models.BooleanField(_("aktif"), default=True)

    objects = PelatihanQuerySet.as_manager()

    class Meta:
        verbose_name = _("pelatihan")
        verbose_name_plural = _("katalog pelatihan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "name"], name="pelatihan_name_unique"),
            models.CheckConstraint(condition=Q(jp__gt=0), name="pelatihan_jp_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class StatusRencana(models.TextChoices):
    DIRENCANAKAN = "DIRENCANAKAN", _("Direncanakan")
    SELESAI = "SELESAI", _("Selesai")


class RencanaPengembangan(models.Model):
    """An item of a pegawai's development plan for a year (an accepted catalogue item)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, related_name="+")
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    pelatihan = models.ForeignKey(Pelatihan, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("alasan rekomendasi"), max_length=300, blank=True)
    kasus = models.ForeignKey(
        Kasus, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=12, choices=StatusRencana.choices, default=StatusRencana.DIRENCANAKAN
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    objects = RencanaQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana pengembangan")
        verbose_name_plural = _("rencana pengembangan")
        ordering = ["year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "year", "pelatihan"], name="rencana_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.year}: {self.pelatihan_id}"


class CatatanJp(models.Model):
    """Competence development hours (JP) done, with the certificate as evidence."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    rater = models.ForeignKey(Pegawai, on_delete=models.PROTECT, null=True, related_name="+")
    unit_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(_("tahun"))
    rencana = models.OneToOneField(
        RencanaPengembangan, on_delete=models.PROTECT, null=True, blank=True, related_name="jp"
    )
    title = models.CharField(_("kegiatan"), max_length=200)
    mode = models.CharField(_("moda"), max_length=20, choices=Moda.choices)
    jp = models.DecimalField(_("JP"), max_digits=5, decimal_places=1)
    date = models.DateField(_("tanggal selesai"))
    file = models.FileField(_("sertifikat"), upload_to="sertifikat/%Y/%m/", max_length=200)
    file_name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = JpQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan JP")
        verbose_name_plural = _("catatan JP")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(jp__gt=0), name="jp_positive")]
        indexes = [models.Index(fields=["instansi", "year", "pegawai"], name="jp_year_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.jp} JP)"
