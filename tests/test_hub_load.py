"""make hub-load's own parts: percentiles, the sizing it derives, and the record it keeps.
(The load test itself is not run here: it takes minutes and measures the machine.)"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import hub_load  # noqa: E402 - benchmarks/ is a folder of scripts, not a package


def level(learners, cells, rss=300.0, cpu=2.0):
    return hub_load.Level(
        learners, setup=[1.5], cells=cells, rss={"a": rss}, uss={"a": rss - 50}, cpu_seconds=cpu
    )


def test_percentiles_are_nearest_rank():
    lv = level(1, [float(n) for n in range(1, 21)])
    assert (lv.p(0.5), lv.p(0.95), lv.p(1.0)) == (10.0, 19.0, 20.0)
    assert lv.p(0.95, [3.0]) == 3.0


def test_cpu_per_cell_counts_every_cell():
    assert level(1, [0.1, 0.1, 0.1], cpu=2.0).cpu_per_cell == 0.5  # 3 cells + 1 first cell


def test_the_largest_class_is_bound_by_memory_or_cpu():
    fast = [level(1, [0.1] * 19 + [0.5]), level(4, [0.1] * 18 + [2.0, 2.0])]
    summary = hub_load.summarise(fast, think=2, real_think=30, hub_mib=200)
    assert summary["best"].learners == 1  # the 4-learner level broke the p95 target
    memory = (hub_load.MACHINE_GIB - hub_load.RESERVED_GIB) * 1024 / 300
    cpu = summary["cpu_learners_per_core"] * hub_load.MACHINE_CORES
    assert summary["largest_class"] == int(min(memory, cpu))
    heavy = hub_load.summarise([level(1, [0.1] * 20, rss=4096)], 2, 30, 200)
    assert heavy["largest_class"] == int(heavy["memory_learners"]) == 5


def test_sizing_rows_grow_with_the_class():
    summary = hub_load.summarise([level(1, [0.1] * 20)], 2, 30, 200)
    rows = hub_load.sizing_rows(summary)
    assert [n for n, _, _ in rows] == [10, 30, 50, 100, 200, 300]
    assert all(a[1] <= b[1] and a[2] < b[2] for a, b in zip(rows, rows[1:], strict=False))


def test_render_names_the_machine_and_the_answer():
    levels = [level(1, [0.1] * 20)]
    args = argparse.Namespace(
        levels="1", seconds=60, think=2, real_think=30, machine={"Cores": "2"}
    )
    text = hub_load.render(levels, hub_load.summarise(levels, 2, 30, 200), args)
    assert text.startswith(hub_load.BEGIN) and text.endswith(hub_load.END)
    assert "| Cores | 2 |" in text and "Largest class on one 2-core / 24 GB machine" in text


def test_record_keeps_what_people_wrote(tmp_path):
    path = tmp_path / "sizing.md"
    path.write_text(f"# Sizing\nkeep\n{hub_load.BEGIN}\nold\n{hub_load.END}\nand this\n")
    hub_load.record(path, f"{hub_load.BEGIN}\nnew\n{hub_load.END}")
    text = path.read_text()
    assert "keep" in text and "and this" in text and "new" in text and "old" not in text
