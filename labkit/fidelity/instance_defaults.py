"""Account settings for the instances an account launches: instance metadata defaults and the
AMI's ImdsSupport at launch (R50, R51), serial console access, and DescribeInstanceImageMetadata
(R32).

AWS guide pages: "Configure the Instance Metadata Service options" — "Where to configure",
"Order of precedence", "Configure the AMI" (AWSEC2/latest/UserGuide/
configuring-instance-metadata-options.html); API reference: ModifyInstanceMetadataDefaults,
GetInstanceMetadataDefaults, InstanceMetadataOptionsRequest (HttpTokens and hop-limit
defaults), RegisterImage (ImdsSupport), DescribeInstanceImageMetadata; Allowed AMIs
(manage-settings-allowed-amis, "Find instances launched from AMIs that aren't allowed").

Account defaults are per Region (``account_settings``) and apply to instances launched after
they are set. Each option of a new instance comes from, in order: the launch request (or its
launch template), the account default, the AMI (``ImdsSupport=v2.0`` means ``HttpTokens``
``required`` and a hop limit of 2), then EC2's own default.

Serial console access ("Configure access to the EC2 Serial Console",
configure-access-to-serial-console.html; API reference: EnableSerialConsoleAccess,
GetSerialConsoleAccessStatus) is another per-account, per-Region switch, off until enabled. The
sandbox has no console to connect to, so the switch changes nothing else.
"""

from __future__ import annotations

from typing import Any

from labkit.seam.moto import ActionResult, Ami, EC2Response, InstanceBackend

from . import allowed_images
from .account_settings import region_settings
from .errors import AwsError
from .images import find_image
from .patching import Patches
from .rendering import aws_time
from .state import IMAGE_ID
from .visibility import can_launch

__all__ = ["install", "launch_metadata_options", "serial_console_access"]

NO_PREFERENCE = "no-preference"
#: The options ModifyInstanceMetadataDefaults sets, with the values each accepts.
_CHOICES = {
    "HttpTokens": ("optional", "required"),
    "HttpEndpoint": ("enabled", "disabled"),
    "InstanceMetadataTags": ("enabled", "disabled"),
    "HttpTokensEnforced": ("enabled", "disabled"),
}
_HOP_LIMIT = "HttpPutResponseHopLimit"
#: EC2's own defaults, when neither the launch, the account nor the AMI chooses.
_EC2_DEFAULTS = {
    "HttpTokens": "optional",
    _HOP_LIMIT: 1,
    "HttpEndpoint": "enabled",
    "InstanceMetadataTags": "disabled",
    "HttpProtocolIpv6": "disabled",
}
#: What an AMI registered with ImdsSupport v2.0 chooses (configure the AMI, precedence table).
_IMDS_V2_AMI = {"HttpTokens": "required", _HOP_LIMIT: 2}


def launch_metadata_options(
    requested: dict[str, Any] | None, image: Ami, account_id: str, region: str
) -> dict[str, Any]:
    """R50, R51: the metadata options of an instance launched now, option by option."""
    requested = {k: v for k, v in (requested or {}).items() if v is not None}
    defaults = region_settings(account_id, region).instance_metadata_defaults
    from_ami = _IMDS_V2_AMI if getattr(image, "imds_support", None) == "v2.0" else {}
    options: dict[str, Any] = {}
    for name, fallback in _EC2_DEFAULTS.items():
        for source in (requested, defaults, from_ami):
            if name in source:
                options[name] = source[name]
                break
        else:
            options[name] = fallback
    options[_HOP_LIMIT] = int(options[_HOP_LIMIT])
    return options


def modify_instance_metadata_options(
    self: InstanceBackend,
    instance_id: str,
    http_tokens: str | None = None,
    hop_limit: int | None = None,
    http_endpoint: str | None = None,
    dry_run: bool | None = False,
    http_protocol: str | None = None,
    metadata_tags: str | None = None,
) -> Any:
    """ModifyInstanceMetadataOptions: the options named change; the others keep their values
    (moto resets them: the hop limit to 1, the rest to nothing). API reference: "If you don't
    specify a value, the current value is not changed" (per option)."""
    options = self.get_instance(instance_id).metadata_options
    changes = {
        "http_tokens": http_tokens,
        "http_put_response_hop_limit": None if hop_limit is None else int(hop_limit),
        "http_endpoint": http_endpoint,
        "http_protocol_ipv6": http_protocol,
        "instance_metadata_tags": metadata_tags,
    }
    for name, value in changes.items():
        if value is not None:
            setattr(options, name, value)
    options.state = "applied"
    return options


def _modify_defaults(self: EC2Response) -> ActionResult:
    """R50: set or clear (``no-preference``, hop limit -1) the account's defaults."""
    changes: dict[str, Any] = {}
    for name, choices in _CHOICES.items():
        value = self._get_param(name)
        if value is None:
            continue
        if value != NO_PREFERENCE and value not in choices:
            raise AwsError(
                "InvalidParameterValue",
                f"Value ({value}) for parameter {name} is invalid. Valid values are "
                f"{', '.join(choices)} and {NO_PREFERENCE}",
            )
        changes[name] = value
    hop_limit = self._get_param(_HOP_LIMIT)
    if hop_limit is not None:
        hop_limit = int(hop_limit)
        if hop_limit != -1 and not 1 <= hop_limit <= 64:
            raise AwsError(
                "InvalidParameterValue",
                f"Value ({hop_limit}) for parameter {_HOP_LIMIT} is invalid. Valid values are "
                "1 to 64, or -1 for no preference",
            )
        changes[_HOP_LIMIT] = NO_PREFERENCE if hop_limit == -1 else hop_limit
    self.error_on_dryrun()
    defaults = region_settings(self.current_account, self.region).instance_metadata_defaults
    for name, value in changes.items():
        if value == NO_PREFERENCE:
            defaults.pop(name, None)
        else:
            defaults[name] = value
    return ActionResult({"Return": True})


def _get_defaults(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    defaults = region_settings(self.current_account, self.region).instance_metadata_defaults
    return ActionResult({"AccountLevel": {**defaults, "ManagedBy": "account"}})


def _image_metadata(image_id: str, account_id: str, region: str) -> dict[str, Any]:
    """What the account may know of an instance's AMI: only its ID once it can't see it."""
    image = find_image(region, image_id) if image_id else None
    if image is None or not can_launch(image, account_id):
        return {"ImageId": image_id}
    answer = {
        "ImageId": image.id,
        "Name": image.name,
        "OwnerId": image.owner_id,
        "State": image.state,
        "ImageOwnerAlias": image.owner_alias,
        "CreationDate": aws_time(image.creation_date),
        "DeprecationTime": aws_time(getattr(image, "deprecation_time", None)),
        "IsPublic": bool(image.is_public),
    }
    if region_settings(account_id, region).allowed_images_state != allowed_images.DISABLED:
        answer["ImageAllowed"] = allowed_images.image_allowed(image, account_id, region)
    return {k: v for k, v in answer.items() if v is not None}


def _matches(entry: dict[str, Any], instance: Any, filters: dict[str, list[str]]) -> bool:
    values = {
        "instance-id": entry["InstanceId"],
        "instance-type": entry["InstanceType"],
        "instance-state-name": entry["State"]["Name"],
        "availability-zone": entry["AvailabilityZone"],
        "owner-id": entry["OwnerId"],
        "image-allowed": str(entry["ImageMetadata"].get("ImageAllowed", "")).lower(),
    }
    for name, wanted in filters.items():
        if name.startswith("tag:"):
            tags = {t["key"]: t["value"] for t in instance.get_tags()}
            if tags.get(name[4:]) not in wanted:
                return False
        elif name not in values:
            raise AwsError("InvalidParameterValue", f"The filter '{name}' is invalid")
        elif name == "image-allowed" and values[name] not in {str(w).lower() for w in wanted}:
            return False
        elif name != "image-allowed" and str(values[name]) not in wanted:
            return False
    return True


def _describe_instance_image_metadata(self: EC2Response) -> ActionResult:
    """R32: the caller's instances in the Region, each with what it knows of its AMI."""
    ids = self._get_param("InstanceIds", []) or []
    filters = self._filters_from_querystring() or {}
    self.error_on_dryrun()
    account, region = self.current_account, self.region
    instances = self.ec2_backend.get_multi_instances_by_id(ids) if ids else None
    if instances is None:
        instances = self.ec2_backend.all_instances()
    found = []
    for instance in instances:
        image_id = IMAGE_ID.get(instance) or instance.image_id
        entry = {
            "InstanceId": instance.id,
            "InstanceType": instance.instance_type,
            "LaunchTime": aws_time(instance.launch_time),
            "AvailabilityZone": instance.placement.zone,
            "State": {"Code": instance._state.code, "Name": instance._state.name},
            "OwnerId": account,
            "Tags": [{"Key": t["key"], "Value": t["value"]} for t in instance.get_tags()],
            "ImageMetadata": _image_metadata(image_id, account, region),
        }
        if _matches(entry, instance, filters):
            found.append(entry)
    return ActionResult({"InstanceImageMetadata": found})


def serial_console_access(account_id: str, region: str) -> bool:
    """Is EC2 serial console access enabled for the account in the Region?"""
    return region_settings(account_id, region).serial_console_access


def _set_serial_console_access(self: EC2Response, enabled: bool) -> ActionResult:
    self.error_on_dryrun()
    region_settings(self.current_account, self.region).serial_console_access = enabled
    return ActionResult({"SerialConsoleAccessEnabled": enabled})


def _enable_serial_console_access(self: EC2Response) -> ActionResult:
    return _set_serial_console_access(self, True)


def _disable_serial_console_access(self: EC2Response) -> ActionResult:
    return _set_serial_console_access(self, False)


def _get_serial_console_access_status(self: EC2Response) -> ActionResult:
    self.error_on_dryrun()
    enabled = serial_console_access(self.current_account, self.region)
    return ActionResult({"SerialConsoleAccessEnabled": enabled, "ManagedBy": "account"})


def install(patches: Patches) -> None:
    """Answer the instance metadata defaults, serial console access and
    DescribeInstanceImageMetadata (launching asks :func:`launch_metadata_options`); keep the
    options ModifyInstanceMetadataOptions does not name."""
    patches.replace(
        InstanceBackend, "modify_instance_metadata_options", modify_instance_metadata_options
    )
    patches.add(EC2Response, "modify_instance_metadata_defaults", _modify_defaults)
    patches.add(EC2Response, "get_instance_metadata_defaults", _get_defaults)
    patches.add(EC2Response, "describe_instance_image_metadata", _describe_instance_image_metadata)
    patches.add(EC2Response, "enable_serial_console_access", _enable_serial_console_access)
    patches.add(EC2Response, "disable_serial_console_access", _disable_serial_console_access)
    patches.add(EC2Response, "get_serial_console_access_status", _get_serial_console_access_status)
