"""A real hub broker for each test of the link, in the test's own folder."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Estate
from tests.support.linked import link_estate
from tests.support.mosquitto import ONE_LISTENER, Broker
from tests.support.pebble import pebble  # noqa: F401 - a fixture of the link's tests


@pytest.fixture
def broker(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Broker]:
    """The hub's broker, its own listener apart from the boxes' TLS one.

    A test parametrized indirectly with ``ONE_LISTENER`` gets instead the broker of a trial
    on a closed network: one plain listener for the hub and the boxes.
    """
    tls = getattr(request, "param", None) != ONE_LISTENER
    with Broker(tmp_path / "broker", tls=tls) as broker:
        yield broker


@pytest.fixture
def linked(tmp_path: Path, broker: Broker, _estate_template, box_secrets: Path):
    """A hub and a box enrolled for the small estate's two buildings, not yet running."""
    template, _place = _estate_template
    pair = link_estate(tmp_path, broker, template, box_secrets)
    yield pair
    pair.dispose()


@pytest.fixture
def estate(_estate_template) -> Estate:
    """The ids, codes and staff of the estate both sides of ``linked`` start from."""
    return copy.deepcopy(_estate_template[1])
