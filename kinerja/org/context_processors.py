from typing import Any

from django.http import HttpRequest

from kinerja.org.access import access_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    access = access_for(getattr(request, "user", None))
    return {"access": access}
