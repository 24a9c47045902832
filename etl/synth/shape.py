"""How long and how dressed an outlet's articles are: small statistics fitted to the real corpus.

Fitted over ../shared/corpus (12,220 files) with `python -m etl.synth.measure ../shared/corpus --by outlet`,
full articles only (degenerate bodies of under 150 characters left out; their rates live in the layouts).
Numbers only: no text of the corpus is used. An article's text length is log-normal: the real lengths of
every outlet fit one well from p10 to p99 (e.g. RFI p99 2,769 characters against 2,640 from the fit).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    chars: int  # median characters of text in an article (paragraphs, captions, credits; no markup)
    sigma: float  # log-normal spread: ln(p90 / p10) / 2.563
    para_chars: int  # mean characters per paragraph
    figures_per_k: float  # in-body pictures (image + caption) per 1,000 characters, beyond the lead picture
    links_per_k: float  # links inside paragraphs per 1,000 characters

    def article_chars(self, rng: random.Random) -> int:
        """A length drawn from the fitted log-normal, cut at 3.5 sigma (about 1 in 4,000 articles)."""
        z = max(-3.5, min(3.5, rng.gauss(0.0, 1.0)))
        return round(self.chars * math.exp(self.sigma * z))


SHAPES = {
    "rfi": Shape(chars=627, sigma=0.62, para_chars=95, figures_per_k=0.0, links_per_k=0.4),
    "reuters": Shape(chars=609, sigma=0.65, para_chars=67, figures_per_k=0.0, links_per_k=2.0),
    "voa": Shape(chars=1037, sigma=0.63, para_chars=90, figures_per_k=0.1, links_per_k=0.4),
    "dw": Shape(chars=1312, sigma=0.53, para_chars=116, figures_per_k=1.2, links_per_k=0.3),
    "bbc": Shape(chars=1899, sigma=0.49, para_chars=81, figures_per_k=1.8, links_per_k=2.0),
    "nyt": Shape(chars=2231, sigma=0.36, para_chars=95, figures_per_k=0.9, links_per_k=5.5),
    "rfa": Shape(chars=1603, sigma=0.30, para_chars=78, figures_per_k=1.2, links_per_k=2.0),
    "zaobao": Shape(chars=448, sigma=0.48, para_chars=85, figures_per_k=0.0, links_per_k=0.0),
    "cdt": Shape(chars=2176, sigma=0.86, para_chars=74, figures_per_k=1.3, links_per_k=4.0),
    "cna": Shape(chars=720, sigma=0.44, para_chars=102, figures_per_k=0.0, links_per_k=3.5),
    "ft": Shape(chars=1675, sigma=0.57, para_chars=111, figures_per_k=0.3, links_per_k=0.2),
}


def count_for(rng: random.Random, per_k: float, chars: int) -> int:
    """How many of something an article of `chars` characters gets at `per_k` per 1,000: the expected
    count, rounded up or down at random so that the mean stays right."""
    expected = per_k * chars / 1000
    return int(expected + rng.random())
