"""OAI-PMH 2.0 for the journal, so that BASE, CORE, Unpaywall and library discovery systems
harvest its articles (https://www.openarchives.org/OAI/openarchivesprotocol.html).

One endpoint, ``/oai/``, answers the six verbs over GET and POST. What it serves:

- **Records** are the published articles (``Article.objects.published()``), with only their
  published authors (``ArticleAuthor.objects.published()``), topics and collections.
- **Deleted records** are articles that were public and are no longer: archived ones whose
  publication time had come, and published ones whose ``unpublish_at`` has passed. They are
  reported with a header alone (``status="deleted"``), never their content. An article
  deleted from the database, or returned to draft, leaves no trace, so the repository
  declares ``deletedRecord`` *transient*.
- **Sets** are the published collections (``setSpec`` is the collection's slug; flat, no
  hierarchy). While no collection is public the repository has no sets: ``ListSets`` and a
  ``set`` argument answer ``noSetHierarchy``.
- **Formats**: ``oai_dc`` (simple Dublin Core, required by the protocol) and
  ``oai_openaire`` (OpenAIRE Guidelines for Literature Repositories 4: DataCite creators with
  ORCID iDs and affiliations, DOI, COAR resource types, licence, access right, the citation's
  journal, volume, issue and pages), the richer format that OpenAIRE and BASE read.
- **Datestamps** (granularity seconds, UTC) are when the public version last changed: the
  latest of the article's last save (``updated_at``) and its ``publish_at``; for a deleted
  record, also its ``unpublish_at`` once passed. A scheduled article thus appears to
  ``from``/``until`` harvests at the moment it goes live, with no job to run. Changes to an
  author's person record or to the journal do not move an article's datestamp (saving the
  article in the admin, as editors do when they change its authors, does).
- **Resumption tokens** are stateless: the list's arguments and the last identifier sent,
  signed with the site's secret key (``django.core.signing``) and valid for a day. Pages
  follow the primary key, so records added during a harvest come at its end and none is
  skipped or repeated.

Every bad argument answers with the protocol's own error codes (HTTP 200, as the protocol
asks), never a 500.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db.models import BooleanField, Case, DateTimeField, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from core.links import absolute_url, site_host
from core.publishing import Status, prefetch_published, published_q
from core.xmltext import xml_safe
from events.models import Topic

from .models import Article, ArticleAuthor, Collection, Journal, Licence

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
OAIRE = "http://namespace.openaire.eu/schema/oaire/"
DATACITE = "http://datacite.org/schema/kernel-4"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
#: Records per page of ListRecords and ListIdentifiers (``settings.OAI_PAGE_SIZE`` overrides).
PAGE_SIZE = 100
TOKEN_MAX_AGE = timedelta(days=1)
RESUMPTION_SIGNING = "publications.oai.resumption"

#: verb -> (required arguments, optional arguments); ``resumptionToken`` is exclusive.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset({"resumptionToken"})),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set", "resumptionToken"}),
    ),
}

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SECOND_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SET_SPEC_RE = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")


class OAIError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- what is harvested -----------------------------------------------------------------------


def harvestable(now: datetime) -> QuerySet[Article]:
    """Published articles and the deleted records, each with its ``datestamp`` and ``gone``.

    A deleted record must have been public: its publication time had come, and then it was
    archived or its ``unpublish_at`` passed. Drafts, items in review and rejected ones are
    never reported, not even as a header.
    """
    once_public = Q(publish_at__lte=now) & (
        Q(status=Status.ARCHIVED) | Q(status=Status.PUBLISHED, unpublish_at__lte=now)
    )
    gone = Article.objects.filter(published_q("journal__", at=now) & once_public)
    ended = Case(
        When(unpublish_at__lte=now, then=F("unpublish_at")),
        default=F("publish_at"),
        output_field=DateTimeField(),
    )
    return (Article.objects.published(at=now) | gone).annotate(
        datestamp=Greatest(F("updated_at"), F("publish_at"), ended, output_field=DateTimeField()),
        gone=Case(
            When(published_q(at=now), then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        ),
    )


def with_record_data(articles: QuerySet[Article]) -> QuerySet[Article]:
    """Everything a record shows, in a fixed number of queries, published rows only."""
    return articles.select_related("journal__publisher", "pdf").prefetch_related(
        prefetch_published("topics", Topic, to_attr="public_topics"),
        prefetch_published("collections", Collection, to_attr="public_collections"),
        prefetch_published(
            "authorships",
            ArticleAuthor,
            ArticleAuthor.objects.select_related("person", "affiliation").order_by("order", "id"),
            to_attr="public_authorships",
        ),
    )


# --- identifiers, dates and tokens -----------------------------------------------------------


def identifier(article: Article) -> str:
    return f"oai:{site_host()}:article/{article.pk}"


def article_pk(value: str) -> int | None:
    prefix = f"oai:{site_host()}:article/"
    local = value[len(prefix) :]
    # Only plain digits that fit the database's integer reach a query.
    if not value.startswith(prefix) or not re.fullmatch(r"[0-9]{1,18}", local):
        return None
    return int(local)


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _after(moment: datetime, step: timedelta) -> datetime:
    """The end of the span starting at ``moment``; the last day of year 9999 ends the calendar."""
    try:
        return moment + step
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def parse_date(value: str, name: str, *, end: bool) -> tuple[datetime, str]:
    """A ``from``/``until`` value as an instant (``end``: the last second it covers) and its
    granularity."""
    try:
        if DAY_RE.match(value):
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
            return (_after(day, timedelta(days=1)) if end else day), "day"
        if SECOND_RE.match(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return (_after(moment, timedelta(seconds=1)) if end else moment), "second"
    except ValueError:
        pass
    raise OAIError(
        "badArgument", f"'{name}' must be a date (YYYY-MM-DD) or a UTC time ({GRANULARITY})."
    )


@dataclass(frozen=True)
class ListQuery:
    """What a ListRecords/ListIdentifiers request asks for; a resumption token carries it."""

    verb: str
    prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None
    after: int = 0
    cursor: int = 0

    def token(self, *, after: int, cursor: int) -> str:
        data = [self.verb, self.prefix, self.set_spec, self.from_, self.until, after, cursor]
        return signing.dumps(data, salt=RESUMPTION_SIGNING, compress=True)

    @classmethod
    def from_token(cls, verb: str, token: str) -> ListQuery:
        try:
            data = signing.loads(token, salt=RESUMPTION_SIGNING, max_age=TOKEN_MAX_AGE)
            token_verb, prefix, set_spec, from_, until, after, cursor = data
        except (signing.BadSignature, ValueError, TypeError):
            raise OAIError(
                "badResumptionToken", "The resumption token is invalid or expired."
            ) from None
        if token_verb != verb:
            raise OAIError("badResumptionToken", f"This resumption token is not for {verb}.")
        return cls(verb, prefix, set_spec, from_, until, after, cursor)


# --- metadata formats ------------------------------------------------------------------------


def _text(value: str) -> str:
    return xml_safe(value).strip()


def _plain(rich: str) -> str:
    """Rich text as the plain text harvesters index (tags dropped, entities decoded)."""
    return _text(html.unescape(strip_tags(rich or "")))


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v})
    if text:
        element.text = _text(text)
    return element


def _authors(article: Article) -> list[tuple[ArticleAuthor, str]]:
    """Published authors in order, each with the affiliation to print (if public)."""
    result = []
    for authorship in article.public_authorships:
        affiliation = authorship.affiliation_text
        if authorship.affiliation is not None and authorship.affiliation.is_published:
            affiliation = authorship.affiliation.name
        result.append((authorship, affiliation))
    return result


def _publisher(article: Article) -> str:
    publisher = article.journal.publisher
    return publisher.name if publisher is not None and publisher.is_published else ""


def _page_range(pages: str) -> tuple[str, str]:
    """ "12–30" -> ("12", "30"); "e12" -> ("e12", "")."""
    first, *rest = re.split(r"\s*[–—-]\s*", pages.strip(), maxsplit=1)
    return first, (rest[0] if rest else "")


def _issued(article: Article) -> str:
    day = article.published_on or timezone.localdate(article.publish_at)
    return day.isoformat()


def oai_dc(article: Article) -> etree._Element:
    """Simple Dublin Core, as the protocol requires of every repository."""
    root = etree.Element(
        f"{{{OAI_DC}}}dc",
        nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
        attrib={
            f"{{{XSI}}}schemaLocation": f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
        },
    )
    dc = f"{{{DC}}}"
    _sub(root, dc + "title", article.title)
    for authorship, _affiliation in _authors(article):
        _sub(root, dc + "creator", authorship.person.sort_name or authorship.person.name)
    for topic in article.public_topics:
        _sub(root, dc + "subject", topic.name)
    if abstract := _plain(article.abstract):
        _sub(root, dc + "description", abstract)
    if publisher := _publisher(article):
        _sub(root, dc + "publisher", publisher)
    _sub(root, dc + "date", _issued(article))
    _sub(root, dc + "type", "info:eu-repo/semantics/article")
    _sub(root, dc + "type", article.get_article_type_display())
    if article.pdf_id:
        _sub(root, dc + "format", "application/pdf")
    _sub(root, dc + "identifier", absolute_url(article.get_absolute_url()))
    if article.doi:
        _sub(root, dc + "identifier", article.doi_url)
    _sub(root, dc + "source", _source(article))
    for issn in (article.journal.issn, article.journal.eissn):
        if issn:
            _sub(root, dc + "source", f"ISSN {issn}")
    _sub(root, dc + "rights", "info:eu-repo/semantics/openAccess")
    if article.licence_url:
        _sub(root, dc + "rights", article.licence_url)
    return root


def _source(article: Article) -> str:
    parts = [article.journal.title]
    if article.volume:
        parts.append(f"Vol. {article.volume}")
    if article.issue:
        parts.append(f"No. {article.issue}")
    if article.pages:
        parts.append(article.pages)
    return ", ".join(parts)


#: Article type -> COAR resource type (https://vocabularies.coar-repositories.org/resource_types/)
COAR_TYPES = {
    Article.ArticleType.RESEARCH: ("c_2df8fbb1", "research article"),
    Article.ArticleType.REVIEW: ("c_dcae04bc", "review article"),
    Article.ArticleType.EDITORIAL: ("c_b239ab7e", "editorial"),
    Article.ArticleType.DATA_PAPER: ("c_beb9", "data paper"),
}
COAR_JOURNAL_ARTICLE = ("c_6501", "journal article")
COAR_OPEN_ACCESS = "http://purl.org/coar/access_right/c_abf2"
COAR_VERSION_OF_RECORD = "http://purl.org/coar/version/c_970fb48d4fbd8a85"


def oai_openaire(article: Article) -> etree._Element:
    """OpenAIRE Guidelines for Literature Repositories v4 (``oai_openaire``)."""
    root = etree.Element(
        f"{{{OAIRE}}}resource",
        nsmap={"oaire": OAIRE, "datacite": DATACITE, "dc": DC, "xsi": XSI},
        attrib={
            f"{{{XSI}}}schemaLocation": (
                f"{OAIRE} https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd"
            )
        },
    )
    dci, dc, oaire = f"{{{DATACITE}}}", f"{{{DC}}}", f"{{{OAIRE}}}"
    _sub(_sub(root, dci + "titles"), dci + "title", article.title)
    authors = _authors(article)
    if authors:
        creators = _sub(root, dci + "creators")
        for authorship, affiliation in authors:
            person = authorship.person
            creator = _sub(creators, dci + "creator")
            _sub(creator, dci + "creatorName", person.sort_name or person.name, nameType="Personal")
            family, _, given = (person.sort_name or "").partition(", ")
            if given:
                _sub(creator, dci + "givenName", given)
                _sub(creator, dci + "familyName", family)
            if person.orcid:
                _sub(
                    creator,
                    dci + "nameIdentifier",
                    person.orcid,
                    nameIdentifierScheme="ORCID",
                    schemeURI="https://orcid.org",
                )
            if affiliation:
                _sub(creator, dci + "affiliation", affiliation)
    page_url = absolute_url(article.get_absolute_url())
    if article.doi:
        _sub(root, dci + "identifier", article.doi, identifierType="DOI")
        alternates = _sub(root, dci + "alternateIdentifiers")
        _sub(alternates, dci + "alternateIdentifier", page_url, alternateIdentifierType="URL")
    else:
        _sub(root, dci + "identifier", page_url, identifierType="URL")
    issns = [issn for issn in (article.journal.eissn, article.journal.issn) if issn]
    if issns:
        related = _sub(root, dci + "relatedIdentifiers")
        for issn in issns:
            _sub(
                related,
                dci + "relatedIdentifier",
                issn,
                relatedIdentifierType="ISSN",
                relationType="IsPartOf",
            )
    _sub(_sub(root, dci + "dates"), dci + "date", _issued(article), dateType="Issued")
    if publisher := _publisher(article):
        _sub(root, dc + "publisher", publisher)
    coar, label = COAR_TYPES.get(article.article_type, COAR_JOURNAL_ARTICLE)
    _sub(
        root,
        oaire + "resourceType",
        label,
        resourceTypeGeneral="literature",
        uri=f"http://purl.org/coar/resource_type/{coar}",
    )
    if abstract := _plain(article.abstract):
        _sub(root, dc + "description", abstract)
    if article.pdf_id:
        _sub(root, dc + "format", "application/pdf")
    _sub(root, dci + "rights", "open access", rightsURI=COAR_OPEN_ACCESS)
    if article.licence_url:
        _sub(
            root,
            oaire + "licenseCondition",
            Licence(article.licence).label,
            uri=article.licence_url,
            startDate=_issued(article),
        )
    if article.public_topics:
        subjects = _sub(root, dci + "subjects")
        for topic in article.public_topics:
            _sub(subjects, dci + "subject", topic.name)
    _sub(root, oaire + "version", "VoR", uri=COAR_VERSION_OF_RECORD)
    if article.pdf_id:
        _sub(
            root,
            oaire + "file",
            absolute_url(article.pdf.url),
            accessRightsURI=COAR_OPEN_ACCESS,
            mimeType="application/pdf",
            objectType="fulltext",
        )
    _sub(root, oaire + "citationTitle", article.journal.title)
    if article.volume:
        _sub(root, oaire + "citationVolume", article.volume)
    if article.issue:
        _sub(root, oaire + "citationIssue", article.issue)
    if article.pages:
        first, last = _page_range(article.pages)
        if first:
            _sub(root, oaire + "citationStartPage", first)
        if last:
            _sub(root, oaire + "citationEndPage", last)
    return root


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str
    build: Callable[[Article], etree._Element]


FORMATS = {
    f.prefix: f
    for f in (
        MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, oai_dc),
        MetadataFormat(
            "oai_openaire",
            "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd",
            OAIRE,
            oai_openaire,
        ),
    )
}


# --- the verbs -------------------------------------------------------------------------------


def _o(tag: str) -> str:
    return f"{{{OAI}}}{tag}"


def _header(parent: etree._Element, article: Article) -> None:
    header = _sub(parent, _o("header"), status="deleted" if article.gone else None)
    _sub(header, _o("identifier"), identifier(article))
    _sub(header, _o("datestamp"), datestamp(article.datestamp))
    for collection in article.public_collections:
        _sub(header, _o("setSpec"), collection.slug)


def _record(parent: etree._Element, article: Article, fmt: MetadataFormat) -> None:
    record = _sub(parent, _o("record"))
    _header(record, article)
    if not article.gone:  # a deleted record is its header alone, never its content
        _sub(record, _o("metadata")).append(fmt.build(article))


def _format(prefix: str) -> MetadataFormat:
    try:
        return FORMATS[prefix]
    except KeyError:
        raise OAIError(
            "cannotDisseminateFormat",
            f"'{prefix}' is not served here; use one of {', '.join(FORMATS)}.",
        ) from None


def _find(value: str, now: datetime) -> Article:
    pk = article_pk(value)
    article = None
    if pk is not None:
        article = with_record_data(harvestable(now)).filter(pk=pk).first()
    if article is None:
        raise OAIError("idDoesNotExist", f"'{value}' is not an identifier of this repository.")
    return article


def identify(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    body = _sub(out, _o("Identify"))
    journals = [journal.title for journal in Journal.objects.published(at=now)]
    _sub(body, _o("repositoryName"), f"{settings.SITE_NAME}: {', '.join(journals) or 'journal'}")
    _sub(body, _o("baseURL"), absolute_url(reverse("oai-pmh")))
    _sub(body, _o("protocolVersion"), "2.0")
    _sub(body, _o("adminEmail"), admin_email())
    earliest = harvestable(now).aggregate(earliest=Min("datestamp"))["earliest"]
    _sub(body, _o("earliestDatestamp"), datestamp(earliest or now))
    _sub(body, _o("deletedRecord"), "transient")
    _sub(body, _o("granularity"), GRANULARITY)
    host = site_host()
    # The oai-identifier scheme needs a domain name as the repository's identifier.
    if re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+", host):
        description = _sub(body, _o("description"))
        scheme = etree.SubElement(
            description,
            f"{{{OAI_IDENTIFIER}}}oai-identifier",
            nsmap={None: OAI_IDENTIFIER, "xsi": XSI},
            attrib={
                f"{{{XSI}}}schemaLocation": (
                    f"{OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
                )
            },
        )
        for tag, text in (
            ("scheme", "oai"),
            ("repositoryIdentifier", host),
            ("delimiter", ":"),
            ("sampleIdentifier", f"oai:{host}:article/1"),
        ):
            _sub(scheme, f"{{{OAI_IDENTIFIER}}}{tag}", text)


def admin_email() -> str:
    return getattr(settings, "OAI_ADMIN_EMAIL", "") or f"webmaster@{site_host()}"


def list_metadata_formats(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    if "identifier" in args and _find(args["identifier"], now).gone:
        raise OAIError("noMetadataFormats", "This record is deleted; no metadata is served.")
    body = _sub(out, _o("ListMetadataFormats"))
    for fmt in FORMATS.values():
        element = _sub(body, _o("metadataFormat"))
        _sub(element, _o("metadataPrefix"), fmt.prefix)
        _sub(element, _o("schema"), fmt.schema)
        _sub(element, _o("metadataNamespace"), fmt.namespace)


def list_sets(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    if "resumptionToken" in args:
        raise OAIError("badResumptionToken", "The list of sets is sent whole, without tokens.")
    collections = list(Collection.objects.published(at=now).order_by("slug"))
    if not collections:
        raise OAIError("noSetHierarchy", "No collection is published: there are no sets.")
    body = _sub(out, _o("ListSets"))
    for collection in collections:
        element = _sub(body, _o("set"))
        _sub(element, _o("setSpec"), collection.slug)
        _sub(element, _o("setName"), collection.title)
        if description := _plain(collection.description):
            dc = etree.Element(
                f"{{{OAI_DC}}}dc",
                nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI},
                attrib={
                    f"{{{XSI}}}schemaLocation": (
                        f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
                    )
                },
            )
            _sub(dc, f"{{{DC}}}description", description)
            _sub(element, _o("setDescription")).append(dc)


def get_record(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    fmt = _format(args["metadataPrefix"])
    article = _find(args["identifier"], now)
    _record(_sub(out, _o("GetRecord")), article, fmt)


def _list_query(verb: str, args: dict[str, str]) -> ListQuery:
    if "resumptionToken" in args:
        return ListQuery.from_token(verb, args["resumptionToken"])
    return ListQuery(
        verb, args["metadataPrefix"], args.get("set"), args.get("from"), args.get("until")
    )


def _selected(query: ListQuery, now: datetime) -> QuerySet[Article]:
    articles = harvestable(now)
    granularities = set()
    if query.from_:
        start, granularity = parse_date(query.from_, "from", end=False)
        granularities.add(granularity)
        articles = articles.filter(datestamp__gte=start)
    if query.until:
        # Datestamps are shown to the second: "until" covers the whole second (or day) named.
        end, granularity = parse_date(query.until, "until", end=True)
        granularities.add(granularity)
        articles = articles.filter(datestamp__lt=end)
    if len(granularities) > 1:
        raise OAIError("badArgument", "'from' and 'until' must have the same granularity.")
    if query.from_ and query.until and start >= end:
        raise OAIError("badArgument", "'from' is later than 'until'.")
    if query.set_spec is not None:
        if not SET_SPEC_RE.match(query.set_spec):
            raise OAIError("badArgument", f"'{query.set_spec}' is not a setSpec.")
        collections = Collection.objects.published(at=now)
        if not collections.exists():
            raise OAIError("noSetHierarchy", "No collection is published: there are no sets.")
        collection = collections.filter(slug=query.set_spec).first()
        if collection is None:
            raise OAIError("noRecordsMatch", f"There is no set '{query.set_spec}'.")
        articles = articles.filter(collections=collection)
    return articles


def _list(verb: str, out: etree._Element, args: dict[str, str], now: datetime) -> None:
    query = _list_query(verb, args)
    fmt = _format(query.prefix)
    selected = _selected(query, now)
    page_size = getattr(settings, "OAI_PAGE_SIZE", PAGE_SIZE)
    page = list(
        with_record_data(selected.filter(pk__gt=query.after)).order_by("pk")[: page_size + 1]
    )
    if not page:
        # Also when the records still to come left the list mid-harvest: a list element
        # must hold at least one item.
        raise OAIError("noRecordsMatch", "No record matches these arguments.")
    more = len(page) > page_size
    page = page[:page_size]
    body = _sub(out, _o(verb))
    for article in page:
        if verb == "ListRecords":
            _record(body, article, fmt)
        else:
            _header(body, article)
    if more or query.cursor:
        total = selected.count()
        token = _sub(
            body,
            _o("resumptionToken"),
            completeListSize=str(total),
            cursor=str(query.cursor),
        )
        if more:
            token.text = query.token(after=page[-1].pk, cursor=query.cursor + len(page))
            token.set("expirationDate", datestamp(now + TOKEN_MAX_AGE))


def list_identifiers(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    _list("ListIdentifiers", out, args, now)


def list_records(out: etree._Element, args: dict[str, str], now: datetime) -> None:
    _list("ListRecords", out, args, now)


HANDLERS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


def parse_arguments(params: QueryDict) -> tuple[str, dict[str, str]]:
    """The verb and its arguments, or the protocol's badVerb / badArgument."""
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "Give exactly one verb: " + ", ".join(VERBS) + ".")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args: dict[str, str] = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if name not in required | optional:
            raise OAIError("badArgument", f"{verb} takes no argument '{name}'.")
        if len(values) != 1:
            raise OAIError("badArgument", f"'{name}' is given more than once.")
        args[name] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OAIError("badArgument", "'resumptionToken' is an exclusive argument.")
    elif missing := sorted(required - args.keys()):
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return verb, args


def respond(params: QueryDict, now: datetime | None = None) -> bytes:
    """The OAI-PMH response document for a request's parameters."""
    now = (now or timezone.now()).replace(microsecond=0)
    root = etree.Element(
        _o("OAI-PMH"),
        nsmap={None: OAI, "xsi": XSI},
        attrib={
            f"{{{XSI}}}schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
        },
    )
    _sub(root, _o("responseDate"), datestamp(now))
    request_element = _sub(root, _o("request"), absolute_url(reverse("oai-pmh")))
    try:
        verb, args = parse_arguments(params)
        # The request's arguments are echoed only once they are known to be legal.
        request_element.set("verb", verb)
        for name, value in args.items():
            request_element.set(name, _text(value))
        HANDLERS[verb](root, args, now)
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()
        for child in root[2:]:
            root.remove(child)
        _sub(root, _o("error"), error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@csrf_exempt  # harvesters POST form-encoded requests; nothing is changed by them
@require_http_methods(["GET", "HEAD", "POST"])
def oai_pmh(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    return HttpResponse(respond(params), content_type="text/xml; charset=utf-8")
