"""Every botocore internal labkit uses, by name: the only labkit module that imports them.

botocore's public surface (``botocore.exceptions``, ``botocore.config``) may be imported anywhere;
what labkit patches or builds on (the loader, client creation, signing, the HTTP session,
credentials) comes from here, imported on first use (PEP 562). A name botocore moved or removed
raises :class:`labkit.seam.SeamError`, naming it and the versions to install. Modules are named
``botocore_<path>``.
"""

from __future__ import annotations

from labkit.seam import lazy_module

_TABLE = {
    "xform_name": "botocore:xform_name",
    "xform_cache": "botocore:_xform_cache",
    "EVENT_ALIASES": "botocore.utils:EVENT_ALIASES",
    "botocore_version": "botocore:__version__",
    "botocore_client": "botocore.client",
    "botocore_endpoint": "botocore.endpoint",
    "botocore_httpsession": "botocore.httpsession",
    "botocore_loaders": "botocore.loaders",
    "botocore_session": "botocore.session",
    "botocore_signers": "botocore.signers",
    "botocore_utils": "botocore.utils",
    "ServiceModel": "botocore.model:ServiceModel",
    "EndpointResolver": "botocore.regions:EndpointResolver",
    "EventAliaser": "botocore.hooks:EventAliaser",
    "AWSRequest": "botocore.awsrequest:AWSRequest",
    "SigV4Auth": "botocore.auth:SigV4Auth",
    "S3SigV4Auth": "botocore.auth:S3SigV4Auth",
    "Credentials": "botocore.credentials:Credentials",
    "RefreshableCredentials": "botocore.credentials:RefreshableCredentials",
}

INTERNALS, __getattr__, __dir__ = lazy_module("botocore", _TABLE, globals())
__all__ = INTERNALS.names
