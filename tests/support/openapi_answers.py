"""Whether an API answer is what the OpenAPI document says of it: the answer's schema,
and where a value differs from it (the subset of JSON Schema the document uses)."""

from __future__ import annotations


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        node = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _merged(document: dict, schema: dict) -> dict:
    """Fold allOf parts into one object schema, so extra keys can be told apart."""
    schema = resolve(document, schema)
    if "allOf" not in schema:
        return schema
    merged: dict = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        part = _merged(document, part)
        merged["properties"] |= part.get("properties", {})
        merged["required"] += part.get("required", [])
    return merged


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def mismatches(document: dict, value, schema: dict, where: str = "$") -> list[str]:
    """Return where the value differs from the schema (the subset of JSON Schema used here)."""
    schema = _merged(document, schema)
    if "oneOf" in schema:
        fitting = [s for s in schema["oneOf"] if not mismatches(document, value, s, where)]
        return [] if len(fitting) == 1 else [f"{where}: fits {len(fitting)} of oneOf"]
    if "const" in schema and value != schema["const"]:
        return [f"{where}: {value!r} is not {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in {schema['enum']}"]
    types = schema.get("type")
    if types and not any(_TYPES[t](value) for t in ([types] if isinstance(types, str) else types)):
        return [f"{where}: {value!r} is not {types}"]
    problems = []
    if isinstance(value, dict) and "properties" in schema:
        problems += [f"{where}: {key} missing" for key in schema["required"] if key not in value]
        problems += [
            f"{where}: {key} undocumented" for key in value if key not in schema["properties"]
        ]
        for key, item in value.items():
            if key in schema["properties"]:
                problems += mismatches(document, item, schema["properties"][key], f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += mismatches(document, item, schema["items"], f"{where}[{index}]")
    return problems


def documented_answer(document: dict, method: str, path: str, response) -> dict:
    """Return the schema the document gives for this operation's answer status."""
    answered = document["paths"][path][method]["responses"][str(response.status_code)]
    answered = resolve(document, answered)
    return next(iter(answered["content"].values()))["schema"]
