"""The one NinjaAPI instance; each app contributes a router."""

from kinerja.core.api import build_api
from kinerja.org.api import router as org_router

api = build_api()
api.add_router("/", org_router)
