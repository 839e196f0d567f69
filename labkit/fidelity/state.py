"""What labkit keeps on moto's objects: every ``lab_*`` attribute, declared once, with its owner.

moto's models have no room for what AWS tracks and moto does not (a snapshot's lock, an image's
deregistration protection, the data written on a volume, who launched what when), so labkit hangs
it on moto's objects under names that start with ``lab_``. Each is declared here as a ``Field``:
its name, what it holds, on which of moto's objects, and what reading it gives when it was never
set. Code reads a field with ``FIELD.get(obj)`` (typed, with the declared default) and writes it
with ``FIELD.set(obj, value)`` or plain assignment; ``tests/fidelity/test_state.py`` checks that
every ``lab_*`` name in labkit is declared here, and that no module reads one with ``getattr``.

The records labkit keeps in its own dicts (a lifecycle policy's ``lab_next_runs``, a Fast Launch
setting's ``lab_disabling``) are labkit's data, not moto's objects, and are not fields.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from ..catalog import INSTALLED_TAG  # the tag that shows those records; defined with the catalogue

__all__ = ["FIELDS", "INSTALLED_TAG", "Field"]

T = TypeVar("T")
_DECLARED: Any = object()


class Field(Generic[T]):
    """One attribute labkit keeps on a kind of moto object."""

    def __init__(self, name: str, owner: str, default: T, meaning: str) -> None:
        self.name = name
        self.owner = owner
        self.default = default
        self.meaning = meaning

    def get(self, obj: Any, default: Any = _DECLARED) -> T:
        """The value on ``obj``, or the declared default (or ``default``) if never set."""
        return getattr(obj, self.name, self.default if default is _DECLARED else default)

    def set(self, obj: Any, value: T) -> None:
        """Keep ``value`` on ``obj``."""
        setattr(obj, self.name, value)

    def __repr__(self) -> str:
        return f"<Field {self.owner}.{self.name}: {self.meaning}>"


def _field(name: str, owner: str, default: Any, meaning: str) -> Field[Any]:
    return Field(name, owner, default, meaning)


# -- images (moto's Ami) ---------------------------------------------------------------------
PENDING_READS = _field("lab_pending_reads", "Ami, Snapshot", 0, "answers left before ready")
LAUNCH_TIMES = _field("lab_launch_times", "Ami", (), "when instances were launched from it")
PRODUCT_CODES = _field("lab_product_codes", "Ami, Instance", None, "Marketplace product codes")
PLATFORM_DETAILS = _field("lab_platform_details", "Ami, Instance", None, "billing platform")
USAGE_OPERATION = _field("lab_usage_operation", "Ami, Instance", None, "billing operation")
MAPPINGS = _field("lab_mappings", "Ami", None, "the block device mappings as registered")
FAST_LAUNCH = _field("lab_fast_launch", "Ami", None, "Windows Fast Launch setting")
PROTECTION = _field("lab_protection", "Ami", None, "deregistration protection mode")
PROTECTION_UNTIL = _field("lab_protection_until", "Ami", None, "end of a protection cooldown")
WATERMARKS = _field("lab_watermarks", "Ami", None, "image annotations (watermarks)")
INSTANCE_TYPES = _field("lab_instance_types", "Ami", None, "allowed instance types criteria")
DLM = _field("lab_dlm", "Ami", None, "(policy, schedule, instance) of a policy-made image")
# -- instances ---------------------------------------------------------------------------------
IMAGE_ID = _field("lab_image_id", "Instance", None, "the image it was launched from")
REBOOTS = _field("lab_reboots", "Instance", (), "when it was rebooted")
# -- volumes and snapshots -------------------------------------------------------------------
DATA_GIB = _field("lab_data_gib", "Volume", None, "GiB written on the volume")
INSTALLED = _field("lab_installed", "Volume", (), "packages installed on the volume")
LOCK = _field("lab_lock", "Snapshot", None, "snapshot lock")
RESTORE_READY_AT = _field("lab_restore_ready_at", "Snapshot", None, "archive restore ends")
RESTORE_DAYS = _field("lab_restore_days", "Snapshot", None, "temporary restore period")
ARCHIVE_HISTORY = _field("lab_archive_history", "Snapshot", (), "tier changes")
SOURCE_SNAPSHOT_ID = _field("lab_source_snapshot_id", "Snapshot", None, "copied from")
SOURCE_REGION = _field("lab_source_region", "Snapshot", None, "copied from Region")
# -- backends ----------------------------------------------------------------------------------
SNAPSHOT_RECYCLE_BIN = _field("lab_snapshot_recycle_bin", "EC2Backend", None, "binned snapshots")
DELETED_SNAPSHOTS = _field("lab_deleted_snapshots", "EC2Backend", None, "deleted snapshots")
STORE_TASKS = _field("lab_store_tasks", "EC2Backend", None, "image store tasks")
FAST_RESTORES = _field("lab_fast_restores", "EC2Backend", None, "fast snapshot restores")
IMAGE_BLOCK_PUBLIC_ACCESS = _field(
    "lab_image_block_public_access", "EC2Backend", None, "image block public access state"
)
RECYCLE_BIN = _field("lab_recycle_bin", "EC2Backend", None, "binned images")
RBIN_RULES = _field("lab_rbin_rules", "RecycleBinBackend", None, "retention rules")
DLM_POLICIES = _field("lab_dlm_policies", "DLMBackend", None, "lifecycle policies")
COPY_TOKENS = _field("lab_copy_tokens", "EC2Backend", None, "CopyImage client tokens")
REGION_SETTINGS = _field("lab_region_settings", "EC2Backend", None, "account settings")
CATALOGUE_LOADED = _field("lab_catalogue_loaded", "SimpleSystemManagerBackend", False, "")
STORED_IMAGES = _field("lab_stored_images", "FakeBucket", None, "images stored in S3")

#: Every field, by attribute name.
FIELDS: dict[str, Field[Any]] = {
    f.name: f for f in list(globals().values()) if isinstance(f, Field)
}
#: Private fields read through a property (``__dict__``), named here so they are declared too.
PRIVATE = ("_lab_data_gib", "_lab_deprecation_time")
