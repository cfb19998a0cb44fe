"""OAI-PMH 2.0 at /oai/: harvested by an independent client (Sickle), checked against the
protocol's structure, every error code, resumption, deleted records, nothing unpublished.

Every response is validated against the protocol's own XML schema (``schemas/OAI-PMH.xsd``,
as the Open Archives Initiative publishes it); ``check_response`` also checks what the schema
leaves open (the base URL, error codes, what a bad request echoes, a deleted record's content).
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from lxml import etree
from sickle import Sickle, oaiexceptions

from core.publishing import Status
from publications.models import Article
from tests.factories import (
    add_author,
    make_article,
    make_collection,
    make_journal,
    make_organisation,
    make_person,
    make_topic,
)

pytestmark = pytest.mark.django_db

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {
    "o": OAI,
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "oaire": "http://namespace.openaire.eu/schema/oaire/",
    "datacite": "http://datacite.org/schema/kernel-4",
}
UTC_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
VERBS = (
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "GetRecord",
    "ListIdentifiers",
    "ListRecords",
)
ERROR_CODES = {
    "badArgument",
    "badResumptionToken",
    "badVerb",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "noSetHierarchy",
}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://policy.example.org"


def oai_id(article: Article) -> str:
    return f"oai:policy.example.org:article/{article.pk}"


def check_header(header) -> None:
    assert header.tag == f"{{{OAI}}}header"
    assert set(header.attrib) <= {"status"}
    assert header.get("status") in (None, "deleted")
    children = [child.tag for child in header]
    assert children[:2] == [f"{{{OAI}}}identifier", f"{{{OAI}}}datestamp"]
    assert set(children[2:]) <= {f"{{{OAI}}}setSpec"}
    assert header[0].text.startswith("oai:policy.example.org:article/")
    assert UTC_SECOND.match(header[1].text)
    for spec in header.findall("o:setSpec", NS):
        assert SET_SPEC.match(spec.text)


OAI_PMH_SCHEMA = etree.XMLSchema(etree.parse(Path(__file__).parent / "schemas" / "OAI-PMH.xsd"))


def check_response(content: bytes):
    """A response valid against OAI-PMH.xsd, with what the protocol adds; the parsed document."""
    root = etree.fromstring(content)
    if not OAI_PMH_SCHEMA.validate(root):
        raise AssertionError(f"not valid against OAI-PMH.xsd: {OAI_PMH_SCHEMA.error_log}")
    assert root.tag == f"{{{OAI}}}OAI-PMH"
    assert root.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == (
        f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
    )
    response_date, request, *body = list(root)
    assert response_date.tag == f"{{{OAI}}}responseDate"
    assert UTC_SECOND.match(response_date.text)
    assert request.tag == f"{{{OAI}}}request"
    assert request.text == "https://policy.example.org/oai/"
    assert set(request.attrib) <= {
        "verb",
        "identifier",
        "metadataPrefix",
        "from",
        "until",
        "set",
        "resumptionToken",
    }
    assert body, "a response holds a verb element or errors"
    if body[0].tag == f"{{{OAI}}}error":
        assert all(e.tag == f"{{{OAI}}}error" and e.get("code") in ERROR_CODES for e in body)
        if body[0].get("code") in ("badVerb", "badArgument"):
            assert not request.attrib, "a bad request echoes only the base URL"
        return root
    (verb_element,) = body
    assert verb_element.tag == f"{{{OAI}}}{request.get('verb')}"
    for record in verb_element.iter(f"{{{OAI}}}record"):
        header, *rest = list(record)
        check_header(header)
        if header.get("status") == "deleted":
            assert rest == [], "a deleted record is its header alone"
        else:
            (metadata,) = rest
            assert metadata.tag == f"{{{OAI}}}metadata"
            assert len(metadata) == 1
    if verb_element.tag == f"{{{OAI}}}ListIdentifiers":
        for header in verb_element.findall("o:header", NS):
            check_header(header)
    tokens = verb_element.findall("o:resumptionToken", NS)
    assert len(tokens) <= 1
    if tokens:
        assert verb_element[-1] is tokens[0], "the token comes last"
        assert set(tokens[0].attrib) <= {"expirationDate", "completeListSize", "cursor"}
        if tokens[0].get("expirationDate"):
            assert UTC_SECOND.match(tokens[0].get("expirationDate"))
    return root


def oai(client, **params):
    response = client.get("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return check_response(response.content)


def error_code(root) -> str | None:
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def backdate(article: Article, days: int) -> None:
    """As if the article was published and last saved ``days`` ago."""
    when = timezone.now() - timedelta(days=days)
    Article.objects.filter(pk=article.pk).update(publish_at=when, updated_at=when)


# --- an independent harvester ----------------------------------------------------------------


def test_a_harvester_gets_every_published_article_then_only_what_changed(live_server, settings):
    settings.OAI_PAGE_SIZE = 2
    journal = make_journal(title="Data & Policy")
    collection = make_collection(journal=journal, slug="special-track")
    old = [make_article(journal=journal, title=f"Old {i}") for i in range(4)]
    old[0].collections.add(collection)
    for article in old:
        backdate(article, 10)
    harvester = Sickle(f"{live_server.url}/oai/", max_retries=0)

    full = list(harvester.ListRecords(metadataPrefix="oai_dc"))

    assert sorted(r.header.identifier for r in full) == sorted(oai_id(a) for a in old)
    assert not any(r.header.deleted for r in full)
    first = next(r for r in full if r.header.identifier == oai_id(old[0]))
    assert first.metadata["title"] == ["Old 0"]
    assert first.header.setSpecs == ["special-track"]
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    edited = Article.objects.get(pk=old[1].pk)
    edited.title = "Old 1, corrected"
    edited.save()
    withdrawn = Article.objects.get(pk=old[2].pk)
    withdrawn.status = Status.ARCHIVED
    withdrawn.save()
    new = make_article(journal=journal, title="New")
    incremental = list(harvester.ListRecords(metadataPrefix="oai_dc", **{"from": since}))

    by_id = {r.header.identifier: r for r in incremental}
    assert set(by_id) == {oai_id(edited), oai_id(withdrawn), oai_id(new)}
    assert by_id[oai_id(edited)].metadata["title"] == ["Old 1, corrected"]
    assert by_id[oai_id(withdrawn)].deleted
    assert not hasattr(by_id[oai_id(withdrawn)], "metadata")
    assert not by_id[oai_id(new)].deleted
    until = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", until=since))
    assert {h.identifier for h in until} == {oai_id(old[0]), oai_id(old[3])}


def test_a_harvester_reads_identify_formats_sets_and_single_records(live_server):
    journal = make_journal(title="Data & Policy")
    make_collection(journal=journal, slug="open-collection", title="Open")
    make_collection(journal=journal, slug="draft-collection", status=Status.DRAFT)
    article = make_article(journal=journal, title="Public")
    harvester = Sickle(f"{live_server.url}/oai/", max_retries=0)

    identify = harvester.Identify()
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "transient"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.baseURL == "https://policy.example.org/oai/"
    assert [f.metadataPrefix for f in harvester.ListMetadataFormats()] == [
        "oai_dc",
        "oai_openaire",
    ]
    assert [s.setSpec for s in harvester.ListSets()] == ["open-collection"]
    record = harvester.GetRecord(identifier=oai_id(article), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Public"]
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier=oai_id(article) + "0", metadataPrefix="oai_dc")


# --- paging ----------------------------------------------------------------------------------


def test_resumption_tokens_page_through_the_whole_list_once(client, settings):
    settings.OAI_PAGE_SIZE = 2
    articles = [make_article() for _ in range(5)]

    seen, cursors, token = [], [], None
    while True:
        params = {"resumptionToken": token} if token else {"metadataPrefix": "oai_dc"}
        root = oai(client, verb="ListIdentifiers", **params)
        seen += [h.text for h in root.iterfind(".//o:header/o:identifier", NS)]
        element = root.find(".//o:resumptionToken", NS)
        assert element.get("completeListSize") == "5"
        cursors.append(element.get("cursor"))
        token = element.text
        if not token:
            break
    assert seen == [oai_id(a) for a in articles]
    assert cursors == ["0", "2", "4"]


def test_a_list_that_fits_one_page_has_no_token(client):
    make_article()
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.find(".//o:resumptionToken", NS) is None


def test_a_token_cannot_be_forged_or_reused_for_another_verb(client, settings):
    settings.OAI_PAGE_SIZE = 1
    make_article(), make_article()
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    token = root.find(".//o:resumptionToken", NS).text

    assert error_code(oai(client, verb="ListIdentifiers", resumptionToken=token)) == (
        "badResumptionToken"
    )
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token[:-2] + "xx")) == (
        "badResumptionToken"
    )
    assert error_code(oai(client, verb="ListRecords", resumptionToken=token)) is None


def test_list_queries_do_not_grow_with_the_records(client, django_assert_num_queries):
    journal = make_journal()
    collection = make_collection(journal=journal)

    def add():
        article = make_article(journal=journal, doi="")
        article.collections.add(collection)
        article.topics.add(make_topic())
        add_author(article, make_person(affiliation=make_organisation()))

    add()
    with django_assert_num_queries(4):
        oai(client, verb="ListRecords", metadataPrefix="oai_openaire")
    for _ in range(4):
        add()
    with django_assert_num_queries(4):
        root = oai(client, verb="ListRecords", metadataPrefix="oai_openaire")
    assert len(root.findall(".//o:record", NS)) == 5


# --- selective harvesting ------------------------------------------------------------------


def test_from_and_until_select_on_the_datestamp(client):
    old, recent = make_article(), make_article()
    backdate(old, 30)
    backdate(recent, 2)
    day = (timezone.now() - timedelta(days=10)).date().isoformat()

    def ids(**params):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return [h.text for h in root.iterfind(".//o:identifier", NS)]

    assert ids(**{"from": day}) == [oai_id(recent)]
    assert ids(until=day) == [oai_id(old)]
    stamp = oai(client, verb="GetRecord", identifier=oai_id(old), metadataPrefix="oai_dc").find(
        ".//o:datestamp", NS
    )
    # "until" names a whole second: the record stamped with it is included.
    assert ids(**{"from": stamp.text, "until": stamp.text}) == [oai_id(old)]


def test_a_scheduled_article_appears_with_its_publication_time_as_datestamp(client):
    article = make_article(publish_at=timezone.now() + timedelta(hours=1))
    assert error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )
    Article.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - timedelta(seconds=5),
        updated_at=timezone.now() - timedelta(days=3),
    )
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    stamp = root.find(".//o:datestamp", NS).text
    assert stamp == Article.objects.get(pk=article.pk).publish_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_set_selects_the_collection(client):
    journal = make_journal()
    inside, _outside = make_article(journal=journal), make_article(journal=journal)
    inside.collections.add(make_collection(journal=journal, slug="track-a"))
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="track-a")
    assert [h.text for h in root.iterfind(".//o:identifier", NS)] == [oai_id(inside)]
    assert error_code(
        oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="unknown")
    ) == ("noRecordsMatch")


# --- nothing unpublished, deleted records ----------------------------------------------------


def test_nothing_unpublished_is_ever_harvested(client):
    journal = make_journal()
    public = make_article(journal=journal, title="Public article")
    add_author(public, make_person(name="Visible Author"))
    add_author(public, make_person(name="Hidden Author", status=Status.DRAFT))
    public.topics.add(make_topic(name="Hidden topic", status=Status.DRAFT))
    public.collections.add(make_collection(journal=journal, slug="hidden-set", status="draft"))
    hidden = [
        make_article(journal=journal, title="Draft article", status=Status.DRAFT),
        make_article(journal=journal, title="Review article", status=Status.REVIEW),
        make_article(journal=journal, title="Rejected article", status=Status.REJECTED),
        make_article(
            journal=journal,
            title="Scheduled article",
            publish_at=timezone.now() + timedelta(days=1),
        ),
        make_article(journal=make_journal(status=Status.DRAFT), title="In draft journal"),
    ]

    texts = b""
    for prefix in ("oai_dc", "oai_openaire"):
        texts += client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": prefix}).content
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert [h.text for h in root.iterfind(".//o:identifier", NS)] == [oai_id(public)]
    assert b"Author, Visible" in texts
    for secret in (b"Hidden", b"Hidden topic", b"hidden-set", b"Draft article"):
        assert secret not in texts
    for article in hidden:
        for verb in ("GetRecord", "ListMetadataFormats"):
            params = {"identifier": oai_id(article)}
            if verb == "GetRecord":
                params["metadataPrefix"] = "oai_dc"
            assert error_code(oai(client, verb=verb, **params)) == "idDoesNotExist"


def test_a_withdrawn_article_is_reported_as_deleted_without_its_content(client):
    archived = make_article(title="Archived secret", abstract="<p>Withdrawn abstract</p>")
    expired = make_article(title="Expired secret")
    Article.objects.filter(pk=archived.pk).update(status=Status.ARCHIVED)
    backdate(expired, 3)
    # It went out of view an hour ago, after its last edit: that is when it changed.
    Article.objects.filter(pk=expired.pk).update(unpublish_at=timezone.now() - timedelta(hours=1))
    never_public = make_article(status=Status.ARCHIVED, publish_at=None, title="Never public")

    response = client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_openaire"})
    root = check_response(response.content)

    headers = root.findall(".//o:header", NS)
    assert {h.findtext("o:identifier", namespaces=NS) for h in headers} == {
        oai_id(archived),
        oai_id(expired),
    }
    assert all(h.get("status") == "deleted" for h in headers)
    assert root.find(".//o:metadata", NS) is None
    for secret in (b"secret", b"Withdrawn abstract", b"Never public"):
        assert secret not in response.content
    expired_stamp = next(
        h.findtext("o:datestamp", namespaces=NS)
        for h in headers
        if h.findtext("o:identifier", namespaces=NS) == oai_id(expired)
    )
    assert expired_stamp == Article.objects.get(pk=expired.pk).unpublish_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    record = oai(client, verb="GetRecord", identifier=oai_id(archived), metadataPrefix="oai_dc")
    assert record.find(".//o:header", NS).get("status") == "deleted"
    assert record.find(".//o:metadata", NS) is None
    assert error_code(oai(client, verb="ListMetadataFormats", identifier=oai_id(archived))) == (
        "noMetadataFormats"
    )
    assert error_code(
        oai(client, verb="GetRecord", identifier=oai_id(never_public), metadataPrefix="oai_dc")
    ) == ("idDoesNotExist")
    identify = oai(client, verb="Identify")
    assert identify.findtext(".//o:deletedRecord", namespaces=NS) == "transient"


# --- the formats -----------------------------------------------------------------------------


def test_oai_dc_and_oai_openaire_describe_the_article(client):
    publisher = make_organisation(name="Cambridge University Press")
    journal = make_journal(title="Data & Policy", eissn="2632-3249", publisher=publisher)
    article = make_article(
        journal=journal,
        title="Data for policy",
        abstract="<p>What <em>data</em> &amp; policy mean.</p>",
        doi="10.1017/dap.2024.1",
        volume="6",
        issue="2",
        pages="e12–e30",
        article_type=Article.ArticleType.REVIEW,
    )
    article.topics.add(make_topic(name="Open data"))
    add_author(
        article,
        make_person(name="Zeynep Engin", orcid="0000-0002-1825-0097"),
        affiliation=make_organisation(name="UCL"),
    )

    dc = oai(client, verb="GetRecord", identifier=oai_id(article), metadataPrefix="oai_dc")
    assert dc.findtext(".//dc:title", namespaces=NS) == "Data for policy"
    assert dc.findtext(".//dc:creator", namespaces=NS) == "Engin, Zeynep"
    assert dc.findtext(".//dc:description", namespaces=NS) == "What data & policy mean."
    assert dc.findtext(".//dc:publisher", namespaces=NS) == "Cambridge University Press"
    assert {e.text for e in dc.iterfind(".//dc:identifier", NS)} == {
        "https://policy.example.org" + article.get_absolute_url(),
        "https://doi.org/10.1017/dap.2024.1",
    }
    assert "ISSN 2632-3249" in {e.text for e in dc.iterfind(".//dc:source", NS)}

    oa = oai(client, verb="GetRecord", identifier=oai_id(article), metadataPrefix="oai_openaire")
    resource = oa.find(".//oaire:resource", NS)
    assert resource.findtext("datacite:identifier", namespaces=NS) == "10.1017/dap.2024.1"
    assert resource.find("datacite:identifier", NS).get("identifierType") == "DOI"
    creator = resource.find("datacite:creators/datacite:creator", NS)
    assert creator.findtext("datacite:nameIdentifier", namespaces=NS) == "0000-0002-1825-0097"
    assert creator.findtext("datacite:affiliation", namespaces=NS) == "UCL"
    assert creator.findtext("datacite:givenName", namespaces=NS) == "Zeynep"
    resource_type = resource.find("oaire:resourceType", NS)
    assert resource_type.get("uri") == "http://purl.org/coar/resource_type/c_dcae04bc"
    assert resource.find("oaire:licenseCondition", NS).get("uri") == (
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert resource.findtext("oaire:citationStartPage", namespaces=NS) == "e12"
    assert resource.findtext("oaire:citationEndPage", namespaces=NS) == "e30"
    assert resource.findtext("oaire:citationVolume", namespaces=NS) == "6"


def test_every_verb_answers_in_the_protocols_structure_over_get_and_post(client):
    journal = make_journal()
    article = make_article(journal=journal)
    article.collections.add(make_collection(journal=journal, description="<p>About</p>"))
    requests = {
        "Identify": {},
        "ListMetadataFormats": {"identifier": oai_id(article)},
        "ListSets": {},
        "GetRecord": {"identifier": oai_id(article), "metadataPrefix": "oai_openaire"},
        "ListIdentifiers": {"metadataPrefix": "oai_dc"},
        "ListRecords": {"metadataPrefix": "oai_dc"},
    }
    for verb in VERBS:
        root = oai(client, verb=verb, **requests[verb])
        assert error_code(root) is None, verb
        assert root.find("o:request", NS).get("verb") == verb
        posted = client.post("/oai/", {"verb": verb, **requests[verb]})
        assert error_code(check_response(posted.content)) is None


# --- every error code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-02-30"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-02-01T10:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-02-01",
                "until": "2025-03-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-01",
                "until": "2025-02-01",
            },
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "metadataPrefix": "jats", "identifier": "{id}"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:article/1"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "nonsense"}, "idDoesNotExist"),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "{id}" + "9" * 40},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "9999-12-31"},
            None,
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a\x00b"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "{deleted}"}, "noMetadataFormats"),
        ({"verb": "ListSets"}, "noSetHierarchy"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "any"}, "noSetHierarchy"),
    ],
)
def test_bad_arguments_get_the_protocols_error_code_never_a_500(client, params, code):
    article = make_article()
    deleted = make_article(status=Status.ARCHIVED, publish_at=timezone.now() - timedelta(days=2))
    ids = {"{id}": oai_id(article), "{deleted}": oai_id(deleted)}
    params = {
        k: v.replace("{id}", ids["{id}"]).replace("{deleted}", ids["{deleted}"])
        if isinstance(v, str)
        else v
        for k, v in params.items()
    }

    root = oai(client, **params)

    assert error_code(root) == code
    if code:
        assert root.find("o:error", NS).text


def test_no_records_at_all_is_no_records_match(client):
    assert error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc")) == (
        "noRecordsMatch"
    )
    assert oai(client, verb="Identify").findtext(".//o:earliestDatestamp", namespaces=NS)


def test_the_demo_journal_is_harvested_whole(client):
    call_command("demo", "--no-serve", stdout=StringIO())
    for prefix in ("oai_dc", "oai_openaire"):
        root = oai(client, verb="ListRecords", metadataPrefix=prefix)
        assert len(root.findall(".//o:record", NS)) == Article.objects.published().count()
    assert oai(client, verb="ListSets").findall(".//o:set", NS)
