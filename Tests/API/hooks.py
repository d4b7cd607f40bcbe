"""Schemathesis hooks for Keel's API document.

The document says what JSON Schema cannot: a field marked `x-keel-reference: <object>` must hold the id of an existing
record of that object (else 422 reference_not_found). A generated client fills such fields with ids it has read; so do
these hooks, with ids read once from the running server (KEEL_CONTRACT_BASE, KEEL_CONTRACT_TOKEN). Nothing else in a
generated request is changed.
"""
import json
import os
import random
import urllib.request

import schemathesis

BASE = os.environ["KEEL_CONTRACT_BASE"]
TOKEN = os.environ["KEEL_CONTRACT_TOKEN"]
_cache = {}


def get(path):
    if path not in _cache:
        request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + TOKEN})
        with urllib.request.urlopen(request, timeout=30) as response:
            _cache[path] = json.load(response)
    return _cache[path]


def ids(target):
    """Ids of existing records of `target` (`*`: any object; accounts serve)."""
    path = {"users": "/api/v1/users", "departments": "/api/v1/departments"}.get(target, f"/api/v1/{'accounts' if target == '*' else target}?limit=50&fields=id")
    return [item["id"] for item in get(path)["data"]] or ["00000000-0000-7000-8000-000000000000"]


def references(obj):
    """Field → target object of the reference fields of `obj`, as the document marks them."""
    schema = get("/api/v1/openapi.json")["components"]["schemas"]
    name = "".join(part[:1].upper() + part[1:] for part in obj.split("_")) + "Input"
    properties = schema.get(name, {}).get("properties", {})
    return {field: spec["x-keel-reference"] for field, spec in properties.items() if "x-keel-reference" in spec}


def fill(values, refs):
    if isinstance(values, dict):
        for field, target in refs.items():
            if isinstance(values.get(field), str):
                values[field] = random.choice(ids(target))


@schemathesis.hook
def map_body(context, body):
    operation = context.operation
    if operation is None or not isinstance(body, dict):
        return body
    parts = operation.path.strip("/").split("/")
    if parts[:3] == ["api", "v1", "departments"]:
        fill(body, {"parent": "departments", "manager": "users"})
    elif len(parts) >= 3 and parts[:2] == ["api", "v1"]:
        refs = references(parts[2])
        for values in (body, body.get("set"), body.get("values")):
            fill(values, refs)
    return body
