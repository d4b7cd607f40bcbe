"""Schemathesis hooks for Keel's API document.

The document says in `x-keel-*` notes what JSON Schema cannot; a generated client follows the notes, and so do these
hooks, before each call, on requests that schemathesis means to be valid (positive cases) and only on values that
already fit their schema:

- `x-keel-reference: <object>` — the id (or, with `format: email`, the e-mail) of an existing record of that object
  (`*`: any object); ids are read once from the running server (KEEL_CONTRACT_BASE, KEEL_CONTRACT_TOKEN). Two
  references in one request name different records (a merge's survivor is not among the merged).
  `x-keel-not-self: true` — not the caller. `x-keel-may-repeat: true` — the same record may be named again.
  `x-keel-where: {field: value}` — a record whose fields hold those values (a product on sale).
- `x-keel-check: <rule>` with `examples` — the rule holds for each example (a formula that parses over the object's
  fields, a check character, a public address…), so the value becomes one of them.
- `x-keel-unique: true` — a name nothing has yet: the value gets a fresh suffix.
- `x-keel-choice-of: [<member>, …]` — one of the ids those members of the same body hold.
- `x-keel-issued: nextCursor` — a cursor the server issued for the same listing.
- `x-keel-field: any|writable` — the name of a field (`writable`: not a formula) of the object in the path.
- `x-keel-order: [<smaller>, <larger>]` — the two members (or their defaults) are sent in that order (numbers, or
  texts such as days).

Nothing else in a request is changed.
"""
import itertools
import json
import os
import random
import urllib.error
import urllib.request

import jsonschema
import schemathesis

BASE = os.environ["KEEL_CONTRACT_BASE"]
TOKEN = os.environ["KEEL_CONTRACT_TOKEN"]
_cache = {}
_fresh = itertools.count(1)


def get(path):
    """The JSON at `path`, read once; None when the server refuses (the run may have changed the policies) or is slow
    to answer: then it is asked again next time."""
    if path not in _cache:
        request = urllib.request.Request(BASE + path, headers={"Authorization": "Bearer " + TOKEN})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                _cache[path] = json.load(response)
        except OSError:
            return None
    return _cache[path]


def deref(schema, seen=()):
    """The schema with every `$ref` to the document's components replaced by what it names."""
    if isinstance(schema, list):
        return [deref(item, seen) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return {} if name in seen else deref(DOCUMENT["components"]["schemas"][name], seen + (name,))
    return {key: deref(value, seen) for key, value in schema.items()}


_validators = {}


def multiple_of(validator, step, instance, schema):
    """`multipleOf` for decimals as JSON means them: -529556.81 is a multiple of 0.01, though not in binary floating point."""
    if isinstance(instance, (int, float)) and not isinstance(instance, bool):
        quotient = instance / step
        if abs(quotient - round(quotient)) > 1e-6 * max(1.0, abs(quotient)):
            yield jsonschema.ValidationError(f"{instance} is not a multiple of {step}")


def fits(value, schema):
    """Whether `value` is valid under `schema`."""
    validator = _validators.get(id(schema))
    if validator is None:
        if len(_validators) > 20000:
            _validators.clear()
        kind = jsonschema.validators.extend(jsonschema.validators.validator_for(schema), {"multipleOf": multiple_of})
        # The schema is kept with its validator, so that its id is not reused while the entry lives.
        validator = _validators[id(schema)] = (kind(schema), schema)
    return validator[0].is_valid(value)


_schemas = {}


def schema_of(key, schema):
    """`schema` with its references resolved, once per place in the document."""
    if key not in _schemas:
        _schemas[key] = deref(schema)
    return _schemas[key]


def listing(target):
    return {"users": "/api/v1/users", "departments": "/api/v1/departments", "webhooks": "/api/v1/webhooks",
            "approval-processes": "/api/v1/approval-processes", "reconciliation-runs": "/api/v1/reconciliation/runs"}.get(
        target, f"/api/v1/{'accounts' if target == '*' else target}?limit=50")


def records(target):
    """Existing records of `target` (`*`: any object; accounts serve)."""
    found = (get(listing(target)) or {}).get("data", [])
    return [r for r in found if r.get("status", "active") == "active"] if target == "users" else found


def gone(target, record_id):
    """Whether a record read earlier has been deleted since (the run deletes records, and replaces a contract's plan
    lines): the server answers 404 for it now. Asked afresh each time; any other answer counts as still there."""
    if target not in OBJECTS:
        return False
    request = urllib.request.Request(f"{BASE}/api/v1/{target}/{record_id}", headers={"Authorization": "Bearer " + TOKEN})
    try:
        with urllib.request.urlopen(request, timeout=30):
            return False
    except urllib.error.HTTPError as error:
        return error.code == 404
    except OSError:
        return False


def fields(obj, kind):
    """Names of the fields of `obj` (`writable`: not formulas)."""
    found = (get(f"/api/v1/metadata/objects/{obj}") or {}).get("fields", [])
    return [f["name"] for f in found if kind != "writable" or not f.get("expression")]


# Read while the admin may still read everything: the run may later save policies that forbid it.
DOCUMENT = get("/api/v1/openapi.json")
ME = get("/api/v1/me")["id"]
OBJECTS = [o["name"] for o in get("/api/v1/metadata/objects")["data"]]
for _obj in OBJECTS + ["users", "departments", "webhooks", "approval-processes", "reconciliation-runs"]:
    records(_obj)
    fields(_obj, "any")


class Request:
    """What one request has used so far: ids (so that two references differ), the object in its path."""

    def __init__(self, case):
        self.taken = set()
        self.case = case
        # The object is a parameter (`/api/v1/{object}/{id}`) or named in the path (`/api/v1/activities/{id}`).
        parts = case.operation.path.split("/")
        named = parts[3] if len(parts) == 5 and parts[4] == "{id}" and parts[3] in OBJECTS else None
        self.object = (case.path_parameters or {}).get("object") or named
        self._stored = None

    def stored(self):
        """The record the path names, as stored ({} when it names none): read when first asked, after the path's id
        was chosen."""
        if self._stored is None:
            record_id = (self.case.path_parameters or {}).get("id")
            self._stored = (get(f"/api/v1/{self.object}/{record_id}") if self.object and record_id else None) or {}
        return self._stored


def filled(schema):
    """A value for a field a required group asks for."""
    if schema.get("format") == "date-time":
        return "2026-12-15T10:00:00+08:00"
    return "已沟通需求，约定下一步"[: schema.get("maxLength", 100)]


def pick(values, request):
    """One of `values` this request does not use yet; None when all are used (the request then names a record that
    does not exist: a 404, as for any client asking for more records than there are)."""
    fresh = [v for v in values if v not in request.taken]
    if not fresh:
        return None
    value = random.choice(fresh)
    request.taken.add(value)
    return value


def effective(value, schema):
    """The schema with the `allOf` parts that apply to `value` (their `if` holds) and the `oneOf` branch it takes folded in."""
    if "oneOf" in schema:
        branch = next((b for b in schema["oneOf"] if fits(value, b)), None)
        if branch is not None:
            schema = {**{k: v for k, v in schema.items() if k != "oneOf"}, **effective(value, branch)}
    for part in schema.get("allOf", []):
        if "if" in part and not fits(value, part["if"]):
            continue
        part = part.get("then", {}) if "if" in part else part
        properties = dict(schema.get("properties", {}))
        for name, spec in part.get("properties", {}).items():
            properties[name] = {**properties.get(name, {}), **spec}
        schema = {**schema, "properties": properties}
    return schema


def adjust(value, schema, request):
    """The value as a client following the notes would send it."""
    if value is None or not fits(value, schema):
        return value
    schema = effective(value, schema)
    if "x-keel-reference" in schema and isinstance(value, str):
        where = schema.get("x-keel-where", {})
        candidates = [r for r in records(schema["x-keel-reference"]) if not (schema.get("x-keel-not-self") and r["id"] == ME)
                      and all(r.get(k) == v for k, v in where.items())]
        key = "email" if schema.get("format") == "email" else "id"
        ids = [r[key] for r in candidates]
        # `x-keel-may-repeat`: the same record may stand in several places (one user in many routing rules).
        chosen = pick(ids, request) or (random.choice(ids) if ids and schema.get("x-keel-may-repeat") else None)
        # A record deleted since it was read is no longer one to name: forget it, choose again.
        if chosen is not None and key == "id" and gone(schema["x-keel-reference"], chosen):
            _cache[listing(schema["x-keel-reference"])]["data"] = [r for r in records(schema["x-keel-reference"]) if r["id"] != chosen]
            return adjust(value, schema, request)
        return chosen or value
    if "x-keel-field" in schema and isinstance(value, str) and request.object:
        return pick(fields(request.object, schema["x-keel-field"]), request) or value
    if "x-keel-check" in schema and "examples" in schema:
        return random.choice(schema["examples"])
    if schema.get("x-keel-unique") and isinstance(value, str):
        suffix = f"_{next(_fresh)}"
        return value[: schema.get("maxLength", 63) - len(suffix)] + suffix
    if isinstance(value, list) and "items" in schema:
        items = [adjust(item, schema["items"], request) for item in value]
        # Names of fields: only as many as the object has (a new object has few); a shorter list, as long as it may be.
        item_schema = schema["items"] if isinstance(schema["items"], dict) else {}
        kind = item_schema.get("x-keel-field")
        # …or objects naming one (`{"field": …}`): the same.
        named = [(k, p["x-keel-field"]) for k, p in item_schema.get("properties", {}).items() if isinstance(p, dict) and "x-keel-field" in p]
        if request.object and (kind or named):
            def known_name(item):
                if kind:
                    return item in fields(request.object, kind)
                return isinstance(item, dict) and all(k not in item or item[k] in fields(request.object, f) for k, f in named)
            known = [item for item in items if known_name(item)]
            items = known if len(known) >= schema.get("minItems", 0) else items
        if schema.get("uniqueItems"):
            # Fewer records than the list asked for: a shorter list, as long as it may be.
            distinct = [v for i, v in enumerate(items) if v not in items[:i]]
            items = distinct if len(distinct) >= schema.get("minItems", 0) else items
        return items
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        out = {k: adjust(v, properties.get(k, extra if isinstance(extra, dict) else {}), request) for k, v in value.items()}
        for name, spec in properties.items():
            choice = (spec.get("additionalProperties") or {}) if isinstance(spec.get("additionalProperties"), dict) else {}
            if isinstance(out.get(name), dict) and "x-keel-choice-of" in choice:
                ids = [i for member in choice["x-keel-choice-of"] for i in as_list(out.get(member))]
                if ids:
                    out[name] = {k: random.choice(ids) for k in out[name]}
        # `x-keel-required-when`: a required group's fields, while its field (in the body, else the stored record) holds
        # one of the values, are neither emptied nor, where the record lacks them, left out.
        for name, spec in properties.items():
            when = spec.get("x-keel-required-when") if isinstance(spec, dict) else None
            if when is None:
                continue
            field = when.get("field")
            holds = field is None or (out[field] if field in out else request.stored().get(field)) in when.get("in", [])
            if holds and out.get(name) in (None, "") and (name in out or not request.stored().get(name)):
                out[name] = filled(spec)
        order = schema.get("x-keel-order")
        if order:
            low, high = (out[k] if out.get(k) is not None else properties.get(k, {}).get("default") for k in order)
            comparable = all(isinstance(v, (int, float)) for v in (low, high)) or all(isinstance(v, str) for v in (low, high))
            if comparable and low > high:
                out[order[0]], out[order[1]] = high, low
        return out
    return value


def as_list(value):
    return value if isinstance(value, list) else [value] if isinstance(value, str) else []


def gather(values, name):
    """`filter[a][b]=v` pairs (a deepObject already written out) back into `{"filter": {"a": {"b": v}}}`."""
    nested = {}
    for key in [k for k in values if isinstance(k, str) and k.startswith(name + "[") and k.endswith("]")]:
        path = key[len(name) + 1:-1].split("][")
        node = nested
        for part in path[:-1]:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else {}
        node[path[-1]] = values.pop(key)
    if nested:
        values[name] = nested


def spread(values, name):
    """The deepObject written out again as `name[a][b]=v` pairs."""
    def walk(prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}[{key}]", inner)
        else:
            values[prefix] = value
    nested = values.pop(name, None)
    if isinstance(nested, dict):
        walk(name, nested)
    elif nested is not None:
        values[name] = nested


@schemathesis.hook
def before_call(context, case, kwargs):
    meta = getattr(case, "meta", None)
    # A case without generation metadata (the stateful phase builds its own) is taken as a valid one.
    if meta is not None and not meta.generation.mode.is_positive:
        return
    item = DOCUMENT["paths"][case.operation.path]
    operation = item[case.method.lower()]
    request = Request(case)
    for parameter in item.get("parameters", []) + operation.get("parameters", []):
        values = {"query": case.query, "path": case.path_parameters}.get(parameter["in"])
        name = parameter["name"]
        written_out = bool(values) and parameter.get("style") == "deepObject" and name not in values
        if written_out:
            gather(values, name)
        if not values or name not in values:
            continue
        schema = schema_of((case.operation.path, case.method, parameter["in"], name), parameter.get("schema", {}))
        if schema.get("x-keel-issued") == "nextCursor" and fits(values[name], schema):
            sort = case.query.get("sort")
            listing = get(case.operation.path + "?limit=1" + (f"&sort={sort}" if isinstance(sort, str) else "")) or {}
            if listing.get("nextCursor"):
                values[name] = listing["nextCursor"]
            else:
                del values[name]
            continue
        values[name] = adjust(values[name], schema, request)
        if written_out:
            spread(values, name)
    content = operation.get("requestBody", {}).get("content", {})
    body = (content.get("application/json") or content.get("multipart/form-data") or {}).get("schema")
    if body is not None and isinstance(case.body, (dict, list)):
        case.body = adjust(case.body, schema_of((case.operation.path, case.method), body), request)


@schemathesis.hook
def after_call(context, case, response):
    """A write changes what exists (a deleted or merged record, a frozen user): that listing is read again when next used."""
    if case.method.upper() != "GET" and 200 <= response.status_code < 300:
        parts = case.operation.path.split("/")
        if len(parts) > 3:
            _cache.pop(listing(parts[3]), None)
