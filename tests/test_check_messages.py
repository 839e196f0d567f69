"""scripts/check_messages.py: every failure message and hint of every check, from the source."""

from __future__ import annotations

from pathlib import Path

from script_loading import load_script

messages_script = load_script("scripts/check_messages.py", "check_messages")


def failures_in(folder: Path, monkeypatch, constants: dict[str, object]):
    """The failures of the check modules written into ``folder``, with these constants (the
    modules are parsed, not imported)."""
    monkeypatch.setattr(messages_script, "CHECKS", folder)
    monkeypatch.setattr(
        messages_script,
        "_module",
        lambda stem: (messages_script.ast.parse((folder / f"{stem}.py").read_text()), constants),
    )
    return messages_script.failures(folder)


class TestFailures:
    def test_reads_failure_messages_in_source_order(self):
        """fail(...) messages come with their hints; learner values show as ‹name›."""
        found = messages_script.failures()["welcome-find-image"]
        assert found[0].message.startswith("my_image_id is still ...")
        assert found[0].hint is None
        assert (
            messages_script.Failure(
                "expected an image ID, a string starting with 'ami-', but found ‹image_id›",
                "take the 'ImageId' field of one image from describe_images, not the whole answer",
            )
            in found
        )

    def test_module_constants_are_filled_in(self):
        """UPPER_CASE constants of the check module are shown by value."""
        messages = [f.message for f in messages_script.failures()["welcome-launch"]]
        assert "no instance is running in eu-west-1 yet" in messages
        assert any("the learner account 111111111111" in m for m in messages)

    def test_reads_failures_from_helpers_in_sibling_modules(self, tmp_path, monkeypatch):
        """Item(label, False, message, hint) in an imported helper counts as a failure."""
        (tmp_path / "_shared.py").write_text(
            "def item_check(sandbox):\n"
            "    return Item('keys', False, 'no key in ' + REGION, 'make one')\n"
        )
        (tmp_path / "lesson.py").write_text(
            "from ._shared import item_check\n"
            "@exercise('x-keys', lesson='99-x', title='Keys')\n"
            "def check(sandbox):\n"
            "    if sandbox is None:\n"
            "        fail(f'nothing given: {sandbox}')\n"
            "    return step(sandbox, item_check)\n"
        )
        assert failures_in(tmp_path, monkeypatch, {"REGION": "us-east-1"})["x-keys"] == [
            messages_script.Failure("nothing given: ‹sandbox›", None),
            messages_script.Failure("no key in us-east-1", "make one"),
        ]

    def test_follows_step_constants_to_the_functions_they_name(self, tmp_path, monkeypatch):
        """A step constant (``BAKE = _of(V1, encrypted, baked)``) stands for the functions it
        names, in its order: their failures count, other functions' do not."""
        (tmp_path / "_steps.py").write_text(
            "def baked(sandbox, name):\n"
            "    return Item(f'{name} baked', False, f'there is no {name} in ' + HOME, 'bake')\n"
            "def encrypted(sandbox, name):\n"
            "    return Item('encrypted', False, 'not encrypted with ' + KEY, 'encrypt')\n"
            "def shared(sandbox, name):\n"
            "    return Item('shared', False, 'not shared', 'share')\n"
            "BAKE = _of(V1, encrypted, baked)\n"
            "SHARE = _of(V1, shared)\n"
        )
        (tmp_path / "lesson.py").write_text(
            "from ._steps import BAKE\n"
            "@exercise('x-bake', lesson='99-x', title='Bake')\n"
            "def check(sandbox):\n"
            "    return step(sandbox, *BAKE)\n"
        )
        constants = {"HOME": "us-east-1", "KEY": "alias/k", "V1": "v1"}
        assert failures_in(tmp_path, monkeypatch, constants)["x-bake"] == [
            messages_script.Failure("not encrypted with alias/k", "encrypt"),
            messages_script.Failure("there is no ‹name› in us-east-1", "bake"),
        ]

    def test_the_capstone_steps_report_their_pieces_failures(self):
        """capstone-copy-v1 runs COPY_V1 (``copied``): its failures, and not ``shared``'s."""
        messages = [f.message for f in messages_script.failures()["capstone-copy-v1"]]
        assert "there is no ‹name› in us-east-1 to copy" in messages
        assert "there is no ‹name› in ‹region›" in messages
        assert not any("partner" in m for m in messages)
