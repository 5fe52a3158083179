"""XML-RPC over a guarded blog connection: RSD discovery, calls, hostile answers refused.

Requests are marshalled by the standard library's `xmlrpc.client` and sent through
`BlogConnection.send` (the account's origin only, deadlines, the size cap on the unpacked
answer). Only once the whole answer is within the cap is it parsed, by defusedxml's expat
parser: a DTD, an entity declaration (the "billion laughs") or an external reference ends the
parse at once. Faults and HTTP failures become PublishErrors in the writer's words.
"""

from __future__ import annotations

import logging
import xml.parsers.expat
import xmlrpc.client
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import httpx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from defusedxml.xmlrpc import DefusedExpatParser

from editor.publish import errors
from editor.publish.blog_http import BlogConnection
from editor.publish.wordpress_client import WRONG_LOGIN, on_site_origin

log = logging.getLogger(__name__)

XML_ACCEPT = "text/xml, application/xml;q=0.9, */*;q=0.1"
RSD_NAMESPACE = "{http://archipelago.phrasewise.com/rsd}"
WORDPRESS_API = "WordPress"
# The RSD names of the APIs this engine can publish through (Blogger alone has no titles).
PUBLISHING_APIS = (WORDPRESS_API, "MetaWeblog", "Movable Type", "MovableType")
FAULT = "fault"  # an error's `code` starts with this when the blog answered with a fault
WORDPRESS_XMLRPC_PATH = "/xmlrpc.php"  # where WordPress answers when no RSD is linked
WRONG_PASSWORD = (
    "The blog refused the user name or password. Use the user name and password you sign in "
    "to the blog with."
)
XMLRPC_DISABLED = (
    "This blog has XML-RPC turned off, so Draftpress cannot publish through it. Turn it on in "
    "the blog's settings (or ask its host); a WordPress blog can be added as WordPress (its "
    "REST API) instead."
)


@dataclass(frozen=True)
class RsdApi:
    """One API an RSD document lists: its name, blog id, address and whether it is preferred."""

    name: str
    blog_id: str
    link: str
    preferred: bool = False


@dataclass(frozen=True)
class Endpoint:
    """Where a blog's XML-RPC lives and what its RSD document says about it."""

    url: str  # on the account's own origin
    blog_id: str = ""
    engine_name: str = ""  # RSD's engineName ("WordPress", "Movable Type", …); "" without RSD
    apis: tuple[str, ...] = ()  # the API names the RSD lists ("" when there was none)
    from_rsd: bool = False

    @property
    def is_wordpress(self) -> bool:
        """Tell whether the RSD names WordPress's own API."""
        return WORDPRESS_API in self.apis


class _EditUriFinder(HTMLParser):
    """Finds `<link rel="EditURI" href=…>` in a web page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Remember the first EditURI link."""
        if tag != "link" or self.href:
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if "edituri" in values.get("rel", "").lower().split() and values.get("href"):
            self.href = values["href"].strip()


def edit_uri(page: str) -> str:
    """Return the address of the RSD document a blog's page links to ("" when none)."""
    finder = _EditUriFinder()
    try:
        finder.feed(page)
        finder.close()
    except (ValueError, AssertionError):  # HTMLParser gives up on some broken markup
        pass
    return finder.href


def parse_rsd(data: bytes) -> tuple[str, list[RsdApi]]:
    """Return an RSD document's engine name and APIs (ValueError when it is not RSD)."""
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeElementTree.ParseError) as problem:
        raise ValueError(f"not an RSD document: {problem}") from None

    def find(node: Any, name: str) -> Any:
        found = node.find(RSD_NAMESPACE + name)
        return found if found is not None else node.find(name)

    def find_all(node: Any, name: str) -> list[Any]:
        return list(node.iter(RSD_NAMESPACE + name)) + list(node.iter(name))

    if root.tag not in (RSD_NAMESPACE + "rsd", "rsd"):
        raise ValueError("not an RSD document")
    service = find(root, "service")
    engine = find(service, "engineName") if service is not None else None
    apis = [
        RsdApi(
            str(api.get("name", "")).strip(),
            str(api.get("blogID", "")).strip(),
            str(api.get("apiLink", "")).strip(),
            str(api.get("preferred", "")).strip().lower() == "true",
        )
        for api in find_all(root, "api")
    ]
    return (str(engine.text or "").strip() if engine is not None else ""), apis


def choose_api(apis: list[RsdApi]) -> RsdApi | None:
    """Return the API to publish through: WordPress's, else the preferred MetaWeblog-like one."""
    usable = [api for api in apis if api.name in PUBLISHING_APIS and api.link]
    if not usable:
        return None
    ranked = sorted(
        usable,
        key=lambda api: (api.name != WORDPRESS_API, not api.preferred, api.name != "MetaWeblog"),
    )
    return ranked[0]


def fault_error(fault: xmlrpc.client.Fault, action: str, wordpress: bool) -> errors.PublishError:
    """Return the PublishError in the writer's words for an XML-RPC fault (code "fault N")."""
    error = _fault_error(fault, action, wordpress)
    error.code = f"{FAULT} {fault.faultCode}"
    return error


def _fault_error(fault: xmlrpc.client.Fault, action: str, wordpress: bool) -> errors.PublishError:
    """Return the PublishError for a fault, by its code and words."""
    try:
        code = int(fault.faultCode)
    except (TypeError, ValueError):  # a hostile or odd answer: a code that is no number
        code = 0
    said = str(fault.faultString or "").strip()[:300]
    detail = f" (the blog said: {said})" if said else ""
    lowered = said.lower()
    if code == 403 or (
        code in (401, 801) and any(word in lowered for word in ("password", "login", "username"))
    ):
        return errors.WrongCredentials(WRONG_LOGIN if wordpress else WRONG_PASSWORD)
    if code == 405 or "xml-rpc services are disabled" in lowered:
        return errors.ApiUnavailable(XMLRPC_DISABLED)
    if code == 401:
        return errors.NotAllowed(f"This account may not do that while {action}{detail}.")
    if code == 404:
        return errors.NotFound(f"The blog does not have it any more ({action}){detail}.")
    if code == 409:
        return errors.EditedOnServer(
            "This post was changed on the blog since you last published it. Publishing now "
            "would overwrite those changes."
        )
    if code == -32601:
        return errors.ApiUnavailable(
            f"The blog's XML-RPC does not offer what Draftpress needs for {action}{detail}."
        )
    if code == 500 or -32603 <= code <= -32300:
        return errors.ServerError(f"The blog failed while {action}{detail}.")
    return errors.PublishError(f"The blog refused {action}{detail}.")


def parse_answer(data: bytes, action: str, *, wordpress: bool = False) -> Any:
    """Return the one value of an XML-RPC answer; a fault or hostile XML is a PublishError."""
    unmarshaller = xmlrpc.client.Unmarshaller(use_builtin_types=True)
    parser = DefusedExpatParser(unmarshaller, forbid_dtd=True)
    try:
        parser.feed(data)
        parser.close()
        values = unmarshaller.close()
    except xmlrpc.client.Fault as fault:
        raise fault_error(fault, action, wordpress) from None
    except DefusedXmlException:
        raise errors.UnexpectedAnswer(
            f"The blog's answer ({action}) holds XML declarations Draftpress refuses to read "
            "(a document type or entities, which can make a small answer take all memory). "
            "Something between you and the blog may be tampering with its answers."
        ) from None
    except (
        xml.parsers.expat.ExpatError,
        xmlrpc.client.ResponseError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        OverflowError,
    ):
        raise errors.UnexpectedAnswer(
            f"The blog's answer ({action}) is not valid XML-RPC, so Draftpress cannot tell "
            "what the blog did. A plugin or the server may be adding to its answers."
        ) from None
    if len(values) != 1:
        raise errors.UnexpectedAnswer(
            f"The blog's answer ({action}) has {len(values)} values where XML-RPC has one."
        )
    return values[0]


def _looks_like_xml(response: httpx.Response) -> bool:
    """Tell whether an answer is XML (by its start, whatever its content type claims)."""
    start = response.content[:200].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith((b"<?xml", b"<methodresponse"))


def raise_for_http(response: httpx.Response, action: str) -> None:
    """Turn an answer that is not XML-RPC (an error or web page) into a PublishError.

    An XML answer is left to the parser whatever its status: WordPress sends its faults with
    HTTP 405 when XML-RPC is turned off, and the fault says more than the status.
    """
    status = response.status_code
    if _looks_like_xml(response):
        return
    if status == 413:
        raise errors.UploadTooLarge(
            f"The blog refused {action}: it is larger than the server accepts. Make the image "
            "smaller or ask the blog's host to raise the upload limit."
        )
    if status == 503:
        raise errors.ServerError(
            f"The blog is briefly unavailable (HTTP 503) while {action}: it is being updated "
            "or is too busy. Try again in a few minutes."
        )
    if status >= 500:
        raise errors.ServerError(
            f"The blog failed while {action} (HTTP {status}). This is usually temporary: try "
            "again in a few minutes."
        )
    raise errors.ApiUnavailable(
        f"The blog's XML-RPC address answered {action} with a web page (HTTP {status}) "
        "instead of XML-RPC. XML-RPC may be turned off, or blocked by the host or a "
        "security plugin."
    )


@dataclass
class XmlRpcClient:
    """Calls one blog's XML-RPC methods over a guarded `BlogConnection`."""

    connection: BlogConnection
    endpoint: Endpoint | None = None
    wordpress_words: bool = False  # faults in WordPress's words (application passwords)

    def find_endpoint(self) -> Endpoint:
        """Find the XML-RPC address: the page's EditURI, its RSD, else WordPress's /xmlrpc.php."""
        if self.endpoint is not None:
            return self.endpoint
        self.endpoint = discover_endpoint(self.connection)
        if self.endpoint is None:
            site = self.connection.site_url
            self.endpoint = Endpoint(site + WORDPRESS_XMLRPC_PATH)
        self.wordpress_words = self.endpoint.is_wordpress
        return self.endpoint

    def call(self, method: str, *params: Any, action: str, idempotent: bool = False) -> Any:
        """Call `method` with `params`; return its value (faults raised in plain words).

        `idempotent`: the call only reads, or sets what it sets again, so a transient failure
        may send it again. The parameters (passwords among them) are never logged.
        """
        url = self.find_endpoint().url
        body = xmlrpc.client.dumps(params, methodname=method, allow_none=False)
        response = self.connection.send(
            "POST",
            url,
            action,
            idempotent=idempotent,
            content=body.encode("utf-8"),
            headers={"Content-Type": "text/xml; charset=utf-8", "Accept": XML_ACCEPT},
        )
        raise_for_http(response, action)
        return parse_answer(response.content, action, wordpress=self.wordpress_words)


def discover_endpoint(connection: BlogConnection) -> Endpoint | None:
    """Return the XML-RPC endpoint the blog's RSD document names, or None when it has none."""
    site = connection.site_url
    page = connection.send("GET", site + "/", "opening the blog", idempotent=True)
    if page.status_code >= 500:
        raise errors.ServerError(
            f"The blog failed while opening its front page (HTTP {page.status_code}). This is "
            "usually temporary: try again in a few minutes."
        )
    href = edit_uri(page.text) if page.status_code < 400 else ""
    if not href:
        return None
    rsd_url = on_site_origin(str(httpx.URL(site + "/").join(href)), site)
    answer = connection.send(
        "GET", rsd_url, "reading the blog's RSD document", idempotent=True
    )
    if answer.status_code >= 400:
        return None
    try:
        engine, apis = parse_rsd(answer.content)
    except ValueError as problem:
        log.info("the blog's RSD document is unreadable: %s", problem)
        return None
    chosen = choose_api(apis)
    if chosen is None:
        return None
    return Endpoint(
        on_site_origin(chosen.link, site),
        chosen.blog_id,
        engine,
        tuple(api.name for api in apis),
        True,
    )
