"""Writes to accounts: API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit import services as audit
from kinerja.core.errors import ServiceError

from .models import ApiToken, User, hash_token

MAX_ACTIVE_TOKENS = 10


@transaction.atomic
def api_token_create(*, by: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `by`; returns it with the raw value, which is never stored."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Nama token wajib diisi."), field="name")
    # One creation at a time per user: a second one sent at once counts the first one's token.
    User.objects.select_for_update(no_key=True).filter(pk=by.pk).exists()
    active = ApiToken.objects.filter(user=by, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ServiceError(
            _("Paling banyak %(max_active_tokens)s token aktif; cabut yang lama dulu.")
            % {"max_active_tokens": MAX_ACTIVE_TOKENS}
        )
    raw = ApiToken.generate_raw()
    token = ApiToken.objects.create(
        user=by, name=name, prefix=raw[4:12], token_hash=hash_token(raw)
    )
    audit.record(
        "api_token_create",
        by=by,
        scope=0,
        target_type="api_token",
        target_id=token.pk,
        new={"name": name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, by: User, token: ApiToken) -> ApiToken:
    if token.user_id != by.pk:
        raise ServiceError(_("Token ini bukan milik Anda."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            "api_token_revoke", by=by, scope=0, target_type="api_token", target_id=token.pk
        )
    return token
