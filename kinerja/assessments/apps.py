from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "kinerja.assessments"
    label = "assessments"
    verbose_name = _("Penilaian kinerja")

    def ready(self) -> None:
        from kinerja.plans.signals import skp_version_approved

        from .receivers import follow_version

        # The running periods' realisasi follow an approved perubahan SKP (receivers.py).
        skp_version_approved.connect(follow_version, dispatch_uid="assessments.follow_version")
