"""Two sandboxes in two kernels at the same time share nothing: an image made in one is not in the
other."""

from __future__ import annotations

import json

import nbformat
from course import NOTEBOOKS, shown_text
from nbclient import NotebookClient
from notebook_runner import current_env_kernel, shut_down

SETUP = """
import json
from labkit import Lab
from labkit.catalog import image_id
lab = Lab(quiet=True)
ec2 = lab.client("ec2")
"""

MAKE_IMAGE = """
instance = ec2.run_instances(
    ImageId=image_id("al2023-x86_64", "us-east-1"), MinCount=1, MaxCount=1
)["Instances"][0]["InstanceId"]
ec2.create_image(InstanceId=instance, Name="{name}")["ImageId"]
"""

LIST_OWN = """
print(json.dumps(sorted(
    (image["Name"], image["ImageId"])
    for account in ("learner", "partner", "seller")
    for image in lab.client("ec2", account=account).describe_images(Owners=["self"])["Images"]
)))
"""


class TestTwoKernels:
    def test_images_stay_in_their_own_kernel(self, tmp_path, monkeypatch):
        """Kernel A makes 'made-in-a' and kernel B 'made-in-b', interleaved; each sees its own."""
        monkeypatch.setenv("AMILAB_PROGRESS", str(tmp_path / "progress.json"))
        cells = {
            name: [
                nbformat.v4.new_code_cell(SETUP),
                nbformat.v4.new_code_cell(MAKE_IMAGE.format(name=f"made-in-{name}")),
                nbformat.v4.new_code_cell(LIST_OWN),
            ]
            for name in ("a", "b")
        }
        managers = {name: current_env_kernel() for name in cells}
        clients = {
            name: NotebookClient(
                nbformat.v4.new_notebook(cells=cells[name]),
                km=managers[name],
                timeout=120,
                resources={"metadata": {"path": str(NOTEBOOKS)}},
            )
            for name in cells
        }
        try:
            with clients["a"].setup_kernel(), clients["b"].setup_kernel():
                # Both kernels are up for the whole test: each step runs in A, then in B.
                for index in range(len(cells["a"])):
                    for name in ("a", "b"):
                        clients[name].execute_cell(cells[name][index], index)
        finally:
            for manager in managers.values():
                shut_down(manager)
        seen = {name: json.loads(shown_text(cells[name][-1])) for name in cells}
        assert [n for n, _ in seen["a"]] == ["made-in-a"]
        assert [n for n, _ in seen["b"]] == ["made-in-b"]
