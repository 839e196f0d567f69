"""make bench's own parts: the record keeps what people wrote, rows carry their verdicts, and a
notebook's time and peak memory are read from its kernel. (The benchmark itself is not run here.)"""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench  # noqa: E402 - benchmarks/ is a folder of scripts, not a package
import measure  # noqa: E402


class TestRecord:
    def test_replaces_only_the_generated_block(self, tmp_path):
        """Text written around the markers survives a new measurement."""
        record = tmp_path / "performance.md"
        record.write_text(f"# Notes\nkeep me\n{bench.BEGIN}\nold table\n{bench.END}\nand me\n")
        bench.record(record, f"{bench.BEGIN}\nnew table\n{bench.END}")
        text = record.read_text()
        assert "keep me" in text and "and me" in text and "new table" in text
        assert "old table" not in text

    def test_writes_a_new_record(self, tmp_path):
        """A missing record is created with a title and the generated block."""
        record = tmp_path / "docs" / "performance.md"
        bench.record(record, f"{bench.BEGIN}\ntable\n{bench.END}")
        assert record.read_text().startswith("# Performance")

    def test_markdown_names_the_machine_and_marks_targets(self):
        """The table says where it ran, and ✅/❌ for rows with a target."""
        rows = [bench.Row("a", "1 s", "<= 2x", True), bench.Row("b", "3 s", "<= 2x", False)]
        text = bench.markdown(rows, 3, {"CPU": "Test CPU", "moto": "5.2.5"})
        assert "| CPU | Test CPU |" in text and "| moto | 5.2.5 |" in text
        assert "| a | 1 s | <= 2x | ✅ |" in text and "| b | 3 s | <= 2x | ❌ |" in text


class TestMeasure:
    def test_floor_notebook_on_a_fresh_kernel(self, tmp_path):
        """The floor runs on its own kernel: seconds, a peak RSS, and one timed cell."""
        run = measure.run_notebook(measure.floor_notebook(), tmp_path)
        assert 0 < run.seconds < 60
        assert run.peak_rss_mb is None or 20 < run.peak_rss_mb < 1000
        assert len(run.cells) == 1 and run.cells[0][2] == "import boto3"

    def test_machine_description(self):
        """CPU, cores, memory and versions are named."""
        about = {**measure.machine(), **measure.environment_versions()}
        assert {"CPU", "Cores", "Memory", "Python", "moto", "boto3"} <= set(about)
