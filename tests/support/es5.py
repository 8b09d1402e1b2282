"""Whether a script is ES5, as TVs' and screens' old engines (Chromium 38, old WebKit)
need it: pyjsparser parses ECMAScript 5.1 and refuses most later syntax by itself
(arrows, classes, templates, destructuring, spread); what it lets through is looked for
in its tree: ``let`` and ``const``, default parameters, shorthand methods and
properties."""

from __future__ import annotations

from typing import Any

import pyjsparser


def problems(source: str) -> list[str]:
    """What in the script an ES5 engine cannot run; empty when it can."""
    try:
        tree = pyjsparser.PyJsParser().parse(source)
    except pyjsparser.pyjsparserdata.JsSyntaxError as error:
        return [str(error)]
    found: list[str] = []
    _walk(tree, found)
    return found


def _walk(node: Any, found: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, found)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    if kind == "VariableDeclaration" and node.get("kind") != "var":
        found.append(f"{node['kind']} declaration")
    if kind in ("FunctionDeclaration", "FunctionExpression") and any(node.get("defaults") or []):
        found.append("default parameter")
    if kind == "Property" and (node.get("method") or node.get("shorthand")):
        found.append(f"shorthand property {node['key'].get('name')}")
    for value in node.values():
        _walk(value, found)
