"""Average linkage under the events' rules (etl/events/events.py `average_linkage`), on hand-made pairs and
against a plain reference implementation of the rule as the README states it."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from etl.events.events import average_linkage

HOUR = 3600
WINDOW = 72 * HOUR


def _pairs(links: dict[tuple[int, int], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    i, j = zip(*links, strict=True)
    return np.array(i), np.array(j), np.array(list(links.values()))


def _groups(links, times, threshold=0.24, outlets=None, apart_hours=None) -> list[list[int]]:
    apart = apart_hours * HOUR if apart_hours else None
    found = average_linkage(
        len(times),
        _pairs(links),
        np.array(times),
        threshold,
        WINDOW,
        None if outlets is None else np.array(outlets),
        apart,
    )
    return sorted(found)


def test_a_chain_joins_a_third_article_only_when_the_mean_over_all_pairs_holds():
    # A~B and B~C are strong, A and C were never compared (they count as 0): C joins only when
    # (0.5 + 0.0) / 2 reaches the threshold.
    chain = {(0, 1): 0.6, (1, 2): 0.5}
    assert _groups(chain, [0, HOUR, 2 * HOUR], threshold=0.3) == [[0, 1]]
    assert _groups(chain, [0, HOUR, 2 * HOUR], threshold=0.24) == [[0, 1, 2]]


def test_a_group_never_spans_more_than_the_window():
    alike = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9}
    assert _groups(alike, [0, 40 * HOUR, 80 * HOUR]) == [[0, 1]]


def test_one_outlet_far_apart_is_never_in_one_group_even_through_a_third_article():
    alike = {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.9}
    times = [0, 10 * HOUR, 20 * HOUR]
    assert _groups(alike, times, outlets=[7, 8, 7], apart_hours=18) == [[0, 1]]
    assert _groups(alike, times, outlets=[7, 8, 9], apart_hours=18) == [[0, 1, 2]]


def _reference(n, links, times, outlets, threshold, apart) -> list[list[int]]:
    """Greedy average linkage spelled out: repeatedly merge the two groups of the highest mean similarity over
    all their article pairs (uncompared pairs count 0; ties: the lower group ids), as long as it reaches the
    threshold; a merge that breaks the span or outlet rule is refused until one of its groups changes."""
    groups = {row: [row] for row in {r for pair in links for r in pair}}
    refused = set()

    def mean(a, b):
        return sum(links.get((min(x, y), max(x, y)), 0.0) for x in groups[a] for y in groups[b]) / (
            len(groups[a]) * len(groups[b])
        )

    def allowed(members):
        if max(times[m] for m in members) - min(times[m] for m in members) > WINDOW:
            return False
        for x, y in itertools.combinations(members, 2):
            if outlets[x] == outlets[y] and abs(times[x] - times[y]) >= apart:
                return False
        return True

    while True:
        options = [
            (-mean(a, b), a, b)
            for a, b in itertools.combinations(sorted(groups), 2)
            if (a, b, len(groups[a]), len(groups[b])) not in refused
        ]
        options = [o for o in options if -o[0] >= threshold]
        if not options:
            return sorted(sorted(g) for g in groups.values() if len(g) > 1)
        _, a, b = min(options)
        if allowed(groups[a] + groups[b]):
            groups[a] += groups.pop(b)
        else:
            refused.add((a, b, len(groups[a]), len(groups[b])))


@pytest.mark.parametrize("seed", range(12))
def test_the_groups_are_those_of_the_rule_spelled_out(seed):
    rng = random.Random(seed)
    n = 14
    times = sorted(rng.randrange(0, 100 * HOUR) for _ in range(n))
    outlets = [rng.randrange(4) for _ in range(n)]
    links = {
        (i, j): round(rng.uniform(0.12, 0.9), 6)
        for i, j in itertools.combinations(range(n), 2)
        if rng.random() < 0.3
    }
    found = _groups(links, times, threshold=0.3, outlets=outlets, apart_hours=18)
    assert found == _reference(n, links, times, outlets, 0.3, 18 * HOUR)
    assert found  # the draw makes some events: the comparison is not between two empty lists
