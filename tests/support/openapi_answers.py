"""Whether an API answer is what the OpenAPI document says of it, checked by jsonschema
against the document's own schemas."""

from __future__ import annotations

from jsonschema import Draft202012Validator


def resolve(document: dict, schema: dict) -> dict:
    """Follow a local reference of the document (a response, a schema) to what it names."""
    while "$ref" in schema:
        node = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def mismatches(document: dict, value, schema: dict) -> list[str]:
    """Return where the value differs from the schema, read with the document's components."""
    # The document's "#/components/..." references resolve against the root schema.
    rooted = {"allOf": [schema], "components": document["components"]}
    validator = Draft202012Validator(rooted)
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(validator.iter_errors(value), key=lambda e: e.json_path)
    ]


def documented_answer(document: dict, method: str, path: str, response) -> dict:
    """Return the schema the document gives for this operation's answer status."""
    answered = document["paths"][path][method]["responses"][str(response.status_code)]
    answered = resolve(document, answered)
    return next(iter(answered["content"].values()))["schema"]
