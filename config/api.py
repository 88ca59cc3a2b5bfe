"""The one NinjaAPI instance; each app contributes a router."""

from kinerja.core.api import build_api
from kinerja.org.api import router as org_router
from kinerja.org.import_api import router as import_router
from kinerja.org.roles_api import router as roles_router

api = build_api()
# The most frequent calls first (Django tries the API's patterns in order): recording a
# realisasi from a phone, and the public SKM questionnaire.
api.add_router("/", "kinerja.progress.api.router")
api.add_router("/", "kinerja.progress.evidence_api.router")
api.add_router("/", "kinerja.surveys.public_api.router")
api.add_router("/", org_router)
api.add_router("/", roles_router)
api.add_router("/", import_router)
api.add_router("/", "kinerja.plans.document_api.router")
api.add_router("/", "kinerja.plans.api.router")
api.add_router("/", "kinerja.notify.api.router")
api.add_router("/", "kinerja.progress.feedback_api.router")
api.add_router("/", "kinerja.progress.team_api.router")
api.add_router("/", "kinerja.surveys.api.router")
api.add_router("/", "kinerja.surveys.api_documents.router")
api.add_router("/", "kinerja.assessments.api_documents.router")
api.add_router("/", "kinerja.assessments.api_360.router")
api.add_router("/", "kinerja.assessments.api_distribution.router")
api.add_router("/", "kinerja.assessments.api.router")
api.add_router("/", "kinerja.development.api.router")
api.add_router("/", "kinerja.development.api_training.router")
api.add_router("/", "kinerja.assessments.api_keberatan.router")
api.add_router("/", "kinerja.assessments.api_credit.router")
