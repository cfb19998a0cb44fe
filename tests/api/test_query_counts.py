"""Every list costs the same number of queries for one item as for many."""

import pytest

from tests.factories import (
    add_author,
    add_participant,
    make_article,
    make_collection,
    make_event,
    make_initiative,
    make_journal,
    make_news_post,
    make_organisation,
    make_person,
    make_session,
    make_signatory,
    make_topic,
    make_track,
)

pytestmark = pytest.mark.django_db


def full_event():
    event = make_event(parent=make_event())
    event.hosts.add(make_organisation(), make_organisation())
    event.host_people.add(make_person(), make_person())
    event.topics.add(make_topic())
    return event


def full_session():
    event = make_event()
    session = make_session(
        event=event, track=make_track(event=event, organiser=make_organisation())
    )
    session.hosts.add(make_organisation())
    session.topics.add(make_topic())
    add_participant(session, make_person())
    add_participant(session, make_person(), role="moderator")
    return session


def full_person():
    person = make_person(affiliation=make_organisation())
    person.topics.add(make_topic())
    return person


def full_organisation():
    org = make_organisation(parent=make_organisation())
    org.topics.add(make_topic())
    return org


def full_initiative():
    initiative = make_initiative(
        announced_at=make_event(), part_of=make_initiative(), amount="10", currency="EUR"
    )
    initiative.lead_organisations.add(make_organisation())
    initiative.partner_organisations.add(make_organisation())
    initiative.topics.add(make_topic())
    make_signatory(initiative, country="FR")
    make_signatory(initiative, organisation=make_organisation())
    return initiative


def full_signatory():
    return make_signatory(make_initiative(), organisation=make_organisation())


def full_article():
    article = make_article(journal=make_journal())
    add_author(article, make_person(), affiliation=make_organisation())
    article.topics.add(make_topic())
    return article


def full_collection():
    collection = make_collection(track=make_track())
    collection.editors.add(make_person())
    return collection


def full_news():
    post = make_news_post()
    post.authors.add(make_person())
    post.topics.add(make_topic())
    return post


# url, maker, queries for any number of items
LISTS = [
    ("/api/v1/topics/", make_topic, 2),
    ("/api/v1/organisations/", full_organisation, 4),
    ("/api/v1/people/", full_person, 4),
    ("/api/v1/events/", full_event, 6),
    ("/api/v1/sessions/", full_session, 6),
    ("/api/v1/initiatives/", full_initiative, 7),
    ("/api/v1/signatories/", full_signatory, 4),
    ("/api/v1/journals/", lambda: make_journal(publisher=make_organisation()), 3),
    ("/api/v1/collections/", full_collection, 4),
    ("/api/v1/articles/", full_article, 5),
    ("/api/v1/news/", full_news, 4),
    ("/api/v1/open-data/initiatives.json", full_initiative, 12),
    ("/api/v1/open-data/initiatives.csv", full_initiative, 12),
]


@pytest.mark.parametrize(("url", "make", "queries"), LISTS, ids=[u for u, _, _ in LISTS])
def test_list_query_count_does_not_grow_with_items(
    client, django_assert_num_queries, url, make, queries
):
    make()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    for _ in range(4):
        make()
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_submission_list_query_count_does_not_grow(partner, django_assert_num_queries):
    event = make_event()

    def submit():
        response = partner.client.post(
            "/api/v1/submissions/sessions/",
            {
                "event": event.slug,
                "title": "Side session",
                "start": "2025-02-10T18:00:00+01:00",
                "end": "2025-02-10T19:00:00+01:00",
                "room": "Salle 2",
                "hosts": [partner.organisation.slug],
                "speakers": [{"name": "New Speaker"}, {"person": make_person().slug}],
            },
            format="json",
        )
        assert response.status_code == 201, response.content

    submit()
    partner.client.get("/api/v1/submissions/sessions/")  # the key's last use is now recorded
    # The key, the count, the page, its hosts and its speakers.
    with django_assert_num_queries(5):
        partner.client.get("/api/v1/submissions/sessions/")
    for _ in range(3):
        submit()
    with django_assert_num_queries(5):
        partner.client.get("/api/v1/submissions/sessions/")


def test_event_detail_query_count_does_not_grow_with_hosts(client, django_assert_num_queries):
    event = full_event()
    make_session(event=event)
    url = f"/api/v1/events/{event.slug}/"
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    for _ in range(3):
        event.host_people.add(make_person())
        event.hosts.add(make_organisation())
        make_session(event=event)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def more_for_person(person):
    person.topics.add(make_topic(), make_topic())
    for _ in range(2):
        add_participant(make_session(), person)
        add_author(make_article(), person)


def more_for_organisation(org):
    org.topics.add(make_topic(), make_topic())
    make_organisation(parent=org)
    make_person(affiliation=org)


def more_for_initiative(initiative):
    initiative.lead_organisations.add(make_organisation(), make_organisation())
    initiative.partner_organisations.add(make_organisation(), make_organisation())
    initiative.topics.add(make_topic(), make_topic())
    make_signatory(initiative, country="DE")
    make_signatory(initiative, organisation=make_organisation())


def more_for_article(article):
    for _ in range(3):
        add_author(article, make_person(), affiliation=make_organisation())
    article.topics.add(make_topic(), make_topic())
    article.collections.add(make_collection(journal=article.journal))


def more_for_news(post):
    post.authors.add(make_person(), make_person())
    post.topics.add(make_topic(), make_topic())


def more_for_collection(collection):
    collection.editors.add(make_person(), make_person())
    for _ in range(3):
        make_article(journal=collection.journal).collections.add(collection)


def more_for_session(session):
    session.hosts.add(make_organisation(), make_organisation())
    session.topics.add(make_topic(), make_topic())
    for role in ("speaker", "speaker", "moderator"):
        add_participant(session, make_person(), role=role)


# how the detail is made and found, what adds related items, queries for any number of them
DETAILS = [
    ("person", full_person, lambda o: f"/api/v1/people/{o.slug}/", more_for_person, 4),
    (
        "organisation",
        full_organisation,
        lambda o: f"/api/v1/organisations/{o.slug}/",
        more_for_organisation,
        5,
    ),
    (
        "initiative",
        full_initiative,
        lambda o: f"/api/v1/initiatives/{o.slug}/",
        more_for_initiative,
        13,  # with the sessions about it
    ),
    ("article", full_article, lambda o: f"/api/v1/articles/{o.slug}/", more_for_article, 8),
    ("news", full_news, lambda o: f"/api/v1/news/{o.slug}/", more_for_news, 9),
    (
        "collection",
        full_collection,
        lambda o: f"/api/v1/collections/{o.slug}/",
        more_for_collection,
        4,
    ),
    (
        "session",
        full_session,
        lambda o: f"/api/v1/sessions/{o.event.slug}/{o.slug}/",
        more_for_session,
        6,  # with the initiatives it discussed
    ),
]


@pytest.mark.parametrize(
    ("make", "url", "add_more", "queries"),
    [row[1:] for row in DETAILS],
    ids=[row[0] for row in DETAILS],
)
def test_detail_query_count_does_not_grow_with_related_items(
    client, django_assert_num_queries, make, url, add_more, queries
):
    obj = make()
    address = url(obj)
    client.get(address)
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200
    add_more(obj)
    with django_assert_num_queries(queries):
        assert client.get(address).status_code == 200


# The lists a partner pages through at full size, with what each item embeds.
FULL_PAGES = [
    ("/api/v1/articles/?page_size=100", full_article, 5),
    ("/api/v1/sessions/?page_size=100", full_session, 6),
    ("/api/v1/initiatives/?page_size=100", full_initiative, 7),
]


@pytest.mark.parametrize(("url", "make", "queries"), FULL_PAGES, ids=[u for u, _, _ in FULL_PAGES])
def test_a_page_of_100_costs_the_queries_of_a_page_of_one(
    client, settings, django_assert_num_queries, url, make, queries
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    make()
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["results"]) in (1, 2)  # an initiative's parent too
    for _ in range(99):
        make()
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["results"]) == 100
