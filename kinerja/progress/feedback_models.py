"""Umpan balik berkelanjutan (continuous feedback) and dialog kinerja with its follow-ups.

Feedback is kept per SKP and period; it targets one realisasi, one RHK or one BerAKHLAK core
value (1–7), and the database checks that exactly the matching reference is set. A reply points
to the thread's first message (one level) and carries the same target.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.org.models import Instansi, Pegawai
from kinerja.plans.models import Rhk, Skp

from .models import Realisasi


class TargetUmpanBalik(models.TextChoices):
    REALISASI = "REALISASI", _("Realisasi")
    RHK = "RHK", _("Rencana hasil kerja")
    PERILAKU = "PERILAKU", _("Perilaku kerja (BerAKHLAK)")


class UmpanBalikQuerySet(models.QuerySet["UmpanBalik"]):
    def visible_to(self, user: object) -> UmpanBalikQuerySet:
        return self.filter(skp__in=Skp.objects.visible_to(user))

    def threads(self) -> UmpanBalikQuerySet:
        return self.filter(parent__isnull=True)


class UmpanBalik(models.Model):
    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="umpan_balik")
    period = models.PositiveSmallIntegerField(_("periode"))
    target_kind = models.CharField(_("tentang"), max_length=10, choices=TargetUmpanBalik.choices)
    realisasi = models.ForeignKey(
        Realisasi, on_delete=models.PROTECT, null=True, blank=True, related_name="umpan_balik"
    )
    rhk = models.ForeignKey(
        Rhk, on_delete=models.PROTECT, null=True, blank=True, related_name="umpan_balik"
    )
    core_value = models.PositiveSmallIntegerField(_("nilai dasar"), null=True, blank=True)
    author = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies"
    )
    text = models.TextField(_("umpan balik"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = UmpanBalikQuerySet.as_manager()

    class Meta:
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target_kind="REALISASI", realisasi__isnull=False)
                    & Q(rhk__isnull=True, core_value__isnull=True)
                )
                | (
                    Q(target_kind="RHK", rhk__isnull=False)
                    & Q(realisasi__isnull=True, core_value__isnull=True)
                )
                | (
                    Q(target_kind="PERILAKU", core_value__gte=1, core_value__lte=7)
                    & Q(realisasi__isnull=True, rhk__isnull=True)
                ),
                name="umpan_balik_one_target",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12), name="umpan_balik_period_1_12"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="umpan_balik_text_required"),
        ]
        indexes = [
            models.Index(fields=["skp", "period", "created_at"], name="umpan_balik_skp_period_idx")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DialogKinerja(models.Model):
    """Notes of one 1:1 check-in between the rater and the pegawai about an SKP."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="dialog_kinerja")
    period = models.PositiveSmallIntegerField(_("periode"))
    held_on = models.DateField(_("tanggal dialog"))
    notes = models.TextField(_("catatan"))
    created_by = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dialog kinerja")
        verbose_name_plural = _("dialog kinerja")
        ordering = ["held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12), name="dialog_kinerja_period_1_12"
            ),
            models.CheckConstraint(condition=~Q(notes=""), name="dialog_kinerja_notes_required"),
        ]
        indexes = [models.Index(fields=["skp", "period"], name="dialog_kinerja_skp_period_idx")]

    def __str__(self) -> str:
        return f"Dialog {self.held_on}: {self.notes[:40]}"


class TindakLanjut(models.Model):
    """A follow-up agreed in a dialog kinerja: who does what by when."""

    dialog = models.ForeignKey(
        DialogKinerja, on_delete=models.CASCADE, related_name="tindak_lanjut"
    )
    text = models.TextField(_("tindak lanjut"))
    owner = models.ForeignKey(
        Pegawai, on_delete=models.PROTECT, related_name="+", verbose_name=_("penanggung jawab")
    )
    due_date = models.DateField(_("tenggat"))
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="tindak_lanjut_text_required")
        ]

    def __str__(self) -> str:
        return self.text[:60]
