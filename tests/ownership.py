"""Ownership harness: every route with an id in its path must answer 404 to a user who does
not own the resource (never 403, never 200). New resource types register a factory here."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import httpx
from fastapi import FastAPI

# A factory makes one resource as the user of ``headers`` and returns its id.
Factory = Callable[[httpx.AsyncClient, dict[str, str]], Awaitable[str]]

FACTORIES: dict[str, Factory] = {}
# Routes with a path parameter that are not owned resources (public by design, or admin).
EXEMPT_PREFIXES = ("/api/v1/admin/", "/api/v1/public/", "/api/v1/templates/")


def register_factory(prefix: str) -> Callable[[Factory], Factory]:
    """``prefix`` is the route template up to its first parameter, e.g. '/api/v1/resumes/{id}'."""

    def decorator(factory: Factory) -> Factory:
        FACTORIES[prefix] = factory
        return factory

    return decorator


def owned_routes(app: FastAPI) -> list[tuple[str, str]]:
    routes = []
    for path, operations in app.openapi()["paths"].items():
        if "{" not in path or path.startswith(EXEMPT_PREFIXES):
            continue
        for method in operations:
            routes.append((method.upper(), path))
    return sorted(routes)


def factory_for(path: str) -> tuple[str, Factory] | None:
    match = re.match(r"^(.*?\{[^}]+\})", path)
    if not match:
        return None
    prefix = match.group(1)
    factory = FACTORIES.get(prefix)
    return (prefix, factory) if factory else None


async def assert_isolated(
    app: FastAPI,
    client: httpx.AsyncClient,
    owner: dict[str, str],
    stranger: dict[str, str],
) -> list[tuple[str, str]]:
    """Walk every owned route; returns the routes checked."""
    checked = []
    missing = [path for _, path in owned_routes(app) if factory_for(path) is None]
    assert not missing, (
        f"routes with an id but no ownership factory registered: {sorted(set(missing))}"
    )
    for method, path in owned_routes(app):
        found = factory_for(path)
        assert found is not None
        _prefix, factory = found
        resource_id = await factory(client, owner)
        url = re.sub(r"\{[^}]+\}", resource_id, path, count=1)
        assert "{" not in url, f"{path}: only one path parameter is supported by the harness"
        body = {} if method in ("POST", "PUT", "PATCH", "DELETE") else None
        response = await client.request(method, url, headers=stranger, json=body)
        assert response.status_code == 404, (
            f"{method} {path}: a stranger got {response.status_code}, expected 404: "
            f"{response.text[:300]}"
        )
        assert response.json()["error"]["code"] == "NOT_FOUND"
        if method == "GET":
            own = await client.request(method, url, headers=owner)
            # The owner may get a 404 of another kind (e.g. "no PDF made yet"), never the
            # stranger's "not found" for the resource itself.
            same_404 = own.status_code == 404 and (
                own.json()["error"]["message"] == response.json()["error"]["message"]
            )
            assert not same_404, f"GET {path}: the owner got 404 too: {own.text[:300]}"
        checked.append((method, path))
    return checked
