"""Static files are named by their content, kept a year by browsers and sent compressed."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import brotli
import pytest

from webui import create_app, static_build

STATIC = Path(__file__).resolve().parents[2] / "webui" / "static"
_STATIC_URL = re.compile(r'(?:href|src)="(/static/[^"#]+)')


def _static_urls(html: str) -> list[str]:
    return _STATIC_URL.findall(html)


def test_a_tenants_page_names_each_static_file_by_its_content(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    html = browser.get("/").get_data(as_text=True)
    urls = _static_urls(html)
    assert {re.sub(r"\.[0-9a-f]{12}\.", ".", url) for url in urls} >= {
        "/static/css/portal.css",
        "/static/js/portal.js",
        "/static/favicon.svg",
        "/static/icons.svg",
    }
    for url in urls:
        name = url.removeprefix("/static/")
        assert name != static_build.logical_name(name), f"{url} has no fingerprint"


def test_a_fingerprinted_file_is_kept_a_year_and_is_the_file_itself(browser):
    css = _url_of(browser, "css/portal.css")
    answer = browser.get(css)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in answer.headers
    assert answer.data == (STATIC / "css" / "portal.css").read_bytes()


@pytest.mark.parametrize(
    ("accepted", "encoding", "decode"),
    [("gzip, deflate", "gzip", gzip.decompress), ("gzip, deflate, br", "br", brotli.decompress)],
)
def test_text_files_come_compressed_as_the_browser_accepts(browser, accepted, encoding, decode):
    for name in ("css/portal.css", "js/portal.js", "icons.svg"):
        answer = browser.get(_url_of(browser, name), headers={"Accept-Encoding": accepted})
        assert answer.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert int(answer.headers["Content-Length"]) == len(answer.data)
        assert decode(answer.data) == (STATIC / name).read_bytes()
        assert len(answer.data) < (STATIC / name).stat().st_size / 2


def test_a_file_asked_by_its_own_name_is_checked_again_at_each_use(browser):
    answer = browser.get("/static/css/portal.css")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-cache"
    assert answer.data == (STATIC / "css" / "portal.css").read_bytes()
    again = browser.get("/static/css/portal.css", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304


def test_an_unknown_fingerprint_gets_the_current_file_not_kept(browser):
    answer = browser.get("/static/css/portal.0123456789ab.css")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-cache"
    assert answer.data == (STATIC / "css" / "portal.css").read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/static/css/nothing.css", "/static/nothing.0123456789ab.css", "/static/../__init__.py"],
)
def test_a_file_that_does_not_exist_is_not_found(browser, path):
    assert browser.get(path).status_code == 404


def test_a_changed_file_gets_a_new_name_and_the_earlier_stays(tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "css" / "portal.css").write_text("body { color: black }\n", encoding="utf-8")
    built = tmp_path / "built"
    before = static_build.build(source, built)["css/portal.css"]
    (source / "css" / "portal.css").write_text("body { color: navy }\n", encoding="utf-8")
    after = static_build.build(source, built)["css/portal.css"]
    assert after != before
    assert (built / before).read_text(encoding="utf-8") == "body { color: black }\n"
    assert (built / after).read_text(encoding="utf-8") == "body { color: navy }\n"


def test_a_stylesheet_names_the_files_it_uses_by_their_fingerprints(tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    (source / "mark.svg").write_text("<svg/>", encoding="utf-8")
    (source / "css" / "portal.css").write_text(
        '.a { background: url("../mark.svg#dot") } .b { background: url(data:,x) }',
        encoding="utf-8",
    )
    built = tmp_path / "built"
    first = static_build.build(source, built)
    css = (built / first["css/portal.css"]).read_text(encoding="utf-8")
    assert f'url("../{first["mark.svg"]}#dot")' in css
    assert "url(data:,x)" in css
    (source / "mark.svg").write_text("<svg></svg>", encoding="utf-8")
    second = static_build.build(source, built)
    assert second["css/portal.css"] != first["css/portal.css"]


def test_the_built_folder_can_be_served_as_it_is(tmp_path):
    built = tmp_path / "built"
    manifest = static_build.build(STATIC, built)
    for name, fingerprinted in manifest.items():
        assert (built / fingerprinted).read_bytes() == (STATIC / name).read_bytes()
        if name.endswith((".css", ".js")):
            assert (
                gzip.decompress((built / (fingerprinted + ".gz")).read_bytes())
                == (STATIC / name).read_bytes()
            )
            assert (
                brotli.decompress((built / (fingerprinted + ".br")).read_bytes())
                == (STATIC / name).read_bytes()
            )
    assert (built / static_build.MANIFEST).is_file()


def test_pages_are_compressed_only_for_browsers_that_accept_it(browser, small_estate):
    browser.activate(small_estate.codes["A-01"])
    plain = browser.get("/")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    for accepted, encoding, decode in (
        ("gzip", "gzip", gzip.decompress),
        ("br, gzip", "br", brotli.decompress),
    ):
        # Twice: the second page comes from the page cache, compressed as well.
        for _ in range(2):
            packed = browser.get("/", headers={"Accept-Encoding": accepted})
            assert packed.headers["Content-Encoding"] == encoding
            assert int(packed.headers["Content-Length"]) == len(packed.data)
            assert decode(packed.data) == plain.data
            assert len(packed.data) < len(plain.data) / 3


def _url_of(browser, name: str) -> str:
    """Return the address the pages give the static file."""
    html = browser.get("/welcome").get_data(as_text=True)
    stem, suffix = name.rsplit(".", 1)
    urls = [
        url
        for url in _static_urls(html)
        if re.fullmatch(rf"/static/{stem}\.[0-9a-f]{{12}}\.{suffix}", url)
    ]
    assert urls, f"no address for {name} in the page"
    return urls[0]


def test_without_a_folder_given_the_files_are_built_in_the_data_folder(data_dir, engine):
    app = create_app({"data_dir": str(data_dir)})
    app.extensions["engine"].dispose()
    manifest = json.loads((data_dir / "static" / static_build.MANIFEST).read_text("utf-8"))
    assert (data_dir / "static" / manifest["css/portal.css"]).is_file()


def test_a_changed_stylesheet_gets_a_new_address_and_the_earlier_one_still_answers(
    data_dir, engine, tmp_path, monkeypatch
):
    source = tmp_path / "static"
    shutil.copytree(STATIC, source)
    monkeypatch.setattr(static_build, "SOURCE", source)
    first = create_app({"data_dir": str(data_dir)})
    before = _welcome_css(first)
    first.extensions["engine"].dispose()
    (source / "css" / "portal.css").write_text("body { color: navy }\n", encoding="utf-8")
    app = create_app({"data_dir": str(data_dir)})
    after = _welcome_css(app)
    assert after != before
    client = app.test_client()
    assert client.get(after).data == b"body { color: navy }\n"
    earlier = client.get(before)
    assert earlier.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert earlier.data == (STATIC / "css" / "portal.css").read_bytes()
    app.extensions["engine"].dispose()


def _welcome_css(app) -> str:
    html = app.test_client().get("/welcome").get_data(as_text=True)
    return next(url for url in _static_urls(html) if url.startswith("/static/css/portal."))
