"""The Jinja2 environment of the pledge table (templates/jinja2/).

The table is the fragment htmx swaps in on every filter, sort and page, so it renders with
Jinja2, autoescaped as Django's templates are. Its strings are marked ``_("...")`` as in
Django's templates, so ``makemessages`` finds them; plurals, which ``makemessages`` reads only
from Python, come ready made from ``tracker/table.py``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import jinja2
from django.template.defaulttags import querystring as django_querystring
from django.utils import translation


@jinja2.pass_context
def querystring(context: jinja2.runtime.Context, **changes: Any) -> str:
    """Django's ``{% querystring %}``: the request's query with ``changes``."""
    return django_querystring(SimpleNamespace(request=context["request"]), **changes)


def environment(**options: Any) -> jinja2.Environment:
    # Block tags leave no blank lines behind: the fragment is sent on every click.
    options = {"trim_blocks": True, "lstrip_blocks": True, **options}
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    env.globals["querystring"] = querystring
    return env
