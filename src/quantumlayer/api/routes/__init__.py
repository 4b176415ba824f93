"""Routers, one per resource, each thin: parse, check permission, call the service."""
