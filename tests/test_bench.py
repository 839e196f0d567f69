"""make bench's own parts: the record keeps what people wrote, rows carry their verdicts, and a
notebook's time and peak memory are read from its kernel. (The benchmark itself is not run here.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench  # noqa: E402 - benchmarks/ is a folder of scripts, not a package
import measure  # noqa: E402
import programs  # noqa: E402


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


class TestTargets:
    def _run(self, cells, charts=()):
        return measure.NotebookRun(1.0, 100.0, tuple(cells), tuple(charts))

    def test_cell_medians_and_the_slowest_later_cells(self):
        """Each cell's median over the runs; the first cell is never called a later one."""
        runs = [
            self._run([(0.5, 0, "from labkit import Lab"), (0.02, 1, "a"), (0.3, 2, "b")]),
            self._run([(0.7, 0, "from labkit import Lab"), (0.04, 1, "a"), (0.1, 2, "b")]),
            self._run([(0.6, 0, "from labkit import Lab"), (0.03, 1, "a"), (0.2, 2, "b")]),
        ]
        medians = bench.cell_medians(runs)
        assert medians[0][0] == 0.6 and medians[1][0] == 0.03 and medians[2][0] == 0.2
        assert bench._slowest_cells(medians).startswith("cell 2 200 ms (b)")
        assert "cell 0" not in bench._slowest_cells(medians)

    def test_first_chart_is_the_cell_most_runs_saw(self):
        """A cell that shows a picture is a chart; a lesson without one has no chart row."""
        assert bench.first_chart([self._run([], (3, 5)), self._run([], (3,))]) == 3
        assert bench.first_chart([self._run([]), self._run([])]) is None

    def test_a_cell_with_a_picture_shows_a_chart(self):
        """PNG or SVG output is a chart; text and widgets are not."""
        import nbformat

        cell = nbformat.v4.new_code_cell("plots.bar(...)")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBOR"})]
        assert measure.shows_a_chart(cell)
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "x"})]
        assert not measure.shows_a_chart(cell)

    def test_targets_are_the_restated_ones(self):
        """The course 2.0x the floor; 600/100/300 ms cells; 250 MB; import labkit 50 ms."""
        assert bench.MAX_COURSE_RATIO == 2.0
        assert (
            bench.MAX_FIRST_CELL_SECONDS,
            bench.MAX_LATER_CELL_SECONDS,
            bench.MAX_FIRST_CHART_SECONDS,
        ) == (0.6, 0.1, 0.3)
        assert bench.MAX_PEAK_MB == 250 and bench.MAX_IMPORT_SECONDS == 0.05


class TestProgramCells:
    """Cells that run the AWS CLI or Packer are listed exceptions with budgets of their own."""

    def test_which_cells_run_a_program(self):
        """!aws, %aws and %%aws (one run per command), packer.build (twice the floor each) and
        packer_version; a commented-out call or plain Python is an ordinary cell."""
        assert programs.cell_program("!aws ec2 describe-images --owners amazon") == programs.Budget(
            programs.AWS_CLI, 1
        )
        assert programs.cell_program("x = 1\n%aws ec2 describe-images").runs == 1
        cell = "%%aws --output text\nec2 describe-images\n\nec2 describe-snapshots"
        assert programs.cell_program(cell) == programs.Budget(programs.AWS_CLI, 2)
        build = "run = ...  # packer.build(lab, t)\nrun = packer.build(lab, t)"
        assert programs.cell_program(build) == programs.Budget(programs.PACKER, 1, 2.0)
        assert programs.cell_program("print(packer.packer_version())").floors_each == 1.0
        assert programs.cell_program("# packer.build(lab, t)\nlab.aws('x')") is None
        assert programs.cell_program("awsome = 1") is None

    def test_budget_is_floors_plus_the_later_cell_target(self):
        budget = programs.Budget(programs.PACKER, 2, 2.0)
        assert budget.seconds(1.5, 0.1) == 2 * 2.0 * 1.5 + 0.1

    def test_program_cells_are_apart_from_the_ordinary_ones(self):
        """A lesson's program cells (never its first cell) get rows of their own, judged against
        their budgets; a missing program is said, not judged."""
        import nbformat

        notebook = nbformat.v4.new_notebook()
        sources = ["%aws sts get-caller-identity", "x = 1", "!aws ec2 describe-images", "y"]
        notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources]
        found = bench.program_cells(notebook)
        assert set(found) == {2}
        medians = {0: (0.5, "a"), 1: (0.01, "x"), 2: (0.9, "!aws")}
        (row,) = bench.program_rows("00", medians, found, {programs.AWS_CLI: 1.0})
        assert row.met is True and "cell 2" in row.name and "<= 1100 ms" in row.target
        (row,) = bench.program_rows("00", medians, found, {programs.AWS_CLI: 0.5})
        assert row.met is False
        (row,) = bench.program_rows("00", medians, found, {programs.AWS_CLI: None})
        assert row.met is None and "not installed" in row.target

    def test_the_cli_floor_runs_sealed(self, monkeypatch):
        """The CLI's floor process gets no keys, no profile and no instance metadata."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        env = programs._sealed_environment("/tmp/home")
        assert not any(k.startswith("AWS_ACCESS") or k == "AWS_PROFILE" for k in env)
        assert env["AWS_EC2_METADATA_DISABLED"] == "true"
        assert env["AWS_SHARED_CREDENTIALS_FILE"] == env["AWS_CONFIG_FILE"] == os.devnull

    def test_floors_are_measured_in_every_round(self, monkeypatch):
        """Each round runs every notebook, then measures each floor: their medians are kept, and
        a program that is not installed has no floor."""
        done = []
        monkeypatch.setattr(bench, "run_notebook", lambda nb, cwd: done.append(nb) or "run")
        cli = iter([0.9, 0.5, 0.7])
        floors = {programs.AWS_CLI: lambda: next(cli), programs.PACKER: lambda: None}
        runs, medians = bench.run_interleaved({"a": "A", "b": "B"}, 3, floors)
        assert done == ["A", "B"] * 3 and runs == {"a": ["run"] * 3, "b": ["run"] * 3}
        assert medians == {programs.AWS_CLI: 0.7, programs.PACKER: None}

    def test_a_round_runs_the_floor_first_halfway_and_last(self, monkeypatch):
        done = []
        monkeypatch.setattr(bench, "run_notebook", lambda nb, cwd: done.append(nb) or "run")
        order = bench.round_order(["00", "01", "02"])
        assert order == [bench.FLOOR, "00", "01", bench.FLOOR, "02", bench.FLOOR]
        notebooks = {bench.FLOOR: "F", "00": "A", "01": "B", "02": "C"}
        runs, _ = bench.run_interleaved(notebooks, 2, None, order)
        assert done == ["F", "A", "B", "F", "C", "F"] * 2
        assert len(runs[bench.FLOOR]) == 6 and len(runs["02"]) == 2
