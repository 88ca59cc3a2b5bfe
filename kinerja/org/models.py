"""Organisation and people: instansi, unit kerja tree, jabatan, pegawai, placements, raters."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import access_for
from .rules import display_name, normalise_search

if TYPE_CHECKING:
    from kinerja.accounts.models import User


class JenisInstansi(models.TextChoices):
    PUSAT = "PUSAT", _("Instansi Pusat")
    DAERAH = "DAERAH", _("Instansi Daerah")


class JenisUnit(models.TextChoices):
    PEMDA = "PEMDA", _("Pemerintah Daerah")
    SEKRETARIAT = "SEKRETARIAT", _("Sekretariat")
    DINAS = "DINAS", _("Dinas")
    BADAN = "BADAN", _("Badan")
    BIDANG = "BIDANG", _("Bidang")
    BAGIAN = "BAGIAN", _("Bagian")
    SEKSI = "SEKSI", _("Seksi")
    SUBBAGIAN = "SUBBAGIAN", _("Subbagian")
    KECAMATAN = "KECAMATAN", _("Kecamatan")
    KELURAHAN = "KELURAHAN", _("Kelurahan")
    PUSKESMAS = "PUSKESMAS", _("Puskesmas")
    UPT = "UPT", _("UPT")
    LAINNYA = "LAINNYA", _("Lainnya")


class JenisJabatan(models.TextChoices):
    JPT = "JPT", _("Jabatan Pimpinan Tinggi")
    ADMINISTRATOR = "ADMINISTRATOR", _("Jabatan Administrator")
    PENGAWAS = "PENGAWAS", _("Jabatan Pengawas")
    PELAKSANA = "PELAKSANA", _("Jabatan Pelaksana")
    FUNGSIONAL = "FUNGSIONAL", _("Jabatan Fungsional")


# P6/2022 Pasal 1 angka 9: the rater is at least a pejabat pengawas (or a delegated official).
RATER_JENIS = frozenset({JenisJabatan.JPT, JenisJabatan.ADMINISTRATOR, JenisJabatan.PENGAWAS})


class JenisAsn(models.TextChoices):
    PNS = "PNS", _("PNS")
    PPPK = "PPPK", _("PPPK")


class JenisKelamin(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class JenisPenempatan(models.TextChoices):
    DEFINITIF = "DEFINITIF", _("Definitif")
    PLT = "PLT", _("Pelaksana Tugas (Plt)")
    PLH = "PLH", _("Pelaksana Harian (Plh)")


class Peran(models.TextChoices):
    ADMIN = "ADMIN", _("Admin kepegawaian instansi")
    AUDITOR = "AUDITOR", _("Auditor")


class InstansiQuerySet(models.QuerySet["Instansi"]):
    def visible_to(self, user: object) -> InstansiQuerySet:
        access = access_for(user)
        return self if access.is_superuser else self.filter(id__in=access.instansi_ids)


class UnitKerjaQuerySet(models.QuerySet["UnitKerja"]):
    def visible_to(self, user: object) -> UnitKerjaQuerySet:
        access = access_for(user)
        return self if access.is_superuser else self.filter(instansi_id__in=access.instansi_ids)

    def subtree_of(self, unit: UnitKerja) -> UnitKerjaQuerySet:
        """The unit and all its descendants (one indexed prefix query)."""
        return self.filter(instansi_id=unit.instansi_id, path__startswith=unit.path)

    def roots(self) -> UnitKerjaQuerySet:
        return self.filter(parent__isnull=True)


class JabatanQuerySet(models.QuerySet["Jabatan"]):
    def visible_to(self, user: object) -> JabatanQuerySet:
        access = access_for(user)
        return self if access.is_superuser else self.filter(instansi_id__in=access.instansi_ids)


class PegawaiQuerySet(models.QuerySet["Pegawai"]):
    def visible_to(self, user: object) -> PegawaiQuerySet:
        access = access_for(user)
        return self if access.is_superuser else self.filter(instansi_id__in=access.instansi_ids)

    def search(self, text: str) -> PegawaiQuerySet:
        """Name (any part, case-insensitive) or NIP prefix."""
        needle = normalise_search(text)
        if not needle:
            return self
        if needle.isdigit():
            matches = self.filter(nip__startswith=needle)
            if len(needle) >= 5 and needle.isascii():
                # A long prefix matches few pegawai: a range lets pegawai_instansi_nip_idx
                # find them (SQLite's case-insensitive LIKE cannot use an index).
                upper = str(int(needle) + 1).zfill(len(needle))
                matches = matches.filter(nip__gte=needle)
                if len(upper) == len(needle):
                    matches = matches.filter(nip__lt=upper)
            return matches
        return self.filter(search_text__contains=needle)

    def in_units(self, unit_ids: list[int]) -> PegawaiQuerySet:
        return self.filter(jabatan__unit_id__in=unit_ids)

    def with_placement(self) -> PegawaiQuerySet:
        return self.select_related("jabatan", "jabatan__unit")


class Instansi(models.Model):
    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=JenisInstansi.choices)

    objects = InstansiQuerySet.as_manager()

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKerja(models.Model):
    """A node of the unit tree. `path` ('/1/5/17/') makes a subtree one prefix query."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unit induk"),
    )
    code = models.CharField(_("kode unit"), max_length=40)
    name = models.CharField(_("nama unit"), max_length=200)
    kind = models.CharField(_("jenis unit"), max_length=12, choices=JenisUnit.choices)
    path = models.CharField(max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = UnitKerjaQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="unit_code_unique"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class Jabatan(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="jabatan")
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="jabatan", verbose_name=_("unit kerja")
    )
    code = models.CharField(_("kode jabatan"), max_length=40)
    name = models.CharField(_("nama jabatan"), max_length=200)
    jenis = models.CharField(_("jenis jabatan"), max_length=14, choices=JenisJabatan.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("atasan jabatan"),
    )
    is_unit_head = models.BooleanField(_("kepala unit"), default=False)

    objects = JabatanQuerySet.as_manager()

    class Meta:
        verbose_name = _("jabatan")
        verbose_name_plural = _("jabatan")
        ordering = ["unit__path", "-is_unit_head", "name"]
        constraints = [
            models.UniqueConstraint(fields=["instansi", "code"], name="jabatan_code_unique"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_unit_head=True), name="one_head_per_unit"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="jabatan_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def can_rate(self) -> bool:
        return self.jenis in RATER_JENIS


class Pegawai(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="pegawai")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pegawai",
    )
    jenis_asn = models.CharField(_("jenis ASN"), max_length=4, choices=JenisAsn.choices)
    nip = models.CharField(_("NIP / NI PPPK"), max_length=18, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=40, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=80, blank=True)
    pangkat_golongan = models.CharField(_("pangkat/golongan"), max_length=60, blank=True)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=JenisKelamin.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    jabatan = models.ForeignKey(
        Jabatan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("jabatan saat ini"),
        help_text=_("Jabatan definitif yang sedang dipegang; dijaga oleh layanan penempatan."),
    )
    search_text = models.CharField(max_length=220, editable=False)

    objects = PegawaiQuerySet.as_manager()

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["instansi", "name"], name="pegawai_instansi_name_idx"),
            # The directory walks this one in name order without reading the table
            # (queries.directory_page): name search, next page and unit filter stay cheap.
            models.Index(
                fields=["instansi", "name", "id", "search_text", "jabatan"],
                name="pegawai_directory_idx",
            ),
            models.Index(fields=["instansi", "nip"], name="pegawai_instansi_nip_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return display_name(self.name, self.front_title, self.back_title)


class PenempatanQuerySet(models.QuerySet["Penempatan"]):
    def active_on(self, day: date | None = None) -> PenempatanQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Penempatan(models.Model):
    """A pegawai holding a jabatan over a date range: definitif, or acting (Plt/Plh)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="penempatan")
    jabatan = models.ForeignKey(Jabatan, on_delete=models.PROTECT, related_name="penempatan")
    kind = models.CharField(
        _("jenis penempatan"),
        max_length=10,
        choices=JenisPenempatan.choices,
        default=JenisPenempatan.DEFINITIF,
    )
    start_date = models.DateField(_("TMT"))
    end_date = models.DateField(_("tanggal berakhir"), null=True, blank=True)
    reference = models.CharField(_("nomor SK"), max_length=100, blank=True)

    objects = PenempatanQuerySet.as_manager()

    class Meta:
        verbose_name = _("penempatan jabatan")
        verbose_name_plural = _("penempatan jabatan")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="penempatan_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["pegawai"],
                condition=Q(end_date__isnull=True, kind="DEFINITIF"),
                name="one_open_definitif_per_pegawai",
            ),
        ]
        indexes = [models.Index(fields=["jabatan", "end_date"], name="penempatan_jabatan_idx")]

    def __str__(self) -> str:
        return f"{self.pegawai_id} → {self.jabatan_id} ({self.kind})"


class DelegasiPenilaiQuerySet(models.QuerySet["DelegasiPenilai"]):
    def active_on(self, day: date | None = None) -> DelegasiPenilaiQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class DelegasiPenilai(models.Model):
    """An explicit rater for one pegawai over dates (delegated authority), overriding the tree."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="delegasi")
    rater = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        related_name="delegasi_sebagai_penilai",
        verbose_name=_("pejabat penilai pengganti"),
    )
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    reason = models.CharField(_("alasan / dasar"), max_length=300)

    objects = DelegasiPenilaiQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegasi pejabat penilai")
        verbose_name_plural = _("delegasi pejabat penilai")
        constraints = [
            models.CheckConstraint(condition=~Q(rater=models.F("pegawai")), name="not_own_rater"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="delegasi_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} dinilai oleh {self.rater_id}"


class PeranAkses(models.Model):
    """A role granted to an account in one instansi: admin kepegawaian or auditor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peran_akses"
    )
    instansi = models.ForeignKey(Instansi, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("peran"), max_length=10, choices=Peran.choices)

    class Meta:
        verbose_name = _("peran akses")
        verbose_name_plural = _("peran akses")
        constraints = [
            models.UniqueConstraint(fields=["user", "instansi", "role"], name="peran_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.instansi_id}"


def pegawai_of(user: User) -> Pegawai | None:
    try:
        return user.pegawai
    except Pegawai.DoesNotExist:
        return None
