"""moto's per-request authorization check, without importing IAM and S3 while it is switched off.

Before every action moto calls ``_authenticate_and_authorize_normal_action``, which first imports
``moto.iam.access_control`` (and with it moto's S3 and Events models: ≈ 10 ms, once per process,
in every lesson's first request) and then, as long as authorization is off (moto's
``INITIAL_NO_AUTH_ACTION_COUNT``, infinite unless a test switches it on; the lab never does: its
endpoint checks signatures itself), only counts the request. Here the count is kept the same way
without the import; once authorization is on, moto's own method runs, import and all. Nothing
moto answers changes (tests/sandbox/speed/test_authorizing.py).
"""

from __future__ import annotations

from typing import Any

__all__ = ["count_requests_without_importing_iam"]


def count_requests_without_importing_iam(patches: Any) -> None:
    """While authorization is off, count requests as moto does, without importing IAM (undone
    with patches)."""
    from labkit.seam.moto import ActionAuthenticatorMixin, moto_settings

    authorize = ActionAuthenticatorMixin._authenticate_and_authorize_normal_action

    def authenticate_and_authorize_normal_action(self: Any, resource: str = "*") -> None:
        # moto's _authenticate_and_authorize_action, when authorization is off: count, nothing else.
        if ActionAuthenticatorMixin.request_count < moto_settings.INITIAL_NO_AUTH_ACTION_COUNT:
            ActionAuthenticatorMixin.request_count += 1
            return
        authorize(self, resource)

    authenticate_and_authorize_normal_action.__wrapped__ = authorize  # type: ignore[attr-defined]
    patches.replace(
        ActionAuthenticatorMixin,
        "_authenticate_and_authorize_normal_action",
        authenticate_and_authorize_normal_action,
    )
