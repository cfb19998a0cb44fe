"""Citation downloads read by real consumers: rispy for RIS, citeproc-py for CSL-JSON.

Both libraries are independent of the code that writes the files, so a field that a reference
manager or citation processor would misread fails here.
"""

import json

import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(citable_site):
    """Every test here builds links on the same site address as the shared article."""


def download(client, ext: str) -> bytes:
    response = client.get(f"/journal/articles/data-governance/cite.{ext}")
    assert response.status_code == 200
    return response.content


def test_ris_reads_back_with_rispy(client, article):
    (entry,) = rispy.loads(download(client, "ris").decode())

    assert entry["type_of_reference"] == "JOUR"
    assert entry["title"] == "Data governance for AI"
    assert entry["authors"] == ["Verhulst, Stefaan G.", "Dupont, Jean-Pierre"]
    assert entry["year"] == "2025"
    assert entry["journal_name"] == "Data & Policy"
    assert entry["doi"] == "10.1017/dap.2025.12"
    assert (entry["volume"], entry["number"]) == ("7", "1")
    assert (entry["start_page"], entry["end_page"]) == ("12", "30")
    assert entry["urls"] == ["https://policy.example.org/journal/articles/data-governance/"]


# citeproc-py knows no CSL "license" variable yet and says so; the rest of the item is read.
@pytest.mark.filterwarnings("ignore:The following arguments for Reference are unsupported")
def test_csl_json_renders_a_bibliography_with_citeproc(client, article):
    items = json.loads(download(client, "json"))
    source = CiteProcJSON(items)
    # A style bundled with citeproc-py: nothing is fetched.
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))

    (entry,) = [str(rendered) for rendered in bibliography.bibliography()]

    assert "Data governance for AI" in entry
    assert entry.index("Verhulst") < entry.index("Dupont")
    assert "Hidden" not in entry
    assert "2025" in entry
    assert "Data & Policy" in entry
    assert "7(1), pp. 12–30" in entry
    assert "https://doi.org/10.1017/dap.2025.12" in entry
