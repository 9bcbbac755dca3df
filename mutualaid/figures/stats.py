"""Exact one-sided binomial tails, for telling an area served worse from chance."""

from math import exp, lgamma, log

# Flag an area when chance alone would give a result this bad less often than this (one-sided).
# Strict, as many areas are looked at together: at 200 areas served alike, about 2 flags by chance.
ALPHA = 0.01


def _pmf(i: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 1.0 if i == 0 else 0.0
    if p >= 1.0:
        return 1.0 if i == n else 0.0
    return exp(
        lgamma(n + 1) - lgamma(i + 1) - lgamma(n - i + 1) + i * log(p) + (n - i) * log(1 - p)
    )


def at_most(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    return min(1.0, sum(_pmf(i, n, p) for i in range(0, min(k, n) + 1)))


def at_least(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    return min(1.0, sum(_pmf(i, n, p) for i in range(max(k, 0), n + 1)))
