"""Fetch a web page for import: http and https only, public addresses only, small and quick.

An editor's URL is fetched by the server, so it must not reach what only the server can reach:
the host's addresses are looked up once, every one must be public, and the connection goes to
the address that was checked (the host name is still sent, and checked against the
certificate), so a second lookup cannot point it elsewhere. Redirects are followed by hand,
each target checked the same way. A page is read for at most ``FETCH_SECONDS`` and
``PAGE_MAX_SIZE`` bytes.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.template.defaultfilters import filesizeformat

from articles.webpage import PAGE_MAX_SIZE

FETCH_SECONDS = 10.0
MAX_REDIRECTS = 5
_CONNECT_SECONDS = 5.0
_CHUNK = 64 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEADERS = {
    "User-Agent": "AidPledgeTracker/1.0 (article import)",
    "Accept": "text/html,application/xhtml+xml;q=0.9",
    # One request per connection, and the page as it is (no compression to unpack past the
    # size limit).
    "Connection": "close",
    "Accept-Encoding": "identity",
}


class FetchError(ValueError):
    """A URL that could not be fetched; the message says why, for the editor."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    content: bytes


def page_fetch(url: str) -> Page:
    """The HTML at ``url``; FetchError says why not."""
    deadline = time.monotonic() + FETCH_SECONDS
    for _ in range(MAX_REDIRECTS + 1):
        with _get(url, deadline) as response:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchError(f"the server answered {response.status} without a target.")
                url = urljoin(url, location)
                continue
            return Page(url=url, content=_content(response, deadline))
    raise FetchError(f"more than {MAX_REDIRECTS} redirects.")


@contextlib.contextmanager
def _get(url: str, deadline: float) -> Iterator[urllib3.BaseHTTPResponse]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("only http and https addresses can be fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise FetchError("the address has an invalid port.") from error
    address = public_address(parts.hostname, port)
    timeout = urllib3.Timeout(connect=_CONNECT_SECONDS, read=_remaining(deadline))
    pool: urllib3.HTTPConnectionPool
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)
    host = parts.netloc.rpartition("@")[2]  # as written: "[2001:db8::1]:8080", no user
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen(
            "GET",
            target,
            headers={**_HEADERS, "Host": host},
            redirect=False,
            preload_content=False,
            retries=False,
        )
    except urllib3.exceptions.HTTPError as error:
        pool.close()
        raise FetchError(_failure(error)) from error
    try:
        yield response
    finally:
        response.release_conn()
        pool.close()


def public_address(host: str, port: int) -> str:
    """The first address of ``host``, when all its addresses are public; FetchError if not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(
            f"the host {host} could not be found: the server has no network, or there is no "
            "such host. Save the page in your browser and import the .html file instead."
        ) from error
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        # "fe80::1%eth0" is a link-local address with its interface.
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not ip.is_global:
            raise FetchError(
                f"{host} is a private or local address ({address}); only public web pages "
                "can be fetched."
            )
    if not addresses:
        raise FetchError(f"the host {host} could not be found.")
    return addresses[0]


def _content(response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
    if response.status != 200:
        reason = f" {response.reason}" if response.reason else ""
        raise FetchError(f"the server answered {response.status}{reason}.")
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type and content_type not in _HTML_TYPES:
        raise FetchError(f"not a web page ({content_type}).")
    too_large = FetchError(f"the page is larger than {filesizeformat(PAGE_MAX_SIZE)}.")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > PAGE_MAX_SIZE:
        raise too_large
    content = bytearray()
    try:
        for chunk in response.stream(_CHUNK):
            content += chunk
            if len(content) > PAGE_MAX_SIZE:
                raise too_large
            if time.monotonic() > deadline:
                raise FetchError(f"the page took longer than {FETCH_SECONDS:.0f} seconds.")
    except urllib3.exceptions.HTTPError as error:
        raise FetchError(_failure(error)) from error
    return bytes(content)


def _failure(error: urllib3.exceptions.HTTPError) -> str:
    """What went wrong, for an editor (urllib3's messages name its objects)."""
    # A refused connection is also a ConnectTimeoutError to urllib3: asked first.
    if isinstance(error, urllib3.exceptions.NewConnectionError):
        return "the server could not be reached (it refused the connection or is down)."
    if isinstance(error, urllib3.exceptions.TimeoutError):
        return f"no answer within {FETCH_SECONDS:.0f} seconds."
    if isinstance(error, urllib3.exceptions.SSLError):
        return "the secure connection failed (the site's certificate is not valid for it)."
    return f"the page could not be fetched ({type(error).__name__})."


def _remaining(deadline: float) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchError(f"no answer within {FETCH_SECONDS:.0f} seconds.")
    return remaining
