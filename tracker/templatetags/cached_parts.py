"""``{% cachedpart name %} ... {% endcachedpart %}``: a part of an analyst page, kept rendered.

The part is stored under its name, the data's version, the page's address and the language
(``tracker.cache.cached``): the same page asked for again before the data change is sent as
rendered before, and the first request after a write renders it afresh. Like Django's
``{% cache %}``, with the key every analyst page needs and a cache that may fail: the part is
then rendered as if nothing were cached.

What the part shows comes from values the page's selector computes ``lazily``
(tracker/selectors/pages.py): a part found in the cache reads none of them.

A new release of the code renews the data's version as well (its ``migrate`` does), so no part
rendered by the one before is served. In development (``DEBUG``) parts are not kept at all:
a change to a template or to the code shows on the next request.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.template.base import Parser, Token
from django.utils.safestring import SafeString

from tracker.cache import cached, language_key

register = template.Library()


@register.tag
def cachedpart(parser: Parser, token: Token) -> CachedPartNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            "{% cachedpart %} takes the part's name: {% cachedpart pledge-table %}"
        )
    nodelist = parser.parse(("endcachedpart",))
    parser.delete_first_token()
    return CachedPartNode(bits[1], nodelist)


class CachedPartNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        if settings.DEBUG:
            return self.nodelist.render(context)
        address = context["request"].get_full_path()
        try:
            store = caches["template_fragments"]
        except InvalidCacheBackendError:  # settings with one cache only (tests, benchmarks)
            store = caches["default"]
        return cached(
            f"part:{self.name}",
            (address, language_key()),
            lambda: self.nodelist.render(context),
            store=store,
        )
