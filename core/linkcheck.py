"""Checking external links on demand: a HEAD request to each address, with short timeouts.

Run only when an editor asks (the broken-links report's button, a POST), never on page load:
at most ``MAX_LINKS`` addresses, ``WORKERS`` at a time, each given ``TIMEOUT`` seconds to
connect and answer, so a check ends within ``MAX_LINKS / WORKERS * TIMEOUT`` seconds however
slow the far sites are. A server that refuses HEAD (405, 501) is asked again with a GET whose
body is not read. Redirects are followed (as HEAD), up to urllib's limit. Only http and https
addresses are checked.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_LINKS = 50
WORKERS = 8
TIMEOUT = 3.0
USER_AGENT = "PolicyCMS link check"


@dataclass(frozen=True)
class Result:
    url: str
    #: The HTTP status of the answer, or None when there was none.
    status: int | None
    #: Why the link fails ("" when it works).
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem


class _KeepMethod(urllib.request.HTTPRedirectHandler):
    """Follow a redirect with the same method (urllib would turn a HEAD into a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_opener = urllib.request.build_opener(_KeepMethod)


def _ask(url: str, method: str, timeout: float) -> int:
    # check() lets only http(s) addresses through.
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    with _opener.open(request, timeout=timeout) as response:
        return response.status


def check(url: str, *, timeout: float = TIMEOUT) -> Result:
    """Whether ``url`` answers a HEAD request (or, refused, a GET) with a status below 400."""
    if urlsplit(url).scheme not in ("http", "https"):
        return Result(url, None, "not an http(s) address")
    for method in ("HEAD", "GET"):
        try:
            status = _ask(url, method, timeout)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (405, 501):
                continue
            return Result(url, exc.code, f"answers {exc.code} {exc.reason}")
        except TimeoutError:
            return Result(url, None, f"no answer within {timeout:g} s")
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                return Result(url, None, f"no answer within {timeout:g} s")
            return Result(url, None, f"unreachable ({reason})")
        except (OSError, ValueError) as exc:
            return Result(url, None, f"unreachable ({exc})")
        return Result(url, status, "")
    return Result(url, None, "refuses HEAD and GET")


def check_all(urls: list[str], *, limit: int = MAX_LINKS, timeout: float = TIMEOUT) -> list[Result]:
    """The results for the first ``limit`` of ``urls``, checked ``WORKERS`` at a time, in the
    order given."""
    wanted = list(dict.fromkeys(urls))[:limit]
    if not wanted:
        return []
    with ThreadPoolExecutor(max_workers=min(WORKERS, len(wanted))) as pool:
        return list(pool.map(lambda url: check(url, timeout=timeout), wanted))
