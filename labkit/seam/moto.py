"""Every moto internal labkit uses, by name: the only labkit module that imports moto.

``from labkit.seam.moto import Ami`` imports ``moto.ec2.models.amis`` then, not before (PEP 562), so
moto loads no earlier than its first user needs it. A name moto moved or removed raises
:class:`labkit.seam.SeamError`, naming it and the versions to install. Modules are named
``moto_<path>`` (``moto_core_utils.utcnow()`` reads the attribute at call time, so the sandbox's
clock patch on it is seen).
"""

from __future__ import annotations

from labkit.seam import lazy_module

_TABLE = {
    # moto itself
    "mock_aws": "moto:mock_aws",
    "DEFAULT_ACCOUNT_ID": "moto.core:DEFAULT_ACCOUNT_ID",
    "mock_random": "moto.moto_api._internal:mock_random",
    "moto_backend_index": "moto.backend_index",
    "moto_backends": "moto.backends",
    "moto_version": "moto:__version__",
    # moto's core: answers, errors, utilities, the stubber botocore calls
    "moto_core_utils": "moto.core.utils",
    "moto_core_responses": "moto.core.responses",
    "moto_core_loaders": "moto.core.loaders",
    "moto_utilities_utils": "moto.utilities.utils",
    "serialize": "moto.core:serialize",
    "ActionResult": "moto.core.responses:ActionResult",
    "BaseResponse": "moto.core.responses:BaseResponse",
    "EmptyResult": "moto.core.responses:EmptyResult",
    "JsonRESTError": "moto.core.exceptions:JsonRESTError",
    "BotocoreStubber": "moto.core.botocore_stubber:BotocoreStubber",
    "MockRawResponse": "moto.core.botocore_stubber:MockRawResponse",
    "botocore_stubber": "moto.core.models:botocore_stubber",
    "ActionAuthenticatorMixin": "moto.core.authorization:ActionAuthenticatorMixin",
    "moto_settings": "moto.settings",
    "AccountSpecificBackend": "moto.core.base_backend:AccountSpecificBackend",
    # EC2: images, snapshots, volumes, instances
    "EC2Backend": "moto.ec2.models:EC2Backend",
    "ec2_backends": "moto.ec2.models:ec2_backends",
    "EC2ClientError": "moto.ec2.exceptions:EC2ClientError",
    "EC2Response": "moto.ec2.responses:EC2Response",
    "Ami": "moto.ec2.models.amis:Ami",
    "AmiBackend": "moto.ec2.models.amis:AmiBackend",
    "EBSBackend": "moto.ec2.models.elastic_block_store:EBSBackend",
    "Snapshot": "moto.ec2.models.elastic_block_store:Snapshot",
    "Volume": "moto.ec2.models.elastic_block_store:Volume",
    "Instance": "moto.ec2.models.instances:Instance",
    "InstanceBackend": "moto.ec2.models.instances:InstanceBackend",
    "INSTANCE_TYPES": "moto.ec2.models.instance_types:INSTANCE_TYPES",
    "generic_filter": "moto.ec2.utils:generic_filter",
    "random_ami_id": "moto.ec2.utils:random_ami_id",
    "random_snapshot_id": "moto.ec2.utils:random_snapshot_id",
    # KMS
    "moto_kms_models": "moto.kms.models",
    "moto_kms_responses": "moto.kms.responses",
    "Key": "moto.kms.models:Key",
    "KmsBackend": "moto.kms.models:KmsBackend",
    "kms_backends": "moto.kms.models:kms_backends",
    "KmsResponse": "moto.kms.responses:KmsResponse",
    "NotFoundException": "moto.kms.exceptions:NotFoundException",
    "ValidationException": "moto.kms.exceptions:ValidationException",
    # IAM, STS, S3, SSM
    "get_account_id_from": "moto.iam.models:get_account_id_from",
    "sts_backends": "moto.sts.models:sts_backends",
    "s3_backends": "moto.s3.models:s3_backends",
    "Parameter": "moto.ssm.models:Parameter",
    "ParameterDict": "moto.ssm.models:ParameterDict",
    # the threaded server behind lab.serve()
    "DomainDispatcherApplication": "moto.moto_server.werkzeug_app:DomainDispatcherApplication",
    "MotoRequestHandler": "moto.moto_server.werkzeug_app:MotoRequestHandler",
    "create_backend_app": "moto.moto_server.werkzeug_app:create_backend_app",
}

INTERNALS, __getattr__, __dir__ = lazy_module("moto", _TABLE, globals())
__all__ = INTERNALS.names
