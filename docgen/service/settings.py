"""The service's settings, as the service and its tests name them.

They live in ``docgen.settings`` with the rest of docgen's settings (the pipeline reads
them too); ``load_settings`` here reads the ``[service]`` table alone.
"""

from __future__ import annotations

from docgen.settings import (
    MB,
    PERMISSIONS,
    ROLES,
    ApiToken,
    ServiceSettings,
    hash_token,
    is_loopback,
    settings_from_mapping,
)
from docgen.settings import load_service_settings as load_settings

__all__ = ["MB", "PERMISSIONS", "ROLES", "ApiToken", "ServiceSettings", "hash_token",
           "is_loopback", "load_settings", "settings_from_mapping"]
