"""Tindak lanjut records beside the coaching itself: the follow-up records for a Kurang/Misconduct
or Sangat Kurang result, read by the instansi's admins and auditors only (re-exported by
models.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kinerja.assessments.models import Evaluasi, Predikat
from kinerja.org.access import access_for
from kinerja.org.models import Instansi, Pegawai


class TindakLanjutQuerySet(models.QuerySet["CatatanTindakLanjut"]):
    def visible_to(self, user: object) -> TindakLanjutQuerySet:
        access = access_for(user)
        if access.is_superuser:
            return self
        return self.filter(instansi_id__in=access.admin_instansi_ids | access.auditor_instansi_ids)


class CatatanTindakLanjut(models.Model):
    """A follow-up action recorded for a Kurang/Misconduct or Sangat Kurang result (§10):
    recording only, nothing automatic."""

    instansi = models.ForeignKey(Instansi, on_delete=models.PROTECT, related_name="+")
    evaluasi = models.ForeignKey(Evaluasi, on_delete=models.PROTECT, related_name="+")
    pegawai = models.ForeignKey(Pegawai, on_delete=models.PROTECT, related_name="+")
    predikat = models.CharField(max_length=16, choices=Predikat.choices)
    action = models.TextField(_("tindakan"))
    date = models.DateField(_("tanggal"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = TindakLanjutQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan tindak lanjut")
        verbose_name_plural = _("catatan tindak lanjut")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(predikat__in=["KURANG", "SANGAT_KURANG"]), name="tl_predikat_low"
            ),
            models.CheckConstraint(condition=~Q(action=""), name="tl_action_required"),
        ]

    def __str__(self) -> str:
        return f"{self.pegawai_id} {self.date}"
