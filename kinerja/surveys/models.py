"""SKM (PermenPANRB 14/2017): layanan, survey periods, responses and rencana tindak lanjut.

A response is an anonymous, immutable fact written by the public questionnaire (one INSERT) or
by the paper import. Every large table carries `instansi_id` so that reads of one instansi never
touch another's rows; `skm_ikm_idx` lets the IKM GROUP BY per period, unit and layanan read the
index only (it covers the nine answers).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai, UnitKerja

UNSUR_FIELDS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


class JenisPeriode(models.TextChoices):
    SEMESTER = "SEMESTER", _("Semester")
    TRIWULAN = "TRIWULAN", _("Triwulan")
    TAHUN = "TAHUN", _("Tahun")


class JenisKelaminResponden(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class Pendidikan(models.TextChoices):
    # The profile block of the questionnaire in the Lampiran of P14/2017.
    SD = "SD", _("SD ke bawah")
    SMP = "SMP", _("SMP")
    SMA = "SMA", _("SMA")
    D3 = "D3", _("D1/D2/D3")
    S1 = "S1", _("D4/S1")
    S2 = "S2", _("S2")
    S3 = "S3", _("S3")


class Pekerjaan(models.TextChoices):
    PNS = "PNS", _("PNS")
    TNI = "TNI", _("TNI")
    POLRI = "POLRI", _("POLRI")
    SWASTA = "SWASTA", _("Swasta")
    WIRAUSAHA = "WIRAUSAHA", _("Wirausaha")
    LAINNYA = "LAINNYA", _("Lainnya")


class Sumber(models.TextChoices):
    ONLINE = "ONLINE", _("Daring")
    PAPER = "PAPER", _("Kuesioner kertas")


def _scope(qs: models.QuerySet, user: object, unit_field: str) -> models.QuerySet:  # type: ignore[type-arg]
    """Admin and auditor of an instansi: all of it; a unit head: the unit's subtree."""
    access = access_for(user)
    if access.is_superuser:
        return qs
    readable = access.admin_instansi_ids | access.auditor_instansi_ids
    condition = Q(instansi_id__in=readable)
    for path in access.headed_unit_paths:
        condition |= Q(**{f"{unit_field}__path__startswith": path})
    if not readable and not access.headed_unit_paths:
        return qs.none()
    return qs.filter(condition)


class LayananQuerySet(models.QuerySet["Layanan"]):
    def visible_to(self, user: object) -> LayananQuerySet:
        return _scope(self, user, "unit")  # type: ignore[return-value]


class Layanan(models.Model):
    """A public service of one unit, e.g. "Penerbitan KTP-el" or "Poli Umum"."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        UnitKerja, on_delete=models.PROTECT, related_name="layanan", verbose_name=_("unit kerja")
    )
    name = models.CharField(_("nama layanan"), max_length=200)
    code = models.SlugField(
        _("kode singkat"),
        max_length=40,
        unique=True,
        help_text=_("Dipakai pada alamat kuesioner /s/<kode>/; huruf kecil, angka dan tanda -."),
    )
    population = models.PositiveIntegerField(
        _("populasi pengguna per periode"),
        default=0,
        help_text=_("Jumlah pengguna layanan pada periode sebelumnya (untuk Krejcie–Morgan)."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LayananQuerySet.as_manager()

    class Meta:
        verbose_name = _("layanan")
        verbose_name_plural = _("layanan")
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["instansi", "unit"], name="layanan_instansi_unit_idx")]

    def __str__(self) -> str:
        return self.name


class SurveyPeriodQuerySet(models.QuerySet["SurveyPeriod"]):
    def visible_to(self, user: object) -> SurveyPeriodQuerySet:
        return _scope(self, user, "layanan__unit")  # type: ignore[return-value]


class SurveyPeriod(models.Model):
    """A survey period of one layanan. Periods with the same (kind, year, number) across
    layanan make up the unit and instansi period."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    layanan = models.ForeignKey(Layanan, on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("jenis periode"), max_length=8, choices=JenisPeriode.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("ke"), default=1)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    label = models.CharField(_("label"), max_length=60)

    objects = SurveyPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("periode survei")
        verbose_name_plural = _("periode survei")
        ordering = ["-start", "layanan_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["layanan", "kind", "year", "number"], name="skm_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="skm_period_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["instansi", "kind", "year", "number"], name="skm_period_key_idx")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.year}-{self.number}"


def _answer_check(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 4}), name=f"skm_{name}_1_4"
    )


class SkmResponseQuerySet(models.QuerySet["SkmResponse"]):
    def visible_to(self, user: object) -> SkmResponseQuerySet:
        return _scope(self, user, "unit")  # type: ignore[return-value]

    def paper_of(self, period: SurveyPeriod) -> SkmResponseQuerySet:
        """The paper answers stored for the period's layanan and that period (their filter
        leads `skm_ikm_idx` with instansi and period)."""
        return self.filter(
            instansi_id=period.instansi_id,
            period_id=period.pk,
            layanan_id=period.layanan_id,
            source=Sumber.PAPER,
        )


class SkmResponse(models.Model):
    """One respondent's questionnaire. Never edited; all nine answers are required.

    Few indexes on purpose: every public answer writes each of them on a table of millions of
    rows (docs/performance.md). The foreign keys have no index of their own: `instansi` and
    `petugas` lead `skm_ikm_idx` and `skm_petugas_idx` (`petugas_id = x` implies the partial
    index's condition); nothing reads by `unit`, `layanan` or `period` alone (the IKM reads
    filter by instansi first), so only a PROTECT delete of a unit, layanan or period, a rare
    admin act, scans the table. The two hashes are UNIQUE constraints rather than
    `unique=True` fields, which on PostgreSQL would add a second, LIKE-only index each.
    """

    # db_index=False: see the docstring.
    instansi = models.ForeignKey(
        Instansi, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+", db_index=False)
    layanan = models.ForeignKey(Layanan, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    usia = models.PositiveSmallIntegerField(_("usia"))
    jenis_kelamin = models.CharField(
        _("jenis kelamin"), max_length=1, choices=JenisKelaminResponden.choices
    )
    pendidikan = models.CharField(_("pendidikan"), max_length=3, choices=Pendidikan.choices)
    pekerjaan = models.CharField(_("pekerjaan"), max_length=10, choices=Pekerjaan.choices)
    saran = models.TextField(_("saran"), blank=True)
    petugas = models.ForeignKey(
        Pegawai,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas yang melayani"),
        db_index=False,  # skm_petugas_idx leads with it
    )
    source = models.CharField(
        _("sumber"), max_length=6, choices=Sumber.choices, default=Sumber.ONLINE
    )
    # Hash of the one-time form token: a second use is refused by the database itself
    # (skm_token_hash_unique). NULL, not "", for paper answers: UNIQUE allows many NULLs.
    token_hash = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    # Hash of client + layanan + answers + profile + time window (duplicates; never the IP;
    # skm_fingerprint_unique; NULL for paper answers).
    fingerprint = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    # When the answer was given: the moment of sending for an online answer; for a paper
    # questionnaire a moment inside its survey period (importing.answered_at), so that the
    # petugas windows, which read this column, count it in the period it belongs to.
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SkmResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("jawaban SKM")
        verbose_name_plural = _("jawaban SKM")
        constraints = [
            *(_answer_check(name) for name in UNSUR_FIELDS),
            models.CheckConstraint(condition=Q(usia__gte=10, usia__lte=120), name="skm_usia"),
            models.UniqueConstraint(fields=["token_hash"], name="skm_token_hash_unique"),
            models.UniqueConstraint(fields=["fingerprint"], name="skm_fingerprint_unique"),
        ]
        indexes = [
            # The answers are key columns (not INCLUDE) so the index covers on SQLite too.
            models.Index(
                fields=["instansi", "period", "unit", "layanan", *UNSUR_FIELDS],
                name="skm_ikm_idx",
            ),
            models.Index(
                fields=["petugas", "created_at", *UNSUR_FIELDS],
                condition=Q(petugas__isnull=False),
                name="skm_petugas_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"SKM {self.pk} ({self.layanan_id}, {self.period_id})"

    def answers(self) -> tuple[int, ...]:
        return tuple(int(getattr(self, name)) for name in UNSUR_FIELDS)


class RencanaTindakLanjutQuerySet(models.QuerySet["RencanaTindakLanjut"]):
    def visible_to(self, user: object) -> RencanaTindakLanjutQuerySet:
        return _scope(self, user, "unit")  # type: ignore[return-value]

    def owned_by(self, pegawai_id: int | None) -> RencanaTindakLanjutQuerySet:
        """The actions this pegawai is responsible for (open ones first, by due date)."""
        if pegawai_id is None:
            return self.none()
        return self.filter(owner_id=pegawai_id).order_by(
            models.F("done_at").asc(nulls_first=True), "due_date", "id"
        )


class RencanaTindakLanjut(models.Model):
    """An improvement action for one unsur of a layanan (or a whole unit) after a period."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(UnitKerja, on_delete=models.PROTECT, related_name="+")
    layanan = models.ForeignKey(
        Layanan, on_delete=models.PROTECT, null=True, blank=True, related_name="tindak_lanjut"
    )
    kind = models.CharField(_("jenis periode"), max_length=8, choices=JenisPeriode.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("ke"), default=1)
    unsur = models.PositiveSmallIntegerField(_("unsur"))  # 1..9
    action = models.TextField(_("rencana tindak lanjut"))
    owner = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="+", verbose_name=_("penanggung jawab")
    )
    due_date = models.DateField(_("tenggat"))
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    done_note = models.TextField(_("catatan penyelesaian"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RencanaTindakLanjutQuerySet.as_manager()

    class Meta:
        verbose_name = _("rencana tindak lanjut SKM")
        verbose_name_plural = _("rencana tindak lanjut SKM")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(unsur__gte=1, unsur__lte=9), name="skm_rtl_unsur")
        ]
        indexes = [models.Index(fields=["instansi", "kind", "year", "number"], name="skm_rtl_idx")]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def period_label(self) -> str:
        from .periods import PeriodKey

        return PeriodKey(self.kind, self.year, self.number).label

    @property
    def unsur_label(self) -> str:
        from .rules import UNSUR

        return UNSUR[self.unsur - 1][1]


class SkmImport(models.Model):
    """One saved paper import: the SHA-256 of the file and of its answers, so that neither the
    same file nor the same questionnaires saved as another file (CSV after XLSX, rows in another
    order, a re-saved spreadsheet) can be imported twice into one layanan and period (their
    answers would count twice)."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    layanan = models.ForeignKey(Layanan, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(
        SurveyPeriod, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    sha256 = models.CharField(max_length=64)
    # SHA-256 of the checked rows, sorted (importing.rows_fingerprint); empty for imports saved
    # before it was kept.
    rows_sha256 = models.CharField(max_length=64, blank=True, default="")
    file_name = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("impor kuesioner kertas")
        verbose_name_plural = _("impor kuesioner kertas")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "layanan", "sha256"], name="skm_import_file_once"
            ),
            models.UniqueConstraint(
                fields=["period", "layanan", "rows_sha256"],
                condition=~Q(rows_sha256=""),
                name="skm_import_rows_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.layanan_id}, {self.period_id})"
