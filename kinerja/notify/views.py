"""The notification page: the list (newest first), mark read, and the email preference."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from kinerja.accounts.http import AuthedRequest

from . import services
from .forms import PreferenceForm
from .models import Notification

PAGE_SIZE = 50


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    """Newest first, PAGE_SIZE a page (?hal=N; a bad or too large number shows the nearest
    page); "Lebih lama" swaps the list in place under htmx and is a plain link without it."""
    show_all = request.GET.get("semua") == "1"
    qs = Notification.objects.for_user(request.user)
    if not show_all:
        qs = qs.unread()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("hal"))
    context = {"page": page, "notifications": page.object_list, "show_all": show_all}
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "notify/list.html#items", context)
    context["form"] = PreferenceForm(initial=services.preference_of(request.user))
    return render(request, "notify/list.html", context)


@login_required
@require_POST
def mark_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    services.notification_mark_read(by=request.user, notification=notification)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notify:list")


@login_required
@require_GET
def open_notification(request: AuthedRequest, pk: int) -> HttpResponse:
    """The notification's link on the list: opening it marks it read (once; opening it again
    changes nothing) and goes where it points, a page of this site only."""
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        services.notification_mark_read(by=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notify:list")


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    count = services.notification_mark_all_read(by=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)s notifikasi ditandai sudah dibaca.",
            "%(n)s notifikasi ditandai sudah dibaca.",
            count,
        )
        % {"n": count},
    )
    return redirect("notify:list")


@login_required
@require_POST
def preference(request: AuthedRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.preference_set(
            by=request.user,
            email_mode=form.cleaned_data["email_mode"],
            language=form.cleaned_data["language"] or None,
        )
        messages.success(request, _("Pengaturan email notifikasi disimpan."))
    elif "language" in form.errors and "email_mode" not in form.errors:
        messages.error(request, _("Bahasa email tidak dikenal."))
    else:
        messages.error(request, _("Pilihan email tidak dikenal."))
    return redirect("notify:list")
