"""Waits rounded to the unit they are shown in, and percentiles read from the rounded buckets:
always the true percentile, rounded."""

from django.test import SimpleTestCase
from hypothesis import given, settings
from hypothesis import strategies as st

from mutualaid.figures import waits

M, H, D = 60, 3600, 86400


def exact_percentile(values, p):
    """Nearest rank, from the waits themselves."""
    ordered = sorted(values)
    return ordered[max(1, -(-p * len(ordered) // 100)) - 1]


class BucketTestCase(SimpleTestCase):
    def test_each_wait_is_rounded_to_its_unit(self):
        cases = [
            (0, "under a minute"),
            (29, "under a minute"),
            (30, "1 min"),
            (59 * M + 29, "59 min"),
            (59 * M + 30, "1 h"),
            (H + 29 * M, "1 h"),
            (H + 30 * M, "2 h"),
            (47 * H + 29 * M, "47 h"),
            (47 * H + 30 * M, "2 days"),
            (48 * H, "2 days"),
            (60 * H, "3 days"),
            (399 * D, "399 days"),
            (5000 * D, "400 days or more"),
            (-5, "under a minute"),
        ]
        for seconds, shown in cases:
            with self.subTest(seconds=seconds):
                self.assertEqual(waits.describe(waits.value(waits.bucket(seconds))), shown)
        self.assertEqual(waits.describe(None), "—")

    @given(st.floats(0, 300 * D), st.floats(0, 300 * D))
    def test_buckets_keep_the_waits_order(self, a, b):
        if a <= b:
            self.assertLessEqual(waits.bucket(a), waits.bucket(b))

    @given(st.floats(0, 300 * D))
    def test_a_bucket_is_its_wait_rounded_to_the_unit(self, seconds):
        unit = {"minute": M, "hour": H, "day": D}[waits.value(waits.bucket(seconds))["unit"]]
        self.assertLessEqual(abs(waits.seconds(waits.bucket(seconds)) - seconds), unit / 2)

    @settings(max_examples=300)
    @given(st.lists(st.floats(0, 60 * D), min_size=1, max_size=40), st.sampled_from([50, 90]))
    def test_a_percentile_of_the_buckets_is_the_true_one_rounded(self, values, p):
        histogram = {}
        for value in values:
            b = waits.bucket(value)
            histogram[b] = histogram.get(b, 0) + 1
        self.assertEqual(waits.percentile(histogram, p), waits.bucket(exact_percentile(values, p)))

    def test_no_wait_no_percentile(self):
        self.assertIsNone(waits.percentile({}, 50))

    def test_the_median_of_two_is_the_shorter(self):
        self.assertEqual(waits.percentile({5: 1, 9: 1}, 50), 5)
        self.assertEqual(waits.percentile({5: 1, 9: 1}, 90), 9)
