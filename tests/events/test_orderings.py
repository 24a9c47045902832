"""The faster orderings of the event search give the order of the plain numpy calls they replace, ties
included: the groups and labels depend on it."""

from __future__ import annotations

import numpy as np
import pytest

from etl.events.events import _by_row_most_similar_first


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_strongest_pairs_are_ordered_as_lexsort_orders_them(dtype):
    rng = np.random.default_rng(3)
    rows = rng.integers(0, 50, 5_000)
    similarity = rng.choice(np.linspace(0.1, 1.0, 7), 5_000).astype(dtype)  # few values: many ties
    assert np.array_equal(_by_row_most_similar_first(rows, similarity), np.lexsort((-similarity, rows)))
