"""Structural mutations of Alexa envelopes, for the fuzz runs against the web service."""

from __future__ import annotations

import random

ODD_VALUES = (None, 0, -1, "", "x" * 40, [], {}, True, 1e308, "AMAZON.NextIntent")
ODD_LEAVES = (None, 0, "", [], {}, "LaunchRequest", "IntentRequest", "SessionEndedRequest", "AMAZON.NextIntent")


def mutate(value, rng: random.Random, keep: frozenset[str] = frozenset()):
    """Drop, retype or replace one node somewhere in a JSON value (never a key named in `keep`)."""
    if isinstance(value, dict) and value and rng.random() < 0.75:
        key = rng.choice(sorted(value))
        if key in keep:
            return value
        choice = rng.random()
        if choice < 0.3:
            del value[key]
        elif choice < 0.55:
            value[key] = rng.choice(ODD_VALUES)
        else:
            value[key] = mutate(value[key], rng, keep)
        return value
    if isinstance(value, list) and value:
        value[rng.randrange(len(value))] = mutate(value[0], rng, keep)
        return value
    return rng.choice(ODD_LEAVES)
