from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import User


class NipLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "numeric"}
        ),
    )
    error_messages = {
        "invalid_login": _("NIP atau kata sandi salah. Periksa kembali dan coba lagi."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin kepegawaian."),
    }


class TokenCreateForm(forms.Form):
    name = forms.CharField(label=_("Nama token"), max_length=100)


class FirstPasswordResetForm(PasswordResetForm):
    """Password reset that also reaches accounts with no password yet.

    A pegawai added by the admin gets an account without a usable password and sets the first
    one through this link (Django's own form skips such accounts). Inactive accounts still
    get nothing.
    """

    def get_users(self, email: str) -> Iterator[User]:
        found = User.objects.filter(email__iexact=email, is_active=True)
        return (u for u in found if u.email.casefold() == email.casefold())
