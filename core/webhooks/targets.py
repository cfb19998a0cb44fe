"""Where webhooks may be sent: public https addresses only, so that no partner can make the
site call into its own network (server-side request forgery).

An endpoint's host is resolved when it is registered and again before every request, and the
request goes to the address that was checked (``deliver`` pins it), so a name that later
resolves to a private address cannot slip through. ``WEBHOOK_ALLOW_LOOPBACK`` (on for the demo
and tests, off in production) also admits plain http to 127.0.0.1, ::1 and localhost.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query string
    address: str  # the checked IP address the request goes to


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(
            f"The host {host!r} cannot be resolved.", code="unresolvable"
        ) from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_target(url: str, *, resolve: bool = True) -> Target:
    """The target ``url`` stands for, or a ``ValidationError`` saying why it may not be used."""
    allow_loopback = settings.WEBHOOK_ALLOW_LOOPBACK
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ValidationError("Enter a valid URL.", code="invalid") from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if scheme not in ("https", "http") or not host:
        raise ValidationError("Enter an https:// URL.", code="scheme")
    if parts.username or parts.password:
        raise ValidationError("The URL may not contain a user name or password.", code="userinfo")
    if parts.fragment:
        raise ValidationError("The URL may not contain a #fragment.", code="fragment")
    port = port or (443 if scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    loopback_host = host in LOOPBACK_NAMES or (literal is not None and literal.is_loopback)
    if loopback_host and allow_loopback:
        addresses = [str(literal)] if literal else (_resolve(host, port) if resolve else [host])
        if (
            literal is None
            and resolve
            and not all(ipaddress.ip_address(a).is_loopback for a in addresses)
        ):
            raise ValidationError(f"{host} does not resolve to a loopback address.")
        return Target(scheme, host, port, path, addresses[0])
    if scheme != "https":
        raise ValidationError("Webhook URLs must use https://.", code="scheme")
    if loopback_host:
        raise ValidationError(
            "Webhooks cannot be sent to this machine (loopback addresses).", code="private"
        )
    if literal is not None:
        addresses = [str(literal)]
    elif resolve:
        addresses = _resolve(host, port)
    else:
        return Target(scheme, host, port, path, host)
    for address in addresses:
        if not _is_public(ipaddress.ip_address(address.split("%")[0])):
            raise ValidationError(
                "Webhooks cannot be sent to private, loopback, link-local or reserved network "
                f"addresses ({host} is {address}).",
                code="private",
            )
    return Target(scheme, host, port, path, addresses[0])
