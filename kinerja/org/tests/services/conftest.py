"""The cast of the org service stories: built once for this package, a private copy per test."""

from __future__ import annotations

import pytest

from kinerja.accounts.models import User
from kinerja.org import services
from kinerja.org.testing import Cast, cast_built_once

module_cast, cast = cast_built_once("package")


@pytest.fixture
def kota_admin(cast: Cast) -> User:
    """The admin kepegawaian of Pemerintah Kota Lain: powerful there, a stranger in KAB."""
    user = User.objects.create_user("admin-kota", "rahasia-kota-2026", full_name="Admin Kota")
    services.peran_grant(by=cast.superadmin, user=user, instansi=cast.kota, role="ADMIN")
    return User.objects.get(pk=user.pk)
