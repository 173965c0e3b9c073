"""The ``json`` format of ``dumpdata`` and ``loaddata``, with times to the microsecond.

Django's JSON encoder writes times as ECMA-262 does, to the millisecond, so a ``dumpdata``
backup would come back with every timestamp (history dates, ``updated_at``, sessions) moved.
This format writes them in full; reading is Django's own, which accepts both.
Installed for ``json`` by ``SERIALIZATION_MODULES`` in the settings.
"""

from __future__ import annotations

import datetime

from django.core.serializers import json
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.timezone import is_aware

Deserializer = json.Deserializer


class MicrosecondJSONEncoder(DjangoJSONEncoder):
    """Django's encoder without the cut to milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time) and not is_aware(o):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def serialize(self, queryset, **options):
        # Django's serializer hands options it does not know to json.dump.
        options.setdefault("cls", MicrosecondJSONEncoder)
        return super().serialize(queryset, **options)
