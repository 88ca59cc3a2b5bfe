"""Signals the plans app sends, for the apps that depend on it (plans imports none of them).

`skp_version_approved`: a perubahan SKP (a version with a `previous`) has been approved by
`skp_approve`. Sent inside its transaction, with `new` (the approved version), `previous` (the
version it replaces, in force until now) and `by` (the rater who approved), so that a receiver
writes in the same transaction and a receiver's error undoes the approval (sent with `send`, not
`send_robust`). The assessments app connects the receiver that moves the running period's
realisasi to the new version (kinerja/assessments/receivers.py).

`cadence_changing`: `tahun_set_cadence` is about to change a year's cadence (monthly ↔
quarterly), with `instansi_id`, `year`, `old` and `new`. Periods are stored as numbers (1-12 or
1-4), so a change after anything was recorded by period would re-label it and step around its
locks; a receiver raises `Conflict` when its app holds such records (assessments/receivers.py),
which refuses the change.
"""

from __future__ import annotations

from django.dispatch import Signal

skp_version_approved = Signal()
cadence_changing = Signal()
