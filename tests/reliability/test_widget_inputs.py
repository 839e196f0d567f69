"""Whatever a learner types or drags into a widget, it answers in its message line: never a Python
error inside it, and a refused save or copy changes nothing in the sandbox."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from odd import OTHER_REGIONS, accounts, anything, examples, near
from sandbox_snapshot import snapshot
from traitlets import TraitError

from labkit import ACCOUNTS, REGIONS
from labkit.widgets import CopyWizard, CostExplorer, ImageBrowser, Lineage, SharingEditor

#: A message that is a Python error's name: the learner would be reading labkit's internals.
INTERNAL = re.compile(r"\b(KeyError|AttributeError|TypeError|NotImplementedError|IndexError)\b")

texts = st.one_of(
    st.text(max_size=30),
    near([*REGIONS, *OTHER_REGIONS, *ACCOUNTS.values(), "all", "self", "web-server-v1"]),
    st.from_regex(r"([0-9]{12}[ ,;]{0,2}){1,3}", fullmatch=True),
)


def assert_calm(widget, reported: tuple[str, ...] = ()) -> None:
    """The widget answered in words: no traceback in its output, no Python error's name.

    ``reported``: exceptions known to leave a traceback (reported, not yet fixed) that are let
    through, so the test keeps guarding everything else meanwhile.
    """
    known = [f"{name}:" for name in reported]
    tracebacks = [o for o in widget.output.outputs if not any(k in o["text"] for k in known)]
    assert tracebacks == [], widget.output.outputs
    assert widget.message_kind in ("info", "ok", "error"), widget.message_kind
    if not any(widget.message_text.startswith(k) for k in known):
        assert not INTERNAL.search(widget.message_text), widget.message_text


def set_trait(widget, name, value) -> bool:
    """Set a trait as the browser would; False if traitlets refused the type (a clear error)."""
    try:
        setattr(widget, name, value)
    except TraitError as error:
        assert str(error).strip()
        return False
    return True


@pytest.fixture
def fresh(lab):
    """Lesson 03's starting state before and after each test."""
    lab.reset()
    yield lab
    lab.reset()


#: Values a slider's trait might be set to from code (huge months have a test of their own below).
slider_values = st.one_of(
    st.integers(-5, 1000),
    st.floats(-1, 2),
    st.floats(-1000, 1000),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.text(max_size=3),
    st.none(),
)


class TestCostExplorer:
    @examples(20)
    @given(
        name=st.sampled_from(["images", "size_gib", "regions", "months", "archived_share"]),
        value=slider_values,
    )
    def test_any_slider_value(self, name, value):
        """Any value for any slider: a total in USD that is finite and not negative."""
        explorer = CostExplorer()
        set_trait(explorer, name, value)
        assert_calm(explorer)
        assert math.isfinite(explorer.total_usd) and explorer.total_usd >= 0

    def test_zero_months(self):
        """No months to add up: refused in words, or a zero total; no traceback."""
        explorer = CostExplorer()
        set_trait(explorer, "months", 0)
        assert_calm(explorer)

    def test_months_beyond_any_plan(self):
        """A number of months no bill covers is refused in words, like a negative one."""
        explorer = CostExplorer()
        set_trait(explorer, "months", 10**30)
        assert_calm(explorer)
        assert explorer.months <= 36 or explorer.message_kind == "error"

    def test_negative_archived_share(self):
        """A share below 0 is refused, as one above 1 is."""
        explorer = CostExplorer()
        set_trait(explorer, "archived_share", -5)
        assert explorer.message_kind == "error" and explorer.archived_share >= 0


class TestSharingEditor:
    def test_any_accounts_typed_then_saved(self, fresh):
        """Type anything in the account box and Save: AWS's answer or the input's fault shown;
        a refused Save shares nothing."""
        lab = fresh
        image = lab.ids["web_image"]

        @examples(15)
        @given(text=texts, public=st.booleans())
        def attempt(text, public):
            editor = SharingEditor(lab, image_id=image)
            before = snapshot(lab.sandbox)
            editor.add_accounts(text)
            assert_calm(editor)
            editor.public = public
            editor.save()
            assert_calm(editor)
            if editor.message_kind == "error":
                assert snapshot(lab.sandbox) == before, editor.message_text
            else:  # saved: undo it through the widget as well
                editor.shared_accounts = []
                editor.public = False
                editor.save()
                assert_calm(editor)
                assert snapshot(lab.sandbox) == before

        attempt()


class TestCopyWizard:
    def test_any_destination_name_and_key(self, fresh):
        """Any destination, name, key and encryption: a copy, or a refusal that copies nothing."""
        lab = fresh
        image = lab.ids["web_image"]

        @examples(15)
        @given(
            destination=st.one_of(near([*REGIONS, *OTHER_REGIONS]), anything),
            name=st.one_of(st.just("web-server-v1-copy"), texts),
            kms_key_id=st.one_of(st.just(""), near(["alias/aws/ebs", "alias/lab"]), texts),
            encrypted=st.booleans(),
        )
        def attempt(destination, name, kms_key_id, encrypted):
            wizard = CopyWizard(lab, image_id=image)
            before = snapshot(lab.sandbox)
            for trait, value in [
                ("destination", destination),
                ("name", name),
                ("kms_key_id", kms_key_id),
                ("encrypted", encrypted),
            ]:
                set_trait(wizard, trait, value)
                assert_calm(wizard)
            wizard.copy()
            # Reported: a request botocore refuses before sending (a name under 3 characters)
            # shows as "ParamValidationError: …" with a traceback, not as bad input.
            assert_calm(wizard, reported=("ParamValidationError",))
            if wizard.message_kind == "error":
                assert snapshot(lab.sandbox) == before, wizard.message_text
            else:
                lab.reset()

        attempt()


class TestBrowsers:
    def test_image_browser_filters(self, fresh):
        """Any text in the image browser's filters: a list (maybe empty) and no error."""
        lab = fresh
        before = snapshot(lab.sandbox)
        browser = ImageBrowser(lab)

        @examples(30)
        @given(
            name=st.sampled_from(
                ["show", "region", "encryption", "deprecated", "search", "account"]
            ),
            value=st.one_of(texts, accounts),
        )
        def attempt(name, value):
            set_trait(browser, name, value)
            assert_calm(browser)

        attempt()
        assert snapshot(lab.sandbox) == before

    def test_lineage_focus(self, fresh):
        """Any image ID to focus the lineage on: a graph (maybe empty) and no error."""
        lab = fresh
        lineage = Lineage(lab)

        @examples(20)
        @given(focus=st.one_of(near([lab.ids["web_image"], "ami-0123456789abcdef0"]), texts))
        def attempt(focus):
            set_trait(lineage, "focus", focus)
            assert_calm(lineage)

        attempt()
