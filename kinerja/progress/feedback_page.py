"""What the realisasi page shows of umpan balik and dialog kinerja, in a constant number of
queries: the threads per realisasi, per RHK and per BerAKHLAK value, the dialogs with their
follow-ups, and the forms the reader may use (a submitted form comes back with its errors)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Prefetch

from kinerja.accounts.models import User
from kinerja.org.access import access_for
from kinerja.plans.berakhlak import core_value
from kinerja.plans.models import Skp, StatusSkp
from kinerja.plans.rules import Period

from . import feedback_services
from .feedback_forms import BalasanForm, DialogForm, UmpanBalikForm
from .feedback_models import DialogKinerja, TargetUmpanBalik, TindakLanjut, UmpanBalik

# A submitted form, put back in place: {(kind, target): form}. kind is REALISASI, RHK or
# PERILAKU (a new thread), BALAS (a reply, target = the thread) or DIALOG (target 0).
Bound = dict[tuple[str, int], forms.Form]


@dataclass
class Thread:
    first: UmpanBalik
    replies: list[UmpanBalik]
    reply_form: BalasanForm | None

    @property
    def about(self) -> str:
        value = self.first.core_value
        return core_value(value).name if value else ""


@dataclass
class Threads:
    kind: str
    target: int
    items: list[Thread]
    form: UmpanBalikForm | None


@dataclass
class FollowUpRow:
    item: TindakLanjut
    may_close: bool


@dataclass
class DialogRow:
    dialog: DialogKinerja
    follow_ups: list[FollowUpRow]


@dataclass
class Feedback:
    by_realisasi: dict[int, Threads] = field(default_factory=dict)
    by_rhk: dict[int, Threads] = field(default_factory=dict)
    perilaku: Threads | None = None
    dialogs: list[DialogRow] = field(default_factory=list)
    dialog_form: DialogForm | None = None
    placed: list[forms.Form] = field(default_factory=list)


def feedback_for(
    user: User,
    skp: Skp,
    periods: tuple[list[Period], Period | None],
    targets: tuple[list[int], list[int]],
    bound: Bound,
    *,
    replaced: bool = False,
) -> Feedback:
    """`targets`: the ids of the SKP's realisasi entries and of its RHK. On a `replaced`
    version no thread or dialog starts; the threads that stayed there still take replies."""
    all_periods, current = periods
    me = access_for(user).pegawai_id
    approved = skp.status == StatusSkp.DISETUJUI
    may_start = approved and not replaced and feedback_services.may_give_feedback(user, skp)
    may_reply = approved and (may_start or feedback_services.may_reply(user, skp))
    period_choices = [(p.number, p.label) for p in all_periods]
    default_period = current.number if current else (all_periods[-1].number if all_periods else 1)
    result = Feedback()

    def placed(key: tuple[str, int], make: Any) -> Any:
        if key in bound:
            result.placed.append(bound[key])
            return bound[key]
        return make()

    def new_form(kind: str, target: int) -> UmpanBalikForm | None:
        if not may_start:
            return None
        return placed(  # type: ignore[no-any-return]
            (kind, target),
            lambda: UmpanBalikForm(
                kind=kind, periods=period_choices, initial={"period": default_period},
                auto_id=f"ub-{kind.lower()}-{target}-%s",
            ),
        )  # fmt: skip

    replies: dict[int, list[UmpanBalik]] = defaultdict(list)
    firsts: list[UmpanBalik] = []
    for item in UmpanBalik.objects.filter(skp=skp).select_related("author"):
        (replies[item.parent_id] if item.parent_id else firsts).append(item)

    realisasi_ids, rhk_ids = targets
    result.by_realisasi = {pk: Threads("REALISASI", pk, [], new_form("REALISASI", pk))
                           for pk in realisasi_ids}  # fmt: skip
    result.by_rhk = {pk: Threads("RHK", pk, [], new_form("RHK", pk)) for pk in rhk_ids}
    result.perilaku = Threads("PERILAKU", 0, [], new_form("PERILAKU", 0))

    for item in firsts:
        thread = Thread(
            item,
            replies[item.pk],
            placed(("BALAS", item.pk), lambda i=item: BalasanForm(auto_id=f"bl-{i.pk}-%s"))
            if may_reply
            else None,
        )
        if item.target_kind == TargetUmpanBalik.REALISASI and item.realisasi_id:
            group = result.by_realisasi.get(item.realisasi_id)
        elif item.target_kind == TargetUmpanBalik.RHK and item.rhk_id:
            group = result.by_rhk.get(item.rhk_id)
        else:
            group = result.perilaku
        if group is not None:
            group.items.append(thread)

    tindak_lanjut = TindakLanjut.objects.select_related("owner")
    dialogs = (
        DialogKinerja.objects.filter(skp=skp)
        .select_related("created_by")
        .prefetch_related(Prefetch("tindak_lanjut", queryset=tindak_lanjut))
        .order_by("-held_on", "-id")
    )
    for dialog in dialogs:
        rows = [
            FollowUpRow(t, t.done_at is None and feedback_services.may_close(me, t, dialog, skp))
            for t in dialog.tindak_lanjut.all()
        ]
        result.dialogs.append(DialogRow(dialog, rows))
    if may_start:
        owners = owner_choices(user, skp)
        result.dialog_form = placed(
            ("DIALOG", 0),
            lambda: DialogForm(
                periods=period_choices, owners=owners, initial={"period": default_period},
                auto_id="dlg-%s",
            ),
        )  # fmt: skip
    return result


def owner_choices(user: User, skp: Skp) -> list[tuple[int, str]]:
    """Who may own a follow-up of a dialog the user records: the pegawai, or the user."""
    me = access_for(user).pegawai_id
    choices = [(skp.pegawai_id, skp.pegawai.display_name)]
    if me is not None and me != skp.pegawai_id:
        choices.append((me, user.get_full_name()))
    return choices
