from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
