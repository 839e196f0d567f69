"""The shared loader: plain dicts, shared between sessions; the collector after loading."""

from __future__ import annotations

import gc
import weakref
from collections import OrderedDict

import boto3
import botocore
import moto
import pytest

from labkit.sandbox.speed import loading


def test_the_shared_loader_parses_models_into_plain_ordered_dicts():
    model = loading.shared_loader().load_service_model("ec2", "service-2")

    assert type(model) is dict
    assert type(model["shapes"]) is dict
    assert not any(isinstance(shape, OrderedDict) for shape in model["shapes"].values())
    operations = list(model["operations"])
    assert operations == sorted(operations)  # the file's (alphabetical) order is kept


def test_clients_built_from_plain_dicts_work(sandbox):
    ec2 = sandbox.client("ec2")

    assert ec2.describe_images(Owners=["amazon"])["Images"]


class _Node:
    """A reference cycle: only the collector can free it."""

    def __init__(self) -> None:
        self.me = self


def _in_generation(obj, generation):
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_loads_goes_to_the_oldest_generation_and_the_collector_is_as_before():
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    with loading.loading_models():
        assert not gc.isenabled()
        kept = [_Node() for _ in range(1000)]

    assert gc.isenabled() == enabled and gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0  # nothing stays frozen
    assert _in_generation(kept[0], 2) and _in_generation(kept[-1], 2)


def test_garbage_made_while_loading_is_still_collected():
    with loading.loading_models():
        garbage = _Node()
        gone = weakref.ref(garbage)
        del garbage

    assert gone() is not None  # not walked on the way: it waits for a full collection
    gc.collect()
    assert gone() is None


def test_objects_someone_froze_stay_frozen():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with loading.loading_models():
            _Node()
        # An unfreeze would put the count at 0, a freeze of the new objects above it. Frozen
        # objects whose last reference goes meanwhile are freed as usual, so it may be a little
        # lower (CI saw 36 of 3.7 million go): not equal, but never above, nor near 0.
        after = gc.get_freeze_count()
        assert frozen * 0.9 < after <= frozen
    finally:
        gc.unfreeze()


def test_the_shared_loader_lists_the_services_botocore_would():
    own = loading._ORIGINAL_CREATE_LOADER()  # a loader of botocore's own making
    shared = loading.shared_loader()

    for type_name in ("service-2", "waiters-2", "paginators-1", "endpoint-rule-set-1", "nothing-9"):
        assert shared.list_available_services(type_name) == own.list_available_services(type_name)


def test_motos_own_loader_lists_the_services_moto_s_would():
    """moto's own loading (S3's model) lists services from one walk, as moto's loader does."""
    from moto.core.loaders import create_loader

    listed = loading._ServiceListing(create_loader())
    for type_name in ("service-2", "paginators-1", "waiters-2", "nothing-9"):
        assert listed(type_name) == create_loader().list_available_services(type_name)


def test_moto_s_folder_listing_is_kept_per_moto_version(tmp_path, monkeypatch):
    from moto.core.loaders import moto_root

    monkeypatch.setenv("AMILAB_CACHE", str(tmp_path))
    installed = loading._installed_data()
    assert set(installed.values()) == {
        f"botocore-{botocore.__version__}",
        f"moto-{moto.__version__}",
    }
    walked = loading._walk_data(moto_root)
    assert loading._walk_folder(moto_root) == walked  # made, and kept
    assert loading._walk_folder(moto_root) == walked  # from the cache
    assert len(list(tmp_path.glob("*.marshal"))) == 1


def test_botocore_s_listing_from_the_cache_is_a_fresh_walk(tmp_path, monkeypatch):
    monkeypatch.setenv("AMILAB_CACHE", str(tmp_path))
    folder = str(loading._BOTOCORE_DATA)
    walked = loading._walk_data(folder)
    assert loading._walk_folder(folder) == walked  # made, and kept
    assert list(tmp_path.glob("*.marshal"))
    assert loading._walk_folder(folder) == walked  # from the cache
    assert "ec2" in walked["service-2"]


def test_clients_of_one_service_share_one_class_and_keep_their_own_settings(sandbox):
    home = sandbox.client("ec2")
    away = sandbox.client("ec2", region="eu-west-1", account="partner")

    assert type(home) is type(away)
    assert type(home) is not type(sandbox.client("kms"))
    assert home.meta.region_name == "us-east-1" and away.meta.region_name == "eu-west-1"
    assert home.meta.events is not away.meta.events
    assert away.describe_images(Owners=["self"])["Images"] == []


def test_the_lab_regions_offer_every_type_moto_lists_with_the_lessons_families_first():
    import gzip
    import importlib.resources
    import json

    from moto.ec2.models.instance_types import INSTANCE_TYPE_OFFERINGS

    folder = importlib.resources.files("moto") / "ec2/resources/instance_type_offerings/region"
    raw = json.loads(gzip.decompress((folder / "us-east-1.json.gz").read_bytes()))
    offered = INSTANCE_TYPE_OFFERINGS["region"]["us-east-1"]

    assert sorted(o["InstanceType"] for o in offered) == sorted(o["InstanceType"] for o in raw)
    families = [o["InstanceType"].split(".")[0] for o in offered]
    first_other = next(i for i, f in enumerate(families) if f not in loading._LESSON_FAMILIES)
    assert all(f not in loading._LESSON_FAMILIES for f in families[first_other:])
    assert INSTANCE_TYPE_OFFERINGS["region"]["eu-central-1"] == []  # not a lab Region


class TestOtherBotocoreUsers:
    """labkit's loaders share what they load, never a session's own search paths."""

    def test_a_second_session_with_its_own_data_path(self, tmp_path):
        """A session with a data path of its own finds its models; other sessions do not."""
        import json

        import botocore.session

        model = loading.shared_loader().load_service_model("sts", "service-2")
        folder = tmp_path / "labtest" / "2011-06-15"
        folder.mkdir(parents=True)
        (folder / "service-2.json").write_text(json.dumps(model))
        own = botocore.session.get_session()
        own.set_config_variable("data_path", str(tmp_path))
        second = boto3.Session(botocore_session=own, region_name="us-east-1")
        assert "labtest" in second.get_available_services()
        assert "labtest" not in boto3.Session().get_available_services()
        assert second.client("sts").meta.service_model.service_name == "sts"

    def test_adding_a_search_path_in_one_session_changes_no_other(self, tmp_path):
        """The AWS CLI appends its data folder to its session's loader: that stays its own."""
        import botocore.session

        first = botocore.session.get_session().get_component("data_loader")
        first.search_paths.insert(0, str(tmp_path))
        second = botocore.session.get_session().get_component("data_loader")
        assert str(tmp_path) not in second.search_paths
        assert first is not second

    def test_loaders_with_the_same_paths_share_a_model(self, sandbox):
        """While a sandbox runs, what one loader parsed another with the same paths reuses."""
        import botocore.session

        first = botocore.session.get_session().get_component("data_loader")
        second = botocore.session.get_session().get_component("data_loader")
        assert first.load_service_model("ec2", "service-2") is second.load_service_model(
            "ec2", "service-2"
        )

    def test_the_aws_cli_runs_in_process_after_import_labkit(self, sandbox, capsys):
        """The CLI finds its own data ('cli') with labkit imported and a sandbox running.

        Not served: the CLI goes to AWS's URL, where moto answers in-process, as the learner.
        """
        from awscli.clidriver import create_clidriver

        assert create_clidriver().main(["sts", "get-caller-identity", "--query", "Account"]) == 0
        assert capsys.readouterr().out.strip() == '"111111111111"'


def test_the_labs_session_reads_models_where_moto_does_not_from_the_clis_folder(
    sandbox, monkeypatch
):
    """Serving puts the AWS CLI's folder on AWS_DATA_PATH; the lab's clients keep the shared
    models (EC2's parsed once, not twice) and any other data path the learner set."""
    import labkit.sandbox.sandbox as sandbox_module
    from labkit.sandbox.endpoint.environment import awscli_data_path

    cli = awscli_data_path()
    monkeypatch.setattr(sandbox_module, "_boto_session", None)
    monkeypatch.setenv("AWS_DATA_PATH", f"{cli}:/tmp/my-models")
    paths = sandbox_module._session()._loader.search_paths

    assert cli not in paths and "/tmp/my-models" in paths
    assert paths[1:] == loading.shared_loader().search_paths
    monkeypatch.setenv("AWS_DATA_PATH", str(cli))
    monkeypatch.setattr(sandbox_module, "_boto_session", None)
    assert sandbox_module._session()._loader.search_paths == loading.shared_loader().search_paths


@pytest.mark.parametrize("service", ["ec2", "kms", "s3", "sts", "ssm", "dlm", "rbin"])
@pytest.mark.parametrize("model_name", ["service-2", "paginators-1"])
def test_motos_models_are_the_ones_moto_loads_itself(service, model_name):
    """Twin test: botocore's shared model plus moto's extras, or moto's own loading through the
    data cache (S3's model has sdk extras moto must not see), equal moto's own (no sandbox runs
    here, so moto's function is its own)."""
    from moto.core.utils import _load_service_model

    assert _load_service_model is not loading._moto_service_model
    try:
        expected = _load_service_model(service, model_name)
    except Exception as error:  # noqa: BLE001 - a model this botocore lacks: both must fail
        with pytest.raises(type(error)):
            loading._moto_service_model(service, model_name)
        return
    assert loading._moto_service_model(service, model_name) == expected
