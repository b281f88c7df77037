"""The registry of sources: every module of this package that declares a `SOURCE` (collectors/source.py).

Adding a source is adding a module here (plus its tests, fixtures, SQL view and, optionally, its page):
the CLI, the runner, the claims register, the evidence ladder and the app read this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from collectors.source import Source


def names() -> list[str]:
    """The sources' names without importing them (a source's module is named after it): `--help` stays fast."""
    return sorted(module.name for module in pkgutil.iter_modules(__path__))


@cache
def registry() -> dict[str, Source]:
    """Every declared source by name, in alphabetical order."""
    found: dict[str, Source] = {}
    for name in names():
        declared = importlib.import_module(f"{__name__}.{name}").SOURCE
        if not isinstance(declared, Source) or declared.name != name:
            raise TypeError(f"collectors/sources/{name}.py must declare SOURCE = Source(name={name!r}, ...)")
        found[name] = declared
    return found


def get(name: str) -> Source:
    return registry()[name]


def collecting() -> list[Source]:
    """The sources `ecotrends collect` asks, in registry order."""
    return [source for source in registry().values() if source.collects]


def backfilling() -> list[Source]:
    return [source for source in registry().values() if source.backfill is not None]


@cache
def whole_number_series() -> dict[tuple[str, str], str]:
    """(source, metric) of the declared series that count whole things, with what they count: an import refuses a
    fraction of them."""
    return {
        (source.name, series.metric): series.unit
        for source in registry().values()
        for series in source.series
        if series.whole_numbers and not series.share_of
    }
