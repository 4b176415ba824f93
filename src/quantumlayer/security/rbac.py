"""Roles and their fine-grained permissions.

Routes never check a role; they require a permission (`require("projects:create")`). A user's
permissions come from their role; an API key acts as role `service`, with the permissions it was
created with, cut down to what its owner holds now and to what a service may ever do.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A user's role; `service` is the role of API keys."""

    ADMIN = "admin"
    DEVELOPER = "developer"
    VIEWER = "viewer"
    SERVICE = "service"


class Permission(StrEnum):
    """One thing a caller may do."""

    PROJECTS_READ = "projects:read"
    PROJECTS_CREATE = "projects:create"
    PROJECTS_CONTROL = "projects:control"  # approve, cancel
    PROJECTS_READ_ALL = "projects:read_all"  # other users' projects too
    PROJECTS_CONTROL_ALL = "projects:control_all"
    DEPLOYMENTS_CREATE = "deployments:create"
    INTENTS_ANALYZE = "intents:analyze"
    TEMPLATES_READ = "templates:read"
    TARGETS_READ = "deployment_targets:read"
    TARGETS_MANAGE = "deployment_targets:manage"
    AGENTS_READ = "agents:read"
    API_KEYS_MANAGE = "api_keys:manage"
    USERS_MANAGE = "users:manage"
    SECRETS_MANAGE = "secrets:manage"
    AUDIT_READ = "audit:read"


P = Permission
_VIEWER = frozenset(
    {P.PROJECTS_READ, P.INTENTS_ANALYZE, P.TEMPLATES_READ, P.TARGETS_READ, P.AGENTS_READ}
)
_DEVELOPER = _VIEWER | {
    P.PROJECTS_CREATE, P.PROJECTS_CONTROL, P.DEPLOYMENTS_CREATE, P.API_KEYS_MANAGE
}
_ADMIN = frozenset(Permission)
# The most an API key can do, whatever it asks for: keys never mint keys or manage people.
_SERVICE = _DEVELOPER - {P.API_KEYS_MANAGE}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _ADMIN,
    Role.DEVELOPER: frozenset(_DEVELOPER),
    Role.VIEWER: _VIEWER,
    Role.SERVICE: frozenset(_SERVICE),
}
USER_ROLES: tuple[str, ...] = (Role.ADMIN, Role.DEVELOPER, Role.VIEWER)

# Admin endpoints: besides the permission, the client must come from QL_ADMIN_ALLOWED_CIDRS.
ADMIN_PERMISSIONS = frozenset(
    {P.USERS_MANAGE, P.SECRETS_MANAGE, P.TARGETS_MANAGE, P.AUDIT_READ}
)


def permissions_for(role: str) -> frozenset[Permission]:
    """The permissions of a role (none for a role we do not know)."""
    try:
        return ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return frozenset()


def api_key_permissions(
    requested: list[str] | tuple[str, ...] | frozenset[str], owner_role: str
) -> frozenset[Permission]:
    """What an API key may do now: what it was granted, within its owner's role and `service`."""
    granted = {Permission(p) for p in requested if p in Permission._value2member_map_}
    return frozenset(granted & permissions_for(owner_role) & ROLE_PERMISSIONS[Role.SERVICE])
