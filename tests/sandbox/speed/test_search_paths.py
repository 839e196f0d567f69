"""Loaders whose search paths differ only by folders that cannot hold a file share its parse."""

from __future__ import annotations

import json

from labkit.sandbox.speed import loading
from labkit.sandbox.speed.search_paths import relevant_paths


def _model_folder(root, service="ec2", version="2016-11-15", files=("service-2.json",)):
    folder = root / service / version
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(json.dumps({"metadata": {"from": str(root)}}))
    return root


def test_a_folder_without_the_service_is_not_relevant(tmp_path):
    settings = tmp_path / "cli"
    settings.mkdir()
    (settings / "cli.json").write_text("{}")
    models = _model_folder(tmp_path / "models")
    paths = (str(settings), str(models))

    assert relevant_paths(paths, ("load_service_model", "ec2", "service-2")) == (str(models),)
    assert relevant_paths(paths, ("load_data_with_path", "ec2/2016-11-15/service-2")) == (
        str(models),
    )


def test_a_folder_with_other_files_of_the_service_is_not_relevant(tmp_path):
    resources = _model_folder(tmp_path / "boto3", files=("resources-1.json",))
    models = _model_folder(tmp_path / "models")
    paths = (str(models), str(resources))

    assert relevant_paths(paths, ("load_service_model", "ec2", "service-2")) == (str(models),)
    assert relevant_paths(paths, ("load_service_model", "ec2", "resources-1")) == (str(resources),)


def test_extras_make_a_folder_relevant(tmp_path):
    extras = _model_folder(tmp_path / "extras", files=("paginators-1.sdk-extras.json",))
    models = _model_folder(tmp_path / "models", files=("paginators-1.json",))
    paths = (str(extras), str(models))

    assert relevant_paths(paths, ("load_service_model", "ec2", "paginators-1")) == paths


def test_other_calls_and_keyword_calls_keep_every_path(tmp_path):
    models = _model_folder(tmp_path / "models")
    paths = (str(tmp_path / "elsewhere"), str(models))

    assert relevant_paths(paths, ("list_available_services", "service-2")) == paths
    assert relevant_paths(paths, ("load_service_model", "ec2", "type_name", "service-2")) == paths


def test_the_clis_loader_shares_the_labs_parse_of_a_model(tmp_path):
    """A loader searching one more folder (the CLI's settings) gets the very same model."""
    settings = tmp_path / "cli"
    settings.mkdir()
    (settings / "cli.json").write_text("{}")
    lab = loading.session_loader()
    cli = loading.session_loader(str(settings))

    assert cli.search_paths[0] == str(settings)
    assert cli.load_service_model("sts", "service-2") is lab.load_service_model("sts", "service-2")


def test_a_folder_with_its_own_model_is_not_shared(tmp_path):
    models = _model_folder(tmp_path / "models", service="sts", version="2011-06-15")
    own = loading.session_loader(str(models))
    lab = loading.session_loader()

    assert own.load_service_model("sts", "service-2")["metadata"] == {"from": str(models)}
    assert "from" not in lab.load_service_model("sts", "service-2")["metadata"]
