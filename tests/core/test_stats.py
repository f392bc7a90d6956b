"""Student's t quantiles and distribution function, and Welch's interval, against published
tables, closed forms and intervals worked out by hand.

Where a reference is given to more digits than a printed table has, it was computed with mpmath
at 40 significant digits (the regularized incomplete beta function, inverted by findroot) and
cross-checked against scipy.stats.t; the Welch intervals were also cross-checked against
scipy.stats.ttest_ind(equal_var=False).confidence_interval(). Neither library is imported here.
"""

from __future__ import annotations

import dataclasses
import itertools
import math

import pytest

from quell.core import stats
from quell.core.stats import MeanDifference, student_t_cdf, student_t_quantile, welch_interval

# --- Student's t quantiles -------------------------------------------------------------------

# Table values to 9 decimals (printed tables, such as the NIST/SEMATECH e-Handbook's 1.3.6.7.2,
# round them to 3), each confirmed with mpmath.
PUBLISHED = [
    (0.975, 1, 12.706204736),
    (0.975, 2, 4.302652730),
    (0.975, 4, 2.776445105),
    (0.95, 4, 2.131846786),
    (0.975, 7, 2.364624252),
    (0.975, 8, 2.306004135),
    (0.975, 10, 2.228138852),
    (0.975, 30, 2.042272456),
    (0.995, 5, 4.032142984),
    (0.975, 1000, 1.962339081),
]


@pytest.mark.parametrize(("p", "df", "expected"), PUBLISHED)
def test_quantiles_match_the_published_tables(p: float, df: float, expected: float) -> None:
    assert student_t_quantile(p, df) == pytest.approx(expected, abs=1e-9)


# mpmath (40 digits): well beyond 1e-10, across small, non-integer and large df, into the
# region of the asymptotic series for log Γ(a + 1/2) / Γ(a) (df >= 2000) and that of Hill's
# normal approximation (df >= 10**6).
REFERENCES = [
    (0.975, 1, 12.706204736174693),
    (0.975, 2, 4.3026527297494618),
    (0.975, 4, 2.7764451051977935),
    (0.975, 5, 2.5705818356363148),
    (0.975, 7.5, 2.333039626864974),
    (0.975, 10, 2.2281388519862742),
    (0.975, 30, 2.0422724563012379),
    (0.975, 1000, 1.9623390808264081),
    (0.975, 2000, 1.9611508260994377),
    (0.975, 5000, 1.9604385517065075),
    (0.975, 2e6, 1.9599651706763746),
    (0.975, 1e8, 1.9599640082627664),
    (1e-10, 3e5, -6.3615607285349042),
    (0.9, 0.3, 64.786545637096949),
]


@pytest.mark.parametrize(("p", "df", "expected"), REFERENCES)
def test_quantiles_match_references_to_twelve_digits(p: float, df: float, expected: float
                                                     ) -> None:
    assert student_t_quantile(p, df) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_extreme_quantiles_keep_their_relative_accuracy() -> None:
    assert student_t_quantile(0.999, 0.5) == pytest.approx(102849.11563017537, rel=1e-12)
    assert student_t_quantile(1e-12, 0.1) == pytest.approx(-1.6044257056665454e116, rel=1e-11)


def test_the_median_is_zero_for_any_df() -> None:
    for df in (0.2, 1, 3.5, 10, 1e7):
        assert student_t_quantile(0.5, df) == 0.0


@pytest.mark.parametrize("df", [0.7, 1, 4, 10, 2500, 3e6])
@pytest.mark.parametrize("p", [0.975, 0.9, 0.6, 1 - 1e-9])
def test_quantiles_are_symmetric(p: float, df: float) -> None:
    # 1 - p is exact for p >= 1/2, so both calls look for the same tail: exactly opposite.
    assert student_t_quantile(1 - p, df) == -student_t_quantile(p, df)
    assert student_t_quantile(p, df) > 0


def test_a_non_integer_df_lies_between_its_integer_neighbours() -> None:
    t7, t75, t8 = (student_t_quantile(0.975, df) for df in (7, 7.5, 8))
    assert t7 == pytest.approx(2.364624252, abs=1e-9)
    assert t8 == pytest.approx(2.306004135, abs=1e-9)
    assert t8 < t75 < t7
    assert t75 == pytest.approx(2.333039626864974, abs=1e-12)


def test_quantiles_fall_towards_the_normal_one_as_df_grows() -> None:
    values = [student_t_quantile(0.975, df) for df in (1, 2, 5, 30, 1000, 1e5, 1e9)]
    assert values == sorted(values, reverse=True)
    # z_0.975 = 1.959963984540054; t - z is about (z³ + z) / (4 df), 1.2e-15 at df = 10**15.
    assert student_t_quantile(0.975, 1e15) == pytest.approx(1.959963984540054, abs=1e-14)


@pytest.mark.parametrize("p", [1e-12, 1e-6, 0.01, 0.025, 0.2, 0.45, 0.55, 0.9, 0.975, 0.999])
def test_cauchy_quantiles_are_tangents(p: float) -> None:
    # df = 1 is the Cauchy distribution: the p-quantile is tan(π (p - 1/2)) = -cot(π p), written
    # so that neither p - 1/2 nor the pole of tan costs digits in the tails.
    expected = -1 / math.tan(math.pi * p) if p < 0.5 else 1 / math.tan(math.pi * (1 - p))
    assert student_t_quantile(p, 1) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("p", [1e-12, 1e-6, 0.01, 0.025, 0.2, 0.45, 0.55, 0.9, 0.975, 0.999])
def test_quantiles_for_two_df_have_a_closed_form(p: float) -> None:
    # df = 2: t_p = (2p - 1) / sqrt(2 p (1 - p)).
    expected = (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    assert student_t_quantile(p, 2) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("p", "df"), [(0.025, 1), (1e-6, 3.7), (0.3, 10), (0.01, 2500),
                                       (0.025, 3e6), (1e-9, 0.4)])
def test_the_quantile_is_the_first_float_to_reach_p(p: float, df: float) -> None:
    # For p < 1/2 the result is the largest t with P(T <= t) <= p, to the last bit: the next
    # float towards 0 already has more than p below it.
    t = student_t_quantile(p, df)
    assert student_t_cdf(t, df) <= p < student_t_cdf(math.nextafter(t, 0.0), df)


@pytest.mark.parametrize(("t", "df"), [(2.5, 10), (3.3, 3.7), (1.0, 1), (0.2, 2000)])
def test_a_probability_that_is_exactly_the_cdf_gives_its_t_back(t: float, df: float) -> None:
    p = student_t_cdf(-t, df)
    found = student_t_quantile(p, df)
    # The t itself, or a float a few bits nearer 0 where the computed cdf is already p.
    assert found == pytest.approx(-t, rel=1e-14)
    assert -t <= found
    assert student_t_cdf(found, df) <= p
    if t in (2.5, 3.3):
        assert found == -t


def test_a_quantile_beyond_the_largest_float_is_infinite() -> None:
    # df = 0.1 has tails like |t|^-0.1: below about 1e-31 no float is far enough out.
    assert student_t_quantile(1e-40, 0.1) == -math.inf
    assert student_t_quantile(1 - 1e-16, 0.1) == pytest.approx(5.63919760901788e155, rel=1e-9)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_a_probability_outside_the_open_unit_interval_is_refused(p: float) -> None:
    with pytest.raises(ValueError) as caught:
        student_t_quantile(p, 5)
    assert str(caught.value) == f"p must lie strictly between 0 and 1, not {p!r}"


@pytest.mark.parametrize("df", [0.0, -1.0, math.inf, -math.inf, math.nan])
def test_df_must_be_finite_and_positive(df: float) -> None:
    message = f"degrees of freedom must be a finite number > 0, not {df!r}"
    with pytest.raises(ValueError) as caught:
        student_t_quantile(0.975, df)
    assert str(caught.value) == message
    with pytest.raises(ValueError) as caught:
        student_t_cdf(1.0, df)
    assert str(caught.value) == message


def test_small_positive_df_are_accepted() -> None:
    assert student_t_cdf(-3, 0.5) == pytest.approx(0.18365407799297172, rel=1e-12)
    assert student_t_quantile(0.975, 1e-3) > 1e100


# --- Student's t distribution function -------------------------------------------------------


def test_the_cdf_is_one_half_at_zero() -> None:
    for df in (0.3, 1, 10, 1e8):
        assert student_t_cdf(0.0, df) == 0.5
        assert student_t_cdf(-0.0, df) == 0.5


def test_the_cdf_inverts_the_quantile() -> None:
    assert student_t_cdf(2.228138852, 10) == pytest.approx(0.975, abs=1e-10)
    assert student_t_cdf(student_t_quantile(0.975, 10), 10) == pytest.approx(0.975, abs=1e-15)
    assert student_t_cdf(-12.706204736, 1) == pytest.approx(0.025, abs=1e-11)


def test_the_cdf_matches_references() -> None:
    assert student_t_cdf(2.5, 10) == pytest.approx(0.9842765778816956, abs=1e-15)
    assert student_t_cdf(-2.5, 10) == pytest.approx(0.015723422118304402, rel=1e-13)
    assert student_t_cdf(1.5, 7.5) == pytest.approx(0.91275971470676788, abs=1e-15)
    assert student_t_cdf(-2, 7.5) == pytest.approx(0.041448497649083156, rel=1e-13)
    assert student_t_cdf(0.001, 3) == pytest.approx(0.50036755251526953, abs=1e-15)


def test_far_tails_keep_their_relative_accuracy() -> None:
    # Far out the tail is tiny; it must not come from 1 - (something near 1).
    assert student_t_cdf(-30, 3) == pytest.approx(4.0676402135819797e-5, rel=1e-13)
    assert student_t_cdf(-1e10, 1) == pytest.approx(3.1830988618379067e-11, rel=1e-13)
    # The asymptotic log Γ(a + 1/2) / Γ(a) (from df = 2000) and Hill's approximation (from
    # df = 10**6), where a relative error of the prefactor shows as it is.
    assert student_t_cdf(-5, 2000) == pytest.approx(3.1164489177730193e-7, rel=1e-13)
    assert student_t_cdf(-5, 5000) == pytest.approx(2.9644737295606599e-7, rel=1e-13)
    assert student_t_cdf(-5, 2e6) == pytest.approx(2.8667573189157315e-7, rel=1e-12)
    assert student_t_cdf(-4, 1e9) == pytest.approx(3.1671244108233817e-5, rel=1e-13)


def test_cauchy_cdf() -> None:
    # df = 1: P(T <= t) = 1/2 + atan(t) / π, so P(T <= 1) = 3/4; P(T <= -t) = atan(1/t) / π.
    assert student_t_cdf(1, 1) == pytest.approx(0.75, abs=1e-15)
    assert student_t_cdf(-1, 1) == pytest.approx(0.25, abs=1e-15)
    for t in (1e-8, 0.3, 2.0, 50.0, 1e6):
        assert student_t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-15)
        assert student_t_cdf(-t, 1) == pytest.approx(math.atan(1 / t) / math.pi, rel=1e-12)


def test_cdf_for_two_df_has_a_closed_form() -> None:
    # df = 2: P(T <= t) = 1/2 + t / (2s) with s = sqrt(2 + t²), and so P(T <= -t) = 1/2 - t / (2s)
    # = (s - t) / (2s) = 2 / (2s (s + t)) = 1 / (s (s + t)), free of cancellation.
    for t in (1e-8, 0.3, 2.0, 50.0, 1e6):
        s = math.sqrt(2 + t * t)
        assert student_t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * s), abs=1e-15)
        assert student_t_cdf(-t, 2) == pytest.approx(1 / (s * (s + t)), rel=1e-12)


def test_cdf_at_the_infinities_and_beyond_the_floats() -> None:
    assert student_t_cdf(math.inf, 3) == 1.0
    assert student_t_cdf(-math.inf, 3) == 0.0
    assert student_t_cdf(1e300, 3) == 1.0
    # The tail is about 1.1e-900 here: below the smallest float.
    assert student_t_cdf(-1e300, 3) == 0.0
    # With df = 0.2 it falls like |t|^-0.2: still 3.76e-61 at t = -1e300 (mpmath).
    assert student_t_cdf(-1e300, 0.2) == pytest.approx(3.7593101792126628e-61, rel=1e-12)
    assert student_t_cdf(5e-324, 3) == 0.5


def test_a_nan_t_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        student_t_cdf(math.nan, 3)
    assert str(caught.value) == "t must be a number, not nan"


def test_the_cdf_rises_with_t() -> None:
    for df in (0.5, 3, 40, 3000, 2e6):
        values = [student_t_cdf(t, df) for t in (-20, -3, -1, -0.1, 0, 0.1, 1, 3, 20)]
        assert all(low < high for low, high in itertools.pairwise(values))


# --- the helpers' guards, which Student's t never trips ---------------------------------------


def test_lentz_replaces_a_denominator_too_close_to_zero() -> None:
    assert stats._nonzero(0.0) == 1e-300
    assert stats._nonzero(1e-301) == 1e-300
    assert stats._nonzero(-1e-301) == 1e-300
    assert stats._nonzero(-1e-300) == -1e-300
    assert stats._nonzero(-2.5) == -2.5
    assert stats._nonzero(3e-300) == 3e-300


def test_a_continued_fraction_that_does_not_converge_is_an_error() -> None:
    # Two large parameters at the crossing point need O(sqrt(a)) = 10**4 steps: more than the
    # 1000 allowed (Student's t, with b = 1/2, never needs more than about 50).
    with pytest.raises(ArithmeticError) as caught:
        stats._continued_fraction(1e8, 1e8, 0.5)
    assert str(caught.value) == ("the incomplete beta function did not converge for "
                                 "a = 100000000.0, b = 100000000.0")


# --- Welch's interval ------------------------------------------------------------------------

# Example 1: with = [3, 4, 2, 3, 4, 3, 2], without = [1, 2, 1, 2, 1, 1, 2, 2].
#   with:    n1 = 7, sum 21, mean 3; deviations 0, 1, -1, 0, 1, 0, -1, squares sum to 4,
#            s1² = 4/6 = 2/3, a = s1² / n1 = 2/21 = 0.0952380952...
#   without: n0 = 8, sum 12, mean 1.5; every deviation is ±0.5, squares sum to 8 × 0.25 = 2,
#            s0² = 2/7, b = s0² / n0 = 1/28 = 0.0357142857...
#   difference = 3 - 1.5 = 1.5; a + b = 8/84 + 3/84 = 11/84; se = sqrt(11/84) = 0.361873432228
#   df = (11/84)² / ((2/21)² / 6 + (1/28)² / 7) = (121/7056) / (2/1323 + 1/5488)
#      = (121/7056) / (251/148176)    [148176 = 2⁴·3³·7³ = 21 × 7056]
#      = 121 × 21 / 251 = 2541/251 = 10.1235059761
#   t_(0.975, 10.1235) = 2.22445971188 (just under t_(0.975, 10) = 2.228138852)
#   half-width = 2.22445971188 × 0.361873432228 = 0.804972870792
#   interval = 1.5 ± 0.804972870792 = (0.695027129208, 2.304972870792)
#   At level 0.90: t_(0.95, 10.1235) = 1.81021997261, half-width 0.655070514575,
#   interval (0.844929485425, 2.155070514575).
EXAMPLE_WITH = [3, 4, 2, 3, 4, 3, 2]
EXAMPLE_WITHOUT = [1, 2, 1, 2, 1, 1, 2, 2]


def test_welch_interval_worked_by_hand() -> None:
    result = welch_interval(EXAMPLE_WITH, EXAMPLE_WITHOUT)
    assert result.mean_with == 3.0
    assert result.mean_without == 1.5
    assert result.difference == 1.5
    assert result.df == pytest.approx(2541 / 251, rel=1e-14)
    assert result.ci_low == pytest.approx(0.695027129207723, abs=1e-12)
    assert result.ci_high == pytest.approx(2.304972870792277, abs=1e-12)


def test_a_lower_level_gives_a_narrower_interval() -> None:
    wide = welch_interval(EXAMPLE_WITH, EXAMPLE_WITHOUT)
    narrow = welch_interval(EXAMPLE_WITH, EXAMPLE_WITHOUT, level=0.90)
    assert narrow.df == wide.df
    assert wide.ci_low < narrow.ci_low < narrow.difference < narrow.ci_high < wide.ci_high
    assert narrow.ci_low == pytest.approx(0.844929485425195, abs=1e-12)
    assert narrow.ci_high == pytest.approx(2.155070514574805, abs=1e-12)


# Example 2, unequal sizes and variances: with = [10, 12, 14, 16, 18], without = [7, 9, 11].
#   with:    n1 = 5, mean 14, squares of deviations 16 + 4 + 0 + 4 + 16 = 40, s1² = 40/4 = 10,
#            a = 10/5 = 2
#   without: n0 = 3, mean 9, squares 4 + 0 + 4 = 8, s0² = 8/2 = 4, b = 4/3
#   difference = 5; a + b = 10/3; se = sqrt(10/3) = 1.82574185835
#   df = (10/3)² / (2²/4 + (4/3)²/2) = (100/9) / (1 + 8/9) = (100/9) / (17/9) = 100/17 = 5.88235
#   t_(0.975, 5.88235) = 2.45882370970 (between t_(0.975, 6) = 2.447 and t_(0.975, 5) = 2.571)
#   half-width = 2.45882370970 × 1.82574185835 = 4.48917736910
#   interval = 5 ± 4.48917736910 = (0.51082263090, 9.48917736910)
#   (Swapping n1 - 1 and n0 - 1 would give (100/9) / (4/2 + (16/9)/4) = 100/22 instead.)
def test_welch_interval_with_unequal_sizes_and_variances() -> None:
    result = welch_interval([10, 12, 14, 16, 18], [7, 9, 11])
    assert result == MeanDifference(14.0, 9.0, 5.0, result.ci_low, result.ci_high, result.df)
    assert result.df == pytest.approx(100 / 17, rel=1e-14)
    assert result.ci_low == pytest.approx(0.510822630897478, abs=1e-12)
    assert result.ci_high == pytest.approx(9.489177369102522, abs=1e-12)


# Example 3, one side without spread: with = [5, 5, 5, 5], without = [1, 2, 3, 4, 5].
#   with: mean 5, s1² = 0, a = 0; without: mean 3, squares 4 + 1 + 0 + 1 + 4 = 10, s0² = 10/4
#   = 2.5, b = 2.5/5 = 0.5. difference = 2; se = sqrt(0.5) = 0.707106781187
#   df = 0.5² / (0²/3 + 0.5²/4) = 4 = n0 - 1: all the uncertainty is the other side's.
#   t_(0.975, 4) = 2.776445105 (table); half-width 2.776445105 × 0.707106781187 = 1.963243161
#   interval = 2 ± 1.963243161 = (0.036756839, 3.963243161)
#   At level 0.90: t_(0.95, 4) = 2.131846786, half-width 1.507443319,
#   interval (0.492556681, 3.507443319).
def test_welch_interval_when_one_side_has_no_variance() -> None:
    result = welch_interval([5, 5, 5, 5], [1, 2, 3, 4, 5])
    assert result.mean_with == 5.0
    assert result.mean_without == 3.0
    assert result.difference == 2.0
    assert result.df == pytest.approx(4.0, rel=1e-15)
    assert result.ci_low == pytest.approx(0.0367568385224429, abs=1e-12)
    assert result.ci_high == pytest.approx(3.96324316147756, abs=1e-12)
    narrow = welch_interval([5, 5, 5, 5], [1, 2, 3, 4, 5], level=0.9)
    assert narrow.ci_low == pytest.approx(0.492556680937677, abs=1e-12)
    assert narrow.ci_high == pytest.approx(3.50744331906232, abs=1e-12)


# The same the other way round, with a zero-variance side of another size: with = [1, 2, 3, 4,
# 5] (mean 3, a = 0.5), without = [5, 5, 5] (mean 5, b = 0): difference -2, df = n1 - 1 = 4
# (not n0 - 1 = 2), interval -2 ± 1.963243161 = (-3.963243161, -0.036756839).
def test_welch_interval_when_the_other_side_has_no_variance() -> None:
    result = welch_interval([1, 2, 3, 4, 5], [5, 5, 5])
    assert (result.mean_with, result.mean_without, result.difference) == (3.0, 5.0, -2.0)
    assert result.df == pytest.approx(4.0, rel=1e-15)
    assert result.ci_low == pytest.approx(-3.96324316147756, abs=1e-12)
    assert result.ci_high == pytest.approx(-0.0367568385224429, abs=1e-12)


def test_welch_interval_when_neither_side_varies_is_the_point_itself() -> None:
    # s1² = s0² = 0: the standard error is 0, so is the width; there is no df to speak of.
    assert welch_interval([2, 2, 2], [1, 1]) == MeanDifference(2.0, 1.0, 1.0, 1.0, 1.0, None)
    assert welch_interval([0.5, 0.5], [0.5, 0.5, 0.5]) == MeanDifference(
        0.5, 0.5, 0.0, 0.0, 0.0, None)


# Two values each, the fewest allowed: with = [1, 3] (mean 2, s1² = (1 + 1)/1 = 2, a = 1),
# without = [0, 2] (mean 1, s0² = 2, b = 1). se = sqrt(2); df = 2² / (1/1 + 1/1) = 2;
# t_(0.975, 2) = 4.302652730, half-width 4.302652730 × 1.414213562 = 6.084869845,
# interval 1 ± 6.084869845 = (-5.084869845, 7.084869845).
def test_two_values_a_side_are_enough() -> None:
    result = welch_interval([1, 3], [0, 2])
    assert result.df == pytest.approx(2.0, rel=1e-15)
    assert result.ci_low == pytest.approx(-5.08486984459331, abs=1e-12)
    assert result.ci_high == pytest.approx(7.08486984459331, abs=1e-12)


def test_tiny_and_huge_variances_neither_underflow_nor_overflow_the_df() -> None:
    # a = b: df = 1 / (0.5²/1 + 0.5²/1) = 2, though a² underflows (1e-642) or overflows
    # (6e598) where the textbook formula squares it.
    for spread in (1e-160, 1e150):
        result = welch_interval([0.0, spread], [0.0, spread])
        assert result.df == 2.0
        assert result.difference == 0.0
        half = 4.302652729749462 * math.sqrt(2 * (spread * spread / 2) / 2)
        assert result.ci_high == pytest.approx(half, rel=1e-12)
        assert result.ci_low == -result.ci_high


@pytest.mark.parametrize(("with_values", "without_values", "message"), [
    ([1.0], [1.0, 2.0], "with_values needs at least 2 values, not 1"),
    ([1.0, 2.0], [3.0], "without_values needs at least 2 values, not 1"),
    ([], [], "with_values needs at least 2 values, not 0"),
    ([1.0, math.nan], [1.0, 2.0], "with_values must hold only finite numbers"),
    ([1.0, 2.0], [math.inf, 2.0], "without_values must hold only finite numbers"),
])
def test_each_side_needs_two_finite_values(with_values: list[float],
                                           without_values: list[float], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        welch_interval(with_values, without_values)
    assert str(caught.value) == message


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 1.5, math.nan])
def test_the_level_must_lie_strictly_between_0_and_1(level: float) -> None:
    with pytest.raises(ValueError) as caught:
        welch_interval([1, 2], [3, 4], level=level)
    assert str(caught.value) == f"the level must lie strictly between 0 and 1, not {level!r}"


def test_the_result_is_frozen() -> None:
    result = welch_interval(EXAMPLE_WITH, EXAMPLE_WITHOUT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.difference = 0.0  # type: ignore[misc]
