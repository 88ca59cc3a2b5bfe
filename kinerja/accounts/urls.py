from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from . import views
from .forms import FirstPasswordResetForm, NipLoginForm

app_name = "accounts"
urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=NipLoginForm,
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "sandi/ubah/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"title": _("Ubah kata sandi")},
        ),
        name="password_change",
    ),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message.html", extra_context={"title": _("Kata sandi diubah")}
        ),
        name="password_change_done",
    ),
    path(
        "sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            form_class=FirstPasswordResetForm,
            template_name="accounts/form_page.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
            extra_context={"title": _("Lupa kata sandi")},
        ),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/message.html", extra_context={"title": _("Periksa email Anda")}
        ),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
            extra_context={"title": _("Atur kata sandi baru")},
        ),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/message.html",
            extra_context={"title": _("Kata sandi sudah diatur")},
        ),
        name="password_reset_complete",
    ),
    path("token/", views.tokens, name="tokens"),
    path("token/<int:pk>/cabut/", views.token_revoke, name="token_revoke"),
]
