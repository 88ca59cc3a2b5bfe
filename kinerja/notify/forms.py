from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email notifikasi"), choices=EmailMode.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Bahasa email"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        required=False,  # a form without it leaves the language as it is
    )
