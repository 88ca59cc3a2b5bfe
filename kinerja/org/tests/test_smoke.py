from kinerja.org.hierarchy import rater_id_for, subordinate_ids
from kinerja.org.testing import Cast


def test_cast_raters_follow_the_jabatan_tree(cast: Cast) -> None:
    assert rater_id_for(cast.staf_a) == cast.kasi.pk
    assert rater_id_for(cast.kasi) == cast.kabid.pk
    assert rater_id_for(cast.perawat) == cast.kapus.pk
    assert rater_id_for(cast.kadis) is None
    assert subordinate_ids(cast.kasi) == {cast.staf_a.pk, cast.staf_b.pk}
    assert subordinate_ids(cast.kadis) == {cast.kabid.pk, cast.kapus.pk}
