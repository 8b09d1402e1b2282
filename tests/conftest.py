"""Fixtures shared by the suite: a box on fresh SQLite, a small estate, a browser-like client."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.domain import access_codes, estate, news, people
from core.secrets import SECRETS_FILE, ensure_secrets
from core.storage import migrations
from core.storage.engine import make_engine
from tests.support.databases import copy_database, postgres_database, postgres_url
from webui import create_app

PIN = "2580"
STAFF_PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def box_secrets(tmp_path_factory) -> Path:
    """One secrets file for the whole run, so a prepared estate's codes work in every test."""
    folder = tmp_path_factory.mktemp("secrets")
    ensure_secrets(folder)
    return folder / SECRETS_FILE


@pytest.fixture
def data_dir(tmp_path: Path, box_secrets: Path) -> Path:
    folder = tmp_path / "box"
    folder.mkdir()
    shutil.copy(box_secrets, folder / SECRETS_FILE)
    return folder


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    # Running the migrations costs about half a second: once for the run, then each
    # test's box starts from a copy.
    database = tmp_path_factory.mktemp("migrated") / "box.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrations.upgrade(engine)
    engine.dispose()
    return database


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A migrated PostgreSQL database for the run, copied for each test that needs one."""
    with postgres_database() as name:
        engine = make_engine(postgres_url(name))
        migrations.upgrade(engine)
        engine.dispose()
        yield name


@pytest.fixture
def engine(data_dir: Path, _migrated_template: Path):
    database = data_dir / "box.sqlite3"
    copy_database(_migrated_template, database)
    engine = make_engine(f"sqlite:///{database}")
    yield engine
    engine.dispose()


@pytest.fixture
def pepper(data_dir: Path) -> str:
    return ensure_secrets(data_dir)["access_code_pepper"]


@dataclass
class Estate:
    """A residence with two buildings, a few dwellings with live codes, and staff."""

    residence_id: str
    building_a: str
    building_b: str
    dwellings: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    staff: dict[str, str] = field(default_factory=dict)
    publishers: dict[str, str] = field(default_factory=dict)


def build_estate(connection, pepper: str) -> Estate:
    """Build the small estate in an empty database."""
    residence_id = estate.add_residence(connection, "Les Tilleuls", "La Viste", "Marseille")
    place = Estate(
        residence_id,
        estate.add_building(connection, residence_id, "Bâtiment A"),
        estate.add_building(connection, residence_id, "Bâtiment B"),
    )
    for reference, building in [
        ("A-01", place.building_a),
        ("A-02", place.building_a),
        ("A-03", place.building_a),
        ("B-01", place.building_b),
    ]:
        dwelling_id = estate.register_dwelling(connection, building, reference, "1", 1)
        place.dwellings[reference] = dwelling_id
        place.codes[reference] = access_codes.issue(connection, pepper, dwelling_id)
    place.publishers["landlord"] = news.add_publisher(connection, "Habitat Sud", "landlord")
    place.publishers["town_hall"] = news.add_publisher(connection, "Mairie 15e", "town_hall")
    place.publishers["shop"] = news.add_publisher(connection, "Boulangerie du Marché", "shop")
    for username, role, buildings in [
        ("agent", "landlord_agent", [place.building_a, place.building_b]),
        ("agent.b", "landlord_agent", [place.building_b]),
        ("gardien", "caretaker", [place.building_a]),
        ("operateur", "operator", []),
        ("mairie", "publisher", [place.building_a, place.building_b]),
        ("boulanger", "merchant", [place.building_a, place.building_b]),
        ("mediatrice", "mediator", [place.building_a]),
    ]:
        place.staff[username] = people.create_staff(
            connection,
            username,
            username.title(),
            STAFF_PASSWORD,
            role,
            buildings,
            publisher_id={
                "publisher": place.publishers["town_hall"],
                "merchant": place.publishers["shop"],
            }.get(role),
            # Staff here read English, so staff-page tests read like the code's messages;
            # tenants keep the box's default language, French.
            locale="en",
        )
    return place


@pytest.fixture(scope="session")
def _estate_template(tmp_path_factory, box_secrets: Path) -> tuple[Path, Estate]:
    # Hashing the staff passwords and building the estate costs about a second; it is
    # done once and the database file is copied into each test's box.
    database = tmp_path_factory.mktemp("estate") / "box.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    migrations.upgrade(engine)
    pepper = json.loads(box_secrets.read_text(encoding="utf-8"))["access_code_pepper"]
    with engine.begin() as connection:
        place = build_estate(connection, pepper)
    engine.dispose()
    return database, place


@pytest.fixture
def small_estate(engine, _estate_template) -> Estate:
    """A residence with two buildings, four dwellings with live codes, and staff."""
    template, place = _estate_template
    engine.dispose()
    copy_database(template, Path(engine.url.database))
    return copy.deepcopy(place)


@pytest.fixture(scope="session")
def static_dir(tmp_path_factory) -> Path:
    """One folder of built static files for the session: they depend on the sources only."""
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def app(data_dir: Path, engine, static_dir: Path):
    app = create_app(
        {
            "data_dir": str(data_dir),
            "static_dir": str(static_dir),
            "login_attempts_per_address": 1000,
        }
    )
    app.config["TESTING"] = True
    yield app
    app.extensions["engine"].dispose()


_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_MEMBER = re.compile(r'name="member_id" value="([^"]+)"')


class Browser:
    """A test client that fills in forms the way a browser does, CSRF token included."""

    def __init__(self, client):
        self.client = client

    def token(self, page: str = "/welcome") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = _TOKEN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: dict | None = None, form_page: str | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(form_page or "/welcome"))
        return self.client.post(url, data=data, **kwargs)

    def activate(self, code: str, name: str = "Odette", locale: str = "fr", pin: str = PIN):
        """Type the code and create a profile, as a new household member does; a member
        already there (every test profile has the PIN ``PIN``) vouches when one must."""
        self.post("/welcome", {"code": code})
        fields = {"display_name": name, "locale": locale, "pin": pin, "pin_confirm": pin}
        member = _MEMBER.search(self.get("/welcome/join").get_data(as_text=True))
        if member:
            fields.update(member_id=member.group(1), member_pin=PIN)
        return self.post("/welcome/join", fields, form_page="/welcome/join")

    def sign_in_staff(self, username: str, password: str = STAFF_PASSWORD):
        return self.post(
            "/staff/sign-in",
            {"username": username, "password": password},
            form_page="/staff/sign-in",
        )


@pytest.fixture
def browser(app) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def other_browser(app) -> Browser:
    return Browser(app.test_client())
