"""Distribution groups on materialised paths, and the rater consistency flag (pure)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.assessments import distribution_rules as dr
from kinerja.assessments import rules

SB, B, BP, K, SK = rules.PREDIKAT


def test_ancestor_paths_nearest_first() -> None:
    assert dr.ancestor_paths("/1/5/17/") == ["/1/5/17/", "/1/5/", "/1/"]
    assert dr.ancestor_paths("/3/") == ["/3/"]


@pytest.mark.parametrize("bad", ["", "/", "1/5/", "/1/5"])
def test_ancestor_paths_refuses_what_is_not_a_path(bad: str) -> None:
    with pytest.raises(ValueError, match="not a unit path"):
        dr.ancestor_paths(bad)


def test_staff_count_in_their_own_unit_when_it_has_a_capaian() -> None:
    assert dr.group_path("/1/5/17/", False, {"/1/5/17/", "/1/"}) == "/1/5/17/"


def test_staff_count_in_the_nearest_ancestor_with_a_capaian() -> None:
    assert dr.group_path("/1/5/17/", False, {"/1/5/", "/1/"}) == "/1/5/"
    assert dr.group_path("/1/5/17/", False, {"/1/"}) == "/1/"


def test_a_unit_head_counts_one_level_up() -> None:
    capaian = {"/1/5/17/", "/1/5/", "/1/"}
    assert dr.group_path("/1/5/17/", True, capaian) == "/1/5/"
    assert dr.group_path("/1/5/17/", True, {"/1/5/17/", "/1/"}) == "/1/"


def test_no_capaian_on_the_way_up_means_no_group() -> None:
    assert dr.group_path("/1/5/17/", False, {"/2/", "/1/5/18/"}) is None
    assert dr.group_path("/1/", True, {"/1/"}) is None


def test_path_prefix_without_boundary_is_not_an_ancestor() -> None:
    # '/1/5/' is an ancestor of '/1/5/17/', '/1/51/' is not.
    assert dr.group_path("/1/51/", False, {"/1/5/"}) is None


def test_group_counts_split_by_nearest_capaian() -> None:
    members = [
        dr.Member("/1/5/17/", False, B, 4),
        dr.Member("/1/5/17/", True, SB, 1),  # kasi → the bidang's group
        dr.Member("/1/5/", False, BP, 2),
        dr.Member("/1/5/", True, B, 1),  # kabid → no capaian above /1/5/ here
        dr.Member("/1/6/", False, K, 3),
    ]
    groups, ungrouped = dr.group_counts(members, {"/1/5/17/", "/1/5/"})
    assert groups["/1/5/17/"] == Counter({B: 4})
    assert groups["/1/5/"] == Counter({BP: 2, SB: 1})
    assert ungrouped == Counter({B: 1, K: 3})


def test_a_capaian_without_rated_members_is_an_empty_group() -> None:
    groups, _ = dr.group_counts([], {"/1/"})
    assert groups == {"/1/": Counter()}


def test_unknown_predikat_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown predikat"):
        dr.group_counts([dr.Member("/1/", False, "LUAR_BIASA")], {"/1/"})


def test_check_groups_names_the_breached_rules() -> None:
    members = [dr.Member("/1/", False, B, 8), dr.Member("/1/", False, SB, 2)]
    checks, _ = dr.check_groups(members, {"/1/": rules.BAIK}, min_group_size=5)
    check = checks["/1/"]
    assert check.total == 10
    assert check.counts == {SB: 2, B: 8, BP: 0, K: 0, SK: 0}
    messages = [v.message for v in check.violations]
    assert messages == [
        "Pola distribusi tidak terpenuhi: paling banyak 70% pegawai berpredikat Baik "
        "(sekarang 8 dari 10).",
        "Pola distribusi tidak terpenuhi: harus ada pegawai berpredikat Butuh Perbaikan "
        "dan/atau Kurang/Misconduct (sekarang 0 dari 10).",
    ]
    assert check.breached and not check.advisory
    assert check.blocks("BLOCK") and not check.blocks("WARN")


def test_a_small_group_only_warns() -> None:
    checks, _ = dr.check_groups(
        [dr.Member("/1/", False, B, 4)], {"/1/": rules.BAIK}, min_group_size=5
    )
    check = checks["/1/"]
    assert check.breached and check.advisory
    assert not check.blocks("BLOCK")


def test_a_group_within_the_pattern_does_not_block() -> None:
    members = [dr.Member("/1/", False, B, 7), dr.Member("/1/", False, BP, 3)]
    check = dr.check_groups(members, {"/1/": rules.BAIK}, min_group_size=5)[0]["/1/"]
    assert not check.breached and not check.blocks("BLOCK")


# --- properties -----------------------------------------------------------------------------

segments = st.lists(st.integers(1, 4), min_size=1, max_size=4)
paths = segments.map(lambda parts: "/" + "/".join(map(str, parts)) + "/")
members = st.lists(
    st.builds(dr.Member, paths, st.booleans(), st.sampled_from(rules.PREDIKAT), st.integers(1, 9)),
    max_size=30,
)


@given(members, st.sets(paths, max_size=6))
def test_every_rated_evaluation_lands_in_exactly_one_place(
    found: list[dr.Member], capaian: set[str]
) -> None:
    groups, ungrouped = dr.group_counts(found, capaian)
    assigned = sum(sum(c.values()) for c in groups.values()) + sum(ungrouped.values())
    assert assigned == sum(m.count for m in found)
    assert set(groups) == capaian


@given(paths, st.booleans(), st.sets(paths, max_size=6))
def test_the_group_is_the_nearest_qualifying_ancestor(
    path: str, head: bool, capaian: set[str]
) -> None:
    found = dr.group_path(path, head, capaian)
    allowed = dr.ancestor_paths(path)[1 if head else 0 :]
    if found is None:
        assert not capaian & set(allowed)
    else:
        assert found in allowed and found in capaian
        # nothing nearer qualifies
        assert not capaian & set(allowed[: allowed.index(found)])
        if head:
            assert found != path


# --- rater consistency ----------------------------------------------------------------------


def test_a_rater_far_above_the_instansi_is_lenient() -> None:
    instansi = {B: 80, BP: 20}  # mean 3.80
    assert rules.leniency({SB: 3}) - rules.leniency(instansi) == Decimal("1.20")
    assert dr.consistency_flag({SB: 3}, instansi) == dr.LENIENT


def test_a_rater_far_below_the_instansi_is_severe() -> None:
    assert dr.consistency_flag({BP: 2, K: 1}, {B: 10}) == dr.SEVERE


def test_the_threshold_is_inclusive_at_half_a_point() -> None:
    # rater mean 4.50 vs instansi 4.00: exactly 0.50 → lenient; 4.33 is not.
    assert dr.consistency_flag({SB: 2, B: 2}, {B: 10}) == dr.LENIENT
    assert dr.consistency_flag({SB: 1, B: 2}, {B: 10}) == ""
    assert dr.consistency_flag({B: 2, BP: 2}, {B: 10}) == dr.SEVERE


def test_too_few_ratings_are_never_flagged() -> None:
    assert dr.consistency_flag({SB: 2}, {SK: 50}) == ""
    assert dr.consistency_flag({SB: 5}, {}) == ""
