from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "kinerja.assessments"
    label = "assessments"
    verbose_name = _("Penilaian kinerja")

    def ready(self) -> None:
        from kinerja.plans.signals import cadence_changing, skp_version_approved

        from .receivers import follow_version, refuse_cadence_change

        # The running periods' realisasi follow an approved perubahan SKP (receivers.py).
        skp_version_approved.connect(follow_version, dispatch_uid="assessments.follow_version")
        # A year's cadence is fixed once anything is recorded by period (receivers.py).
        cadence_changing.connect(
            refuse_cadence_change, dispatch_uid="assessments.refuse_cadence_change"
        )
