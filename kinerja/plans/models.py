"""SKP (Sasaran Kinerja Pegawai): performance year, SKP versions, RHK, IKI, perilaku, lampiran."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Jabatan, Pegawai


class Cadence(models.TextChoices):
    BULANAN = "BULANAN", _("Bulanan")
    TRIWULANAN = "TRIWULANAN", _("Triwulanan")


class Pendekatan(models.TextChoices):
    KUANTITATIF = "KUANTITATIF", _("Kuantitatif")
    KUALITATIF = "KUALITATIF", _("Kualitatif")


class StatusSkp(models.TextChoices):
    DRAFT = "DRAFT", _("Draf")
    DIAJUKAN = "DIAJUKAN", _("Diajukan")
    DISETUJUI = "DISETUJUI", _("Disetujui")
    DIKEMBALIKAN = "DIKEMBALIKAN", _("Dikembalikan")


class JenisRhk(models.TextChoices):
    UTAMA = "UTAMA", _("Utama")
    TAMBAHAN = "TAMBAHAN", _("Tambahan")


class Aspek(models.TextChoices):
    KUANTITAS = "KUANTITAS", _("Kuantitas")
    KUALITAS = "KUALITAS", _("Kualitas")
    WAKTU = "WAKTU", _("Waktu")
    BIAYA = "BIAYA", _("Biaya")


class Arah(models.TextChoices):
    NAIK = "NAIK", _("Makin tinggi makin baik")
    TURUN = "TURUN", _("Makin rendah makin baik")


class Perspektif(models.TextChoices):
    PENERIMA_LAYANAN = "PENERIMA_LAYANAN", _("Penerima Layanan")
    PROSES_BISNIS = "PROSES_BISNIS", _("Proses Bisnis")
    PENGUATAN_INTERNAL = "PENGUATAN_INTERNAL", _("Penguatan Internal")
    ANGGARAN = "ANGGARAN", _("Anggaran")


class JenisLampiran(models.TextChoices):
    DUKUNGAN_SUMBER_DAYA = "DUKUNGAN_SUMBER_DAYA", _("Dukungan Sumber Daya")
    SKEMA_PERTANGGUNGJAWABAN = "SKEMA_PERTANGGUNGJAWABAN", _("Skema Pertanggungjawaban")
    KONSEKUENSI = "KONSEKUENSI", _("Konsekuensi")


class TahunKinerja(models.Model):
    """A performance year of an instansi (1 January–31 December) and its periodic cadence."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    cadence = models.CharField(
        _("periode evaluasi"), max_length=10, choices=Cadence.choices, default=Cadence.TRIWULANAN
    )

    class Meta:
        verbose_name = _("tahun kinerja")
        verbose_name_plural = _("tahun kinerja")
        constraints = [
            models.UniqueConstraint(fields=["instansi", "year"], name="tahun_kinerja_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year}"


# A perubahan SKP makes a new current version from the approved one (skp_revise); until it is
# approved, the previous version stays the one in force (docs/progress.md §6).
IN_FORCE = Q(status=StatusSkp.DISETUJUI) & (
    Q(is_current=True)
    | Q(
        next_version__is_current=True,
        next_version__status__in=[StatusSkp.DRAFT, StatusSkp.DIAJUKAN, StatusSkp.DIKEMBALIKAN],
    )
)


class SkpQuerySet(models.QuerySet["Skp"]):
    def visible_to(self, user: object) -> SkpQuerySet:
        """Own SKPs; SKPs one rates (held as rater); the subtree of a unit one heads; all of an
        instansi for its admins and auditors."""
        access = access_for(user)
        if access.is_superuser:
            return self
        condition = Q(instansi_id__in=access.admin_instansi_ids | access.auditor_instansi_ids)
        if access.pegawai_id is not None:
            condition |= Q(pegawai_id=access.pegawai_id) | Q(rater_id=access.pegawai_id)
            for unit_path in access.headed_unit_paths:
                condition |= Q(instansi_id=access.home_instansi_id, unit_path__startswith=unit_path)
        return self.filter(condition)

    def current(self) -> SkpQuerySet:
        return self.filter(is_current=True)

    def in_force(self) -> SkpQuerySet:
        """The approved version of each plan that work is measured against: the current one,
        or, while a perubahan SKP waits for approval, the approved version it will replace."""
        return self.filter(IN_FORCE)

    def for_year(self, year: int) -> SkpQuerySet:
        return self.filter(year=year)


class Skp(models.Model):
    """One version of a pegawai's SKP for a year and a jabatan. A change after approval is a new
    version (perubahan SKP); earlier versions stay readable."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="skp")
    year = models.PositiveSmallIntegerField(_("tahun"))
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    rater = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skp_dinilai",
        verbose_name=_("pejabat penilai kinerja"),
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("sampai"))
    pendekatan = models.CharField(
        _("pendekatan"), max_length=12, choices=Pendekatan.choices, default=Pendekatan.KUANTITATIF
    )
    status = models.CharField(
        _("status"), max_length=12, choices=StatusSkp.choices, default=StatusSkp.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    is_current = models.BooleanField(default=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SkpQuerySet.as_manager()

    class Meta:
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["pegawai", "year", "jabatan"],
                condition=Q(is_current=True),
                name="one_current_skp_per_pegawai_year_jabatan",
            ),
            models.UniqueConstraint(
                fields=["pegawai", "year", "jabatan", "version"], name="skp_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="skp_dates_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(rater=models.F("pegawai")), name="skp_not_own_rater"
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "year", "is_current"], name="skp_instansi_year_idx"),
            models.Index(fields=["rater", "year"], name="skp_rater_year_idx"),
        ]

    def __str__(self) -> str:
        return f"SKP {self.year} v{self.version} #{self.pegawai_id}"

    @property
    def editable(self) -> bool:
        return self.status in {StatusSkp.DRAFT, StatusSkp.DIKEMBALIKAN}


class Rhk(models.Model):
    """Rencana Hasil Kerja. `parent` is the rater's RHK that this one intervenes (cascading)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="rhk")
    jenis = models.CharField(_("jenis"), max_length=8, choices=JenisRhk.choices)
    text = models.TextField(_("rencana hasil kerja"))
    order = models.PositiveSmallIntegerField(default=0)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("RHK pimpinan yang diintervensi"),
    )
    source = models.CharField(_("penugasan dari"), max_length=200, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("rencana hasil kerja")
        verbose_name_plural = _("rencana hasil kerja")
        ordering = ["jenis", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Iki(models.Model):
    """Indikator Kinerja Individu with its target."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="iki")
    text = models.TextField(_("indikator kinerja individu"))
    aspek = models.CharField(_("aspek"), max_length=10, choices=Aspek.choices, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("satuan"), max_length=60, blank=True)
    target_narrative = models.TextField(_("target naratif"), blank=True)
    baseline = models.DecimalField(
        _("nilai awal (baseline)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(_("arah"), max_length=5, choices=Arah.choices, default=Arah.NAIK)
    perspektif = models.CharField(
        _("perspektif"), max_length=20, choices=Perspektif.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    # The IKI of the previous version this one was copied from (perubahan SKP): the running
    # period's realisasi follow it when the new version is approved (docs/progress.md §6).
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )

    class Meta:
        verbose_name = _("indikator kinerja individu")
        verbose_name_plural = _("indikator kinerja individu")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def target_display(self) -> str:
        if self.target_value is None:
            return self.target_narrative
        value = f"{self.target_value.normalize():f}".replace(".", ",")
        return f"{value} {self.target_unit}".strip()


class EkspektasiKhusus(models.Model):
    """Ekspektasi Khusus Pimpinan for one BerAKHLAK core value (1–7) of an SKP."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="ekspektasi")
    core_value = models.PositiveSmallIntegerField(_("nilai dasar"))
    text = models.TextField(_("ekspektasi khusus pimpinan"))

    class Meta:
        verbose_name = _("ekspektasi khusus pimpinan")
        verbose_name_plural = _("ekspektasi khusus pimpinan")
        constraints = [
            models.UniqueConstraint(fields=["skp", "core_value"], name="ekspektasi_unique"),
            models.CheckConstraint(
                condition=Q(core_value__gte=1, core_value__lte=7), name="core_value_1_7"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.core_value}: {self.text[:40]}"


class Lampiran(models.Model):
    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="lampiran")
    kind = models.CharField(_("bagian"), max_length=24, choices=JenisLampiran.choices)
    text = models.TextField(_("isi"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("lampiran SKP")
        verbose_name_plural = _("lampiran SKP")
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]
