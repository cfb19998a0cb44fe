"""Text that XML 1.0 can hold: exporters (OAI-PMH, frab) pass every string through it.

Titles and names are plain form fields, and a pasted one may carry control characters that
XML cannot represent (lxml refuses them): they are dropped rather than failing the export.
"""

from __future__ import annotations

import re

NOT_XML_RE = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: object) -> str:
    return NOT_XML_RE.sub("", str(value))
