"""The Jinja2 environment of the pledge table (templates/jinja2/).

The table is the fragment htmx swaps in on every filter, sort and page, so it renders with
Jinja2, autoescaped as Django's templates are. Its strings are marked ``_("...")`` as in
Django's templates, so ``makemessages`` finds them; plurals, which ``makemessages`` reads only
from Python, come ready made from ``tracker/table.py``.
"""

from __future__ import annotations

from typing import Any

import jinja2
from django.utils import translation


def environment(**options: Any) -> jinja2.Environment:
    # Block tags leave no blank lines behind: the fragment is sent on every click.
    options = {"trim_blocks": True, "lstrip_blocks": True, **options}
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=False)
    return env
