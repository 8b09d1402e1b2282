"""Shops' deals and partners' services written in the hub's console, and requests for
help answered on the box: each reaches who it is for, and forms keep what was typed."""

import re
from datetime import date, timedelta

from sqlalchemy import select

from core.domain import deals, partners
from core.storage.schema import audit_log, outbox
from core.storage.schema import deals as deals_table
from core.storage.schema import partners as partners_table
from tests.conftest import Browser


def _outbox_kinds(engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [
            (row.peer_id, row.kind)
            for row in connection.execute(
                select(outbox.c.peer_id, outbox.c.kind).order_by(outbox.c.peer_id, outbox.c.seq)
            )
        ]


def _audited(engine) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(audit_log.c.action)
                .where(audit_log.c.action != "staff.sign_in")
                .order_by(audit_log.c.id)
            ).scalars()
        )


def test_a_shop_publishes_a_deal_for_its_residence_and_takes_it_down(hub, small_estate, engine):
    shop = Browser(hub.test_client())
    shop.sign_in_staff("boulanger")
    today = date.today()
    fields = {
        "title": "Pain offert le lundi",
        "description": "Une baguette offerte pour deux achetées.",
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=200)).isoformat(),
        "residences": small_estate.residence_id,
    }
    too_long = shop.post("/staff/deals", fields, form_page="/staff/deals/new")
    assert too_long.status_code == 422
    assert 'value="Pain offert le lundi"' in too_long.get_data(as_text=True)
    published = shop.post(
        "/staff/deals",
        {**fields, "valid_until": (today + timedelta(days=30)).isoformat()},
        form_page="/staff/deals/new",
    )
    assert published.status_code == 302
    assert "Pain offert le lundi" in shop.get("/staff/deals").get_data(as_text=True)
    assert _outbox_kinds(engine) == [("box-a", "deal.published"), ("box-b", "deal.published")]
    mairie = Browser(hub.test_client())
    mairie.sign_in_staff("mairie")
    assert mairie.get("/staff/deals").status_code == 403

    with engine.connect() as connection:
        deal_id = connection.execute(select(deals_table.c.id)).scalar_one()
    form = shop.get(f"/staff/deals/{deal_id}/change").get_data(as_text=True)
    assert 'value="Pain offert le lundi"' in form
    changed = shop.post(
        f"/staff/deals/{deal_id}/change",
        {
            **fields,
            "title": "Deux baguettes offertes",
            "valid_until": (today + timedelta(days=10)).isoformat(),
        },
        form_page=f"/staff/deals/{deal_id}/change",
    )
    assert changed.status_code == 302
    assert "Deux baguettes offertes" in shop.get("/staff/deals").get_data(as_text=True)
    # Taking down asks first, saying what and for whom.
    confirm = shop.get(f"/staff/deals/{deal_id}/take-down").get_data(as_text=True)
    assert "Take this deal down?" in confirm and "Les Tilleuls" in confirm
    assert mairie.get(f"/staff/deals/{deal_id}/take-down").status_code == 403
    taken = shop.post(f"/staff/deals/{deal_id}/take-down", form_page="/staff/deals")
    assert taken.status_code == 302
    listed = shop.get("/staff/deals").get_data(as_text=True)
    assert "The deal is taken down" in listed and "Deux baguettes offertes" not in listed
    assert shop.get(f"/staff/deals/{deal_id}/take-down").status_code == 404
    assert _outbox_kinds(engine) == [
        ("box-a", "deal.published"),
        ("box-a", "deal.published"),
        ("box-a", "deal.withdrawn"),
        ("box-b", "deal.published"),
        ("box-b", "deal.published"),
        ("box-b", "deal.withdrawn"),
    ]
    assert _audited(engine)[-3:] == ["deal.publish", "deal.change", "deal.withdraw"]


def test_an_operator_lists_a_service_for_the_district(hub, small_estate, engine):
    operator = Browser(hub.test_client())
    operator.sign_in_staff("operateur")
    form = operator.get("/staff/partners/new").get_data(as_text=True)
    district = next(
        value
        for value in re.findall(r'name="scope" value="([^"]+)"', form)
        if value.startswith("district-")
    )
    refused = operator.post(
        "/staff/partners",
        {"name": "Centre social", "category": "social", "description": "", "scope": district},
        form_page="/staff/partners/new",
    )
    assert refused.status_code == 422
    assert 'value="Centre social"' in refused.get_data(as_text=True)
    added = operator.post(
        "/staff/partners",
        {
            "name": "Centre social",
            "category": "social",
            "description": "Aide aux démarches.",
            "address": "38 avenue de la Viste",
            "phone": "04 91 00 00 00",
            "opening_hours": "Mardi au samedi",
            "scope": district,
        },
        form_page="/staff/partners/new",
    )
    assert added.status_code == 302
    assert "Centre social" in operator.get("/staff/partners").get_data(as_text=True)
    assert _outbox_kinds(engine) == [
        ("box-a", "partner.published"),
        ("box-b", "partner.published"),
    ]
    assert _audited(engine) == ["partner.add"]

    with engine.connect() as connection:
        partner_id = connection.execute(select(partners_table.c.id)).scalar_one()
    form = operator.get(f"/staff/partners/{partner_id}/change").get_data(as_text=True)
    building = next(
        value
        for value in re.findall(r'name="scope" value="([^"]+)"', form)
        if value.startswith("building-")
    )
    narrowed = operator.post(
        f"/staff/partners/{partner_id}/change",
        {
            "name": "Centre social",
            "category": "social",
            "description": "Aide aux démarches, sur rendez-vous.",
            "scope": building,
        },
        form_page=f"/staff/partners/{partner_id}/change",
    )
    assert narrowed.status_code == 302
    # The box of the other building takes it down; the one still reached gets it anew.
    assert _outbox_kinds(engine) == [
        ("box-a", "partner.published"),
        ("box-a", "partner.published"),
        ("box-b", "partner.published"),
        ("box-b", "partner.withdrawn"),
    ]
    confirm = operator.get(f"/staff/partners/{partner_id}/take-down").get_data(as_text=True)
    assert "Take this service out of the directory?" in confirm and "Centre social" in confirm
    taken = operator.post(f"/staff/partners/{partner_id}/take-down", form_page="/staff/partners")
    assert taken.status_code == 302
    listed = operator.get("/staff/partners").get_data(as_text=True)
    assert "The service is out of the directory." in listed and "Aide aux démarches" not in listed
    assert _outbox_kinds(engine)[:3] == [
        ("box-a", "partner.published"),
        ("box-a", "partner.published"),
        ("box-a", "partner.withdrawn"),
    ]
    assert _audited(engine) == ["partner.add", "partner.change", "partner.remove"]


def test_a_tenant_asks_for_help_and_the_mediator_answers(app, browser, small_estate):
    browser.activate(small_estate.codes["A-01"], "Odette")
    refused = browser.post(
        "/help",
        {"topic": "", "message": "Je n'arrive pas à envoyer une photo.", "how": "visit"},
        form_page="/help",
    )
    assert refused.status_code == 422
    assert "Je n&#39;arrive pas à envoyer une photo." in refused.get_data(as_text=True)
    asked = browser.post(
        "/help",
        {"topic": "phone", "message": "Je n'arrive pas à envoyer une photo.", "how": "visit"},
        form_page="/help",
    )
    assert asked.status_code == 302
    mediator = Browser(app.test_client())
    mediator.sign_in_staff("mediatrice")
    page = mediator.get("/staff/help-requests").get_data(as_text=True)
    assert "Odette" in page and "A-01" in page
    request_id = re.search(r"/staff/help-requests/(\w+)", page).group(1)
    answered = mediator.post(
        f"/staff/help-requests/{request_id}",
        {"answer": "Je passe demain à 10 h."},
        form_page="/staff/help-requests",
    )
    assert answered.status_code == 302
    assert "Je passe demain à 10 h." in browser.get("/help").get_data(as_text=True)


def test_tenants_see_the_deals_and_services_of_their_place(app, browser, small_estate, engine):
    today = date.today()
    with engine.begin() as connection:
        deals.publish(
            connection,
            small_estate.publishers["shop"],
            "Galette",
            "En janvier.",
            today,
            today + timedelta(days=3),
            [small_estate.residence_id],
        )
        partners.add(
            connection,
            None,
            name="Bibliothèque",
            category="digital",
            description="Aide au numérique.",
            address="",
            phone="",
            opening_hours="",
            scope_kind="city",
            scope_ref="Marseille",
        )
    browser.activate(small_estate.codes["B-01"], "Samia")
    assert "Galette" in browser.get("/deals").get_data(as_text=True)
    assert "Bibliothèque" in browser.get("/services").get_data(as_text=True)
