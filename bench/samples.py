"""Imported samples for the statistical benches (bench.lift_sample, bench.lift_share, bench.plan_lift):
each seed's `hkdash sample` data set, with or without planted lift, generated and imported into a
temporary folder that lives as long as the caller reads it."""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from warehouse import Warehouse, import_dataset
from warehouse.sample import generate_sample


def sample_parser(prog: str, doc: str | None) -> argparse.ArgumentParser:
    """The benches' common options: --seeds (default 42 43 44) and --orders (default 20,000)."""
    parser = argparse.ArgumentParser(prog=prog, description=(doc or "").splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 43, 44])
    parser.add_argument("--orders", type=int, default=20_000)
    return parser


def imported_samples(
    seeds: Iterable[int], orders: int, lifts: Iterable[bool]
) -> Iterator[tuple[bool, int, Path, Warehouse]]:
    """(lift, seed, the sample's folder — its files under src/, the planted truth under src/truth/ —,
    its warehouse) per lift setting, then per seed; the folder is removed when the next one is made."""
    for lift in lifts:
        for seed in seeds:
            with tempfile.TemporaryDirectory() as folder:
                root = Path(folder)
                generate_sample(root / "src", orders=orders, seed=seed, lift=lift)
                import_dataset(root / "src", root / "wh.duckdb")
                yield lift, seed, root, Warehouse(root / "wh.duckdb")
