"""Parsed data files come from the cache only while their source is unchanged."""

from __future__ import annotations

import json
import os

import pytest

from labkit.sandbox.speed import data_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("AMILAB_CACHE", str(folder))
    return folder


def _source(tmp_path, data, name="model.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) + " " * data_cache.MIN_BYTES)  # big enough to be cached
    return path


class Parser:
    """Parses a JSON file, counting how often it had to."""

    def __init__(self, path):
        self.path, self.calls = path, 0

    def __call__(self):
        self.calls += 1
        return json.loads(self.path.read_text())


def test_the_second_load_comes_from_the_cache(tmp_path, cache):
    data = {"shapes": {"Image": {"type": "structure"}}, "n": [1, 2.5, None, True]}
    parse = Parser(_source(tmp_path, data))

    first = data_cache.cached_parse(parse.path, parse)
    second = data_cache.cached_parse(parse.path, parse)

    assert first == second == data
    assert parse.calls == 1
    assert len(list(cache.glob("*.marshal"))) == 1


def test_a_changed_source_is_parsed_again_and_replaces_its_old_entry(tmp_path, cache):
    parse = Parser(_source(tmp_path, {"version": 1}))
    data_cache.cached_parse(parse.path, parse)

    _source(tmp_path, {"version": 2, "more": "x"})
    os.utime(parse.path, ns=(1, 1))  # a different modification time too

    assert data_cache.cached_parse(parse.path, parse) == {"version": 2, "more": "x"}
    assert parse.calls == 2
    assert len(list(cache.glob("*.marshal"))) == 1


def test_a_damaged_entry_is_parsed_again_and_rewritten(tmp_path, cache):
    parse = Parser(_source(tmp_path, {"a": 1}))
    data_cache.cached_parse(parse.path, parse)
    (entry,) = cache.glob("*.marshal")
    entry.write_bytes(entry.read_bytes()[:5])  # cut short, as by a full disk

    assert data_cache.cached_parse(parse.path, parse) == {"a": 1}
    assert data_cache.cached_parse(parse.path, parse) == {"a": 1}
    assert parse.calls == 2


def test_a_cache_folder_that_cannot_be_written_only_costs_speed(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AMILAB_CACHE", str(blocker / "cache"))
    parse = Parser(_source(tmp_path, {"a": 1}))

    assert data_cache.cached_parse(parse.path, parse) == {"a": 1}
    assert data_cache.cached_parse(parse.path, parse) == {"a": 1}
    assert parse.calls == 2


def test_small_files_are_parsed_directly(tmp_path, cache):
    path = tmp_path / "small.json"
    path.write_text('{"a": 1}')
    parse = Parser(path)

    data_cache.cached_parse(path, parse)

    assert parse.calls == 1
    assert not cache.exists()


def test_the_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("AMILAB_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    assert data_cache.cache_folder() == tmp_path / "amilab"


def test_a_value_is_made_once_per_version(cache):
    made = []

    def make():
        made.append(1)
        return {"service-2": {"ec2", "s3"}}

    first = data_cache.cached_value("listing", "1.0", make)
    assert data_cache.cached_value("listing", "1.0", make) == first == {"service-2": {"ec2", "s3"}}
    assert len(made) == 1
    data_cache.cached_value("listing", "1.1", make)  # an upgrade: made again, the old one goes
    assert len(made) == 2
    assert len(list(cache.glob("*.marshal"))) == 1


def test_variants_of_one_file_are_kept_apart(tmp_path, cache):
    parse = Parser(_source(tmp_path, [3, 1, 2]))
    plain = data_cache.cached_parse(parse.path, parse)
    in_order = data_cache.cached_parse(parse.path, lambda: sorted(parse()), "sorted")
    assert (plain, in_order) == ([3, 1, 2], [1, 2, 3])
    assert data_cache.cached_parse(parse.path, parse) == [3, 1, 2]
    assert data_cache.cached_parse(parse.path, parse, "sorted") == [1, 2, 3]
    assert parse.calls == 2
