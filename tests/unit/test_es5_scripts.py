"""Every script the box serves runs on TVs' and screens' old engines: ES5 only."""

from pathlib import Path

import pytest

from tests.support import es5

SCRIPTS = sorted((Path(__file__).resolve().parents[2] / "webui" / "static" / "js").glob("*.js"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_the_script_is_es5(script):
    assert es5.problems(script.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "later",
    [
        "var f = () => 1;",
        "let a = 1;",
        "const a = 1;",
        "class A {}",
        "var s = `x`;",
        "function f(a = 1) { return a; }",
        "var o = { a() {} };",
        "var b = 1; var o = { b };",
        "f(...a);",
        "var { a } = b;",
    ],
)
def test_later_syntax_is_found(later):
    assert es5.problems(later)
