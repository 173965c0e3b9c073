"""Who may do what: every admin page and every write, for each role.

Anonymous visitors and analysts (an active account without staff status) read the public
pages and export CSV; only staff reach the admin. Editors (staff in the Editors group) add and
change articles, sentences and pledges, review and merge drafts, but manage no users or
groups and delete no pledge that has been reviewed. Admins (superusers) do everything.

The admin pages, the writes and the actions are generated from ``admin.site``: a newly
registered model, page or action fails here until the tables below say who may use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
import tablib
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DonorFactory,
    PledgeFactory,
    SentenceFactory,
)
from tests.test_articles_import import confirm_data
from tracker.models import Pledge, PledgeReviewQueue, Release, SuggestionRejection
from tracker.resources import PledgeResource

pytestmark = pytest.mark.django_db

ANONYMOUS, ANALYST, EDITOR, ADMIN = "anonymous", "analyst", "editor", "admin"
ROLES = (ANONYMOUS, ANALYST, EDITOR, ADMIN)
STAFF = frozenset({EDITOR, ADMIN})
EDITORS = STAFF  # editors, and admins who may do everything
ADMINS = frozenset({ADMIN})
NOBODY: frozenset[str] = frozenset()

# Per model and admin page (the URL name after "<app>_<model>_"; "object" is the bare
# /<id>/ address that forwards to the change page): who may open it (GET) and who may
# submit it (POST; None where the page takes no POST). Where the object decides, the pair
# is given per sample object.
# The records of logins kept by django-axes: only admins read them, and deleting an access
# attempt lifts its lock; nobody adds them, and their change page shows them read-only.
LOGIN_RECORD_PAGES = {
    "changelist": (ADMINS, None),
    "add": (NOBODY, NOBODY),
    "change": (ADMINS, ADMINS),
    "delete": (ADMINS, ADMINS),
    "history": (ADMINS, None),
    "object": (STAFF, None),
}
PAGES: dict[str, dict[str, tuple | dict[str, tuple]]] = {
    "axes.accessattempt": LOGIN_RECORD_PAGES,
    "axes.accessfailurelog": LOGIN_RECORD_PAGES,
    "axes.accesslog": LOGIN_RECORD_PAGES,
    "auth.group": {
        "changelist": (ADMINS, None),
        "add": (ADMINS, ADMINS),
        "change": (ADMINS, ADMINS),
        "delete": (ADMINS, ADMINS),
        "history": (ADMINS, None),
        "object": (STAFF, None),
    },
    "auth.user": {
        "changelist": (ADMINS, None),
        "add": (ADMINS, ADMINS),
        "change": (ADMINS, ADMINS),
        "delete": (ADMINS, ADMINS),
        "history": (ADMINS, None),
        "password_change": (ADMINS, ADMINS),
        "object": (STAFF, None),
    },
    "articles.article": {
        "changelist": (EDITORS, None),
        "add": (NOBODY, NOBODY),  # articles come in through "import"
        "import": (EDITORS, EDITORS),
        "import_confirm": (None, EDITORS),
        "change": (EDITORS, EDITORS),
        "delete": (ADMINS, ADMINS),
        "history": (EDITORS, None),
        "simple_history": (EDITORS, EDITORS),
        "object": (STAFF, None),
        "workspace": (EDITORS, None),
        "workspace_selection": (EDITORS, None),
        "workspace_accept": (None, EDITORS),
        "workspace_accept_all": (None, EDITORS),
        "workspace_reject": (None, EDITORS),
        "workspace_undo": (None, EDITORS),
    },
    "articles.sentence": {
        "changelist": (EDITORS, None),
        "add": (NOBODY, NOBODY),  # sentences come with their article
        "change": (EDITORS, EDITORS),
        "delete": (ADMINS, ADMINS),
        "history": (EDITORS, None),
        "object": (STAFF, None),
    },
    "tracker.donor": {
        "changelist": (EDITORS, None),
        "add": (EDITORS, EDITORS),
        "change": (EDITORS, EDITORS),
        "delete": (ADMINS, ADMINS),
        "history": (EDITORS, None),
        "simple_history": (EDITORS, EDITORS),
        "object": (STAFF, None),
    },
    "tracker.category": {
        "changelist": (EDITORS, None),
        "add": (ADMINS, ADMINS),
        "change": (EDITORS, ADMINS),  # editors read categories
        "delete": (ADMINS, ADMINS),
        "history": (EDITORS, None),
        "object": (STAFF, None),
    },
    "tracker.pledge": {
        "changelist": (EDITORS, None),
        "add": (EDITORS, EDITORS),
        "change": (EDITORS, EDITORS),
        "delete": {"draft": (EDITORS, EDITORS), "reviewed": (ADMINS, ADMINS)},
        "history": (EDITORS, None),
        "simple_history": (EDITORS, EDITORS),
        "import": (EDITORS, EDITORS),
        "process_import": (None, EDITORS),
        "export": (EDITORS, EDITORS),
        # Approve or Send back (POST only), from the pledge's form and the queue's rows
        "decide": {"draft": (None, EDITORS), "reviewed": (None, EDITORS)},
        "object": (STAFF, None),
    },
    # Published releases: admins look at them; nobody adds, changes or deletes one.
    "tracker.release": {
        "changelist": (ADMINS, None),
        "add": (NOBODY, NOBODY),
        "change": (ADMINS, NOBODY),
        "delete": (NOBODY, NOBODY),
        "history": (ADMINS, None),
        "object": (STAFF, None),
    },
    "tracker.pledgereviewqueue": {
        "changelist": (EDITORS, None),
        "add": (NOBODY, NOBODY),
        # the queue's pages of one pledge forward to the pledge's own
        "change": (EDITORS, EDITORS),
        "delete": (ADMINS, ADMINS),
        "history": (EDITORS, None),
        "simple_history": (EDITORS, EDITORS),
        "import": (NOBODY, NOBODY),
        "process_import": (None, NOBODY),
        "export": (NOBODY, NOBODY),
        "object": (STAFF, None),
    },
    # Rejected beside their sentence (reject: POST only), read by editors and undone (undo,
    # delete); changed, and restored from their history, by admins only.
    "tracker.suggestionrejection": {
        "changelist": (EDITORS, None),
        "add": (NOBODY, NOBODY),
        "change": (EDITORS, ADMINS),
        "delete": (EDITORS, EDITORS),
        "history": (EDITORS, None),
        "simple_history": (EDITORS, ADMINS),
        "reject": (None, EDITORS),
        "undo": (None, EDITORS),
        "quality": (EDITORS, None),
        "object": (STAFF, None),
    },
}

# Submissions that answer without writing: the import's dry run and the export, and the
# review queue's pages that forward to the pledge's own.
NOT_WRITING = {
    ("articles.article", "import"),  # a preview, which import_confirm loads
    ("tracker.pledge", "import"),
    ("tracker.pledge", "export"),
    ("tracker.pledgereviewqueue", "change"),
    ("tracker.pledgereviewqueue", "simple_history"),
    # The sample article states no figure: its workspace has nothing to decide. What the
    # workspace's buttons write is tested in test_tracker_workspace.py.
    ("articles.article", "workspace_accept"),
    ("articles.article", "workspace_accept_all"),
    ("articles.article", "workspace_reject"),
    ("articles.article", "workspace_undo"),
}

# Per model and action of the list page, per selection of sample objects: who may run it,
# and whether it writes (an export only answers with a form).
ACTIONS: dict[str, dict[str, dict[str, tuple[frozenset, bool]]]] = {
    "axes.accessattempt": {"delete_selected": {"attempt": (ADMINS, True)}},
    "axes.accessfailurelog": {"delete_selected": {"failure": (ADMINS, True)}},
    "axes.accesslog": {"delete_selected": {"login": (ADMINS, True)}},
    "auth.group": {"delete_selected": {"group": (ADMINS, True)}},
    "auth.user": {"delete_selected": {"user": (ADMINS, True)}},
    "articles.article": {"delete_selected": {"article": (ADMINS, True)}},
    "articles.sentence": {"delete_selected": {"sentence": (ADMINS, True)}},
    "tracker.donor": {"delete_selected": {"donor": (ADMINS, True)}},
    "tracker.category": {"delete_selected": {"category": (ADMINS, True)}},
    "tracker.pledge": {
        "delete_selected": {"draft": (EDITORS, True), "reviewed": (ADMINS, True)},
        "mark_reviewed": {"draft": (EDITORS, True)},
        "merge_pledges": {
            "draft draft_twin": (EDITORS, True),
            # merging removes the newer pledge, which has been reviewed
            "draft reviewed_twin": (ADMINS, True),
        },
        "export_admin_action": {"draft": (EDITORS, False)},
    },
    "tracker.release": {},
    "tracker.pledgereviewqueue": {
        "delete_selected": {"draft": (ADMINS, True)},
        "mark_reviewed": {"draft": (EDITORS, True)},
    },
    "tracker.suggestionrejection": {"delete_selected": {"rejection": (EDITORS, True)}},
}

# The admin site's own pages: who may open and submit them.
SITE_PAGES = {
    "index": (STAFF, None),
    "password_change": (STAFF, STAFF),
    "password_change_done": (STAFF, None),
    "autocomplete": (EDITORS, None),
    "jsi18n": (STAFF, None),
    "view_on_site": (STAFF, None),
    "app_list": {
        "auth": (ADMINS, None),
        "articles": (EDITORS, None),
        "tracker": (EDITORS, None),
    },
}
# Pages everyone reaches, with what each role gets.
SITE_OPEN = {
    "login": {ANONYMOUS: 200, ANALYST: 200, EDITOR: 302, ADMIN: 302},
    "logout": {ANONYMOUS: 302, ANALYST: 302, EDITOR: 405, ADMIN: 405},  # POST only
    None: {ANONYMOUS: 302, ANALYST: 302, EDITOR: 404, ADMIN: 404},  # any unknown address
}

# One change an admin's form submits, per model.
CHANGES = {
    "axes.accessattempt": {},
    "axes.accessfailurelog": {},
    "axes.accesslog": {},
    "auth.group": {"name": "Renamed"},
    "auth.user": {"first_name": "Renamed"},
    "articles.article": {"title": "Renamed"},
    "articles.sentence": {"kind": "menu"},
    "tracker.donor": {"name_de": "Umbenannt"},
    "tracker.category": {"name_de": "Umbenannt"},
    "tracker.pledge": {"notes": "Changed."},
    "tracker.pledgereviewqueue": {"notes": "Changed."},
    "tracker.release": {"number": "7"},
    "tracker.suggestionrejection": {"reason": "other"},
}

PASSWORD = "a-long-and-unusual-passphrase"


@dataclass
class World:
    clients: dict[str, Client]
    users: dict[str, User | None]
    samples: dict[str, dict[str, models.Model]]
    extra: dict[str, models.Model]


@pytest.fixture
def world(settings, tmp_path, django_user_model) -> World:
    settings.ARTICLES_IMPORT_FIXTURE = tmp_path / "imported_articles.json"
    # The admin's pledge import keeps an upload until it is confirmed: in memory here.
    settings.IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"
    users: dict[str, User | None] = {ANONYMOUS: None}
    users[ANALYST] = django_user_model.objects.create_user("analyst", password=PASSWORD)
    users[EDITOR] = django_user_model.objects.create_user(
        "editor", password=PASSWORD, is_staff=True
    )
    users[EDITOR].groups.add(Group.objects.get(name="Editors"))
    users[ADMIN] = django_user_model.objects.create_superuser("admin", password=PASSWORD)
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        if user is not None:
            clients[role].force_login(user)

    # Pledges cite one article; the sample article, sentence, donor and category are cited by
    # nothing, so that deleting them is possible.
    cited = SentenceFactory(article=ArticleFactory(slug="cited"))
    draft = PledgeFactory(sentence=cited, notes="")
    reviewed = PledgeFactory(sentence=cited, review_status=Pledge.Review.REVIEWED)
    twin = {"donor": draft.donor, "category": draft.category, "amount": draft.amount}
    extra = {
        "draft_twin": PledgeFactory(sentence=SentenceFactory(), **twin),
        "reviewed_twin": PledgeFactory(
            sentence=SentenceFactory(), review_status=Pledge.Review.REVIEWED, **twin
        ),
    }
    article = ArticleFactory(slug="sample", body="Ein Satz. Noch ein Satz.")
    # A sentence with a figure suggested, for rejecting.
    suggested = SentenceFactory(
        article=ArticleFactory(slug="suggested", body="Deutschland sagt 5 Milliarden Euro zu."),
        position=1,
    )
    login = {
        "username": "someone",
        "ip_address": "192.0.2.1",
        "user_agent": "Firefox",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }
    samples = {
        "axes.accessattempt": {
            "attempt": AccessAttempt.objects.create(
                **login, get_data="", post_data="", failures_since_start=5
            )
        },
        "axes.accessfailurelog": {"failure": AccessFailureLog.objects.create(**login)},
        "axes.accesslog": {"login": AccessLog.objects.create(**login)},
        "auth.group": {"group": Group.objects.create(name="Readers")},
        "auth.user": {"user": django_user_model.objects.create_user("someone")},
        "articles.article": {"article": article},
        "articles.sentence": {
            "sentence": SentenceFactory(article=article, position=1, start=0, end=9)
        },
        "tracker.donor": {"donor": DonorFactory(slug="atlantis", name="Atlantis")},
        "tracker.category": {"category": CategoryFactory(slug="boats", name="Boats")},
        "tracker.pledge": {"draft": draft, "reviewed": reviewed},
        "tracker.release": {
            "release": Release.objects.create(number=1, published_at=timezone.now(), changes={})
        },
        "tracker.pledgereviewqueue": {
            "draft": PledgeReviewQueue.objects.get(pk=draft.pk),
            "reviewed": PledgeReviewQueue.objects.get(pk=reviewed.pk),
        },
        "tracker.suggestionrejection": {
            "rejection": SuggestionRejection.objects.create(
                sentence=cited, amount=Decimal(7), currency="EUR", suggestion={"amount": "7"}
            )
        },
    }
    extra["suggested"] = suggested
    return World(clients=clients, users=users, samples=samples, extra=extra)


def label(model) -> str:
    return model._meta.label_lower


def database_state() -> dict[str, list[tuple]]:
    """Every row of every table (sessions aside), to prove a refused write changed nothing."""
    return {
        label(model): list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model is not Session
    }


def refusal_ok(role: str, response, url: str, *, staff_status: int = 403) -> bool:
    """Refused: anonymous visitors and analysts are sent to the admin login, staff get 403."""
    if role in (ANONYMOUS, ANALYST):
        if response.status_code != 302:
            return False
        location = urlsplit(response["Location"])
        return location.path == "/admin/login/" and parse_qs(location.query)["next"] == [url]
    return response.status_code == staff_status


def allowed_ok(response) -> bool:
    if response.status_code == 302:
        return not response["Location"].startswith("/admin/login/")
    return response.status_code == 200


class FormReader(HTMLParser):
    """The fields a browser would submit from a page's forms (submit buttons aside)."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attributes:
            self.fields.append((self.select, attributes.get("value", "")))
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            # A browser drops the newline that opens a textarea's content.
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_fields(response, **changes) -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in reader.fields:
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    return data


def model_pages(model_admin) -> list[tuple[str, URLPattern]]:
    info = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
    pages = []
    for pattern in model_admin.get_urls():
        if pattern.name is None:
            pages.append(("object", pattern))
        else:
            assert pattern.name.startswith(info), pattern.name
            pages.append((pattern.name.removeprefix(info), pattern))
    return pages


def page_urls(model_admin, kind: str, pattern: URLPattern, samples: dict) -> dict[str, str]:
    """The addresses of one admin page: once, or once per sample object it takes."""
    opts = model_admin.opts
    name = f"admin:{opts.app_label}_{opts.model_name}_{kind}"
    arguments = pattern.pattern.regex.groups
    if arguments == 0:
        return {"": reverse(name)}
    urls = {}
    for sample, obj in samples.items():
        if kind == "object":
            urls[sample] = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist") + (
                f"{obj.pk}/"
            )
        elif kind == "simple_history":
            record = obj.history.order_by("history_id").first()
            urls[sample] = reverse(name, args=[obj.pk, record.history_id])
        else:
            urls[sample] = reverse(name, args=[obj.pk])
    return urls


def add_payload(model_label: str, world: World) -> dict:
    draft = world.samples["tracker.pledge"]["draft"]
    pledge = {
        "sentence": draft.sentence_id,
        "donor": draft.donor_id,
        "category": draft.category_id,
        "recipient": "Ukraine",
        "qualifier": "exact",
        "stage": "pledged",
        "date_precision": "day",
        "amount": "1000",
        "currency": "EUR",
        "announced_on": "2025-06-04",
    }
    return {
        "axes.accessattempt": {"username": "forged", "failures_since_start": "0"},
        "axes.accessfailurelog": {"username": "forged"},
        "axes.accesslog": {"username": "forged"},
        "auth.group": {"name": "Writers"},
        "auth.user": {
            "username": "newcomer",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        "articles.article": {"title": "Typed in", "language": "de", "body": "Ein Satz."},
        "articles.sentence": {"article": world.samples["articles.article"]["article"].pk},
        "tracker.donor": {"name": "Lilliput", "slug": "lilliput", "kind": "country"},
        "tracker.category": {"name": "Ships", "slug": "ships", "position": "3"},
        "tracker.pledge": pledge,
        "tracker.pledgereviewqueue": pledge,
        "tracker.suggestionrejection": {
            "sentence": draft.sentence_id,
            "amount": "1",
            "currency": "EUR",
            "suggestion": "{}",
        },
        "tracker.release": {"number": "2", "published_at": "2026-01-01 00:00"},
    }[model_label]


# What the pages that need no sample data submit.
FIXED_PAYLOADS = {
    "delete": {"post": "yes"},
    "password_change": {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD},
    "export": {"format": "0", "resource": "0", "export_items": []},
    "undo": {},
    # sends back a draft (kept a draft, with the comment) and a reviewed pledge alike
    "decide": {"decision": "send_back", "comment": "Check the figure."},
    "workspace_accept": {},
    "workspace_accept_all": {},
    "workspace_reject": {},
    "workspace_undo": {},
}


def post_payload(model_label: str, kind: str, url: str, world: World) -> dict:
    """What the page's form submits: an admin's form (with one change), or the page's own."""
    if kind in FIXED_PAYLOADS:
        return FIXED_PAYLOADS[kind]
    if kind == "add":
        return add_payload(model_label, world)
    if kind in ("change", "simple_history"):
        page = world.clients[ADMIN].get(url, follow=True)
        return form_fields(page, **CHANGES[model_label])
    if kind == "import" and model_label == "articles.article":
        text = "title: Brought in\npublished: 2025-06-04\n\nDie Verbündeten sagen Hilfe zu."
        return {"files": SimpleUploadedFile("brought-in.txt", text.encode())}
    if kind == "import_confirm":
        return article_confirm_payload(world)
    if kind == "import":
        return {"format": "0", "resource": "0", "import_file": pledge_file(world)}
    if kind == "process_import":
        return confirm_payload(world)
    if kind == "reject":
        figure = '{"amount":"5000000000","currency":"EUR"}'
        return {"sentence": world.extra["suggested"].pk, "suggestion": figure, "reason": "other"}
    raise AssertionError(f"no payload for {model_label} {kind}")


def pledge_file(world: World) -> SimpleUploadedFile:
    draft = world.samples["tracker.pledge"]["draft"]
    dataset = PledgeResource().export(queryset=Pledge.objects.filter(pk=draft.pk))
    rows = dataset.dict
    rows[0]["notes"] = "From a spreadsheet."
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][header] for header in dataset.headers])
    return SimpleUploadedFile("pledges.csv", changed.csv.encode())


def confirm_payload(world: World) -> dict:
    """The confirmation an admin's upload produces: what process_import is posted."""
    response = world.clients[ADMIN].post(
        reverse("admin:tracker_pledge_import"),
        {"format": "0", "resource": "0", "import_file": pledge_file(world)},
    )
    confirm = response.context["confirm_form"]
    return {name: confirm[name].value() for name in confirm.fields}


def article_confirm_payload(world: World) -> dict:
    """The confirmation of an article import's preview, made in the sessions of an editor and
    an admin (a preview is kept in the session that made it)."""
    url = reverse("admin:articles_article_import")
    for role in (EDITOR, ADMIN):
        preview = world.clients[role].post(
            url, post_payload("articles.article", "import", url, world)
        )
    return confirm_data(preview)


def check_get(role: str, world: World, url: str, who: frozenset, *, refused_status=403):
    response = world.clients[role].get(url)
    if role in who:
        ok = allowed_ok(response)
    else:
        ok = refusal_ok(role, response, url, staff_status=refused_status)
    return None if ok else f"GET {url}: {response.status_code} for {role}"


def check_write(role, world, url, payload, who, *, writes=True, action=False):
    """POST ``payload``: allowed, it answers and (where it writes) changes the database;
    refused, it answers with the refusal and changes nothing."""
    with transaction.atomic():
        before = database_state()
        response = world.clients[role].post(url, payload)
        changed = database_state() != before
        transaction.set_rollback(True)
    if world.users[role] is not None:
        # A session saved during the write (a password change cycles it) went with the rollback.
        world.clients[role].force_login(world.users[role])
    if role in who:
        ok = allowed_ok(response) and changed == writes
    elif action and role in STAFF:
        # An action the user may not run is not offered: the list answers "No action
        # selected", or the action says why; either way, nothing changes.
        ok = not changed and (
            response.status_code in (200, 403)
            or (response.status_code == 302 and response["Location"] == url)
        )
    else:
        ok = not changed and refusal_ok(role, response, url)
    if ok:
        return None
    return f"POST {url}: {response.status_code} for {role}, database changed: {changed}"


def registered():
    return sorted(admin.site._registry.items(), key=lambda item: label(item[0]))


def test_every_registered_model_has_its_rules():
    labels = {label(model) for model in admin.site._registry}
    assert labels == set(PAGES) == set(ACTIONS) == set(CHANGES)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model_label", sorted(PAGES))
def test_admin_pages_and_writes(role, model_label, world, rf):
    model = apps.get_model(model_label)
    model_admin = admin.site._registry[model]
    rules = PAGES[model_label]
    samples = world.samples[model_label]
    failures = []
    for kind, pattern in model_pages(model_admin):
        assert kind in rules, f"{model_label}: no rule for the page {kind!r}"
        for sample, url in page_urls(model_admin, kind, pattern, samples).items():
            rule = rules[kind]
            get_who, post_who = rule[sample] if isinstance(rule, dict) else rule
            if get_who is not None:
                failures.append(check_get(role, world, url, get_who))
            if post_who is not None:
                payload = post_payload(model_label, kind, url, world)
                writes = (model_label, kind) not in NOT_WRITING
                failures.append(check_write(role, world, url, payload, post_who, writes=writes))

    request = rf.get("/")
    request.user = world.users[ADMIN]
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    objects = {**world.extra, **samples}
    for action in model_admin.get_actions(request):
        assert action in ACTIONS[model_label], f"{model_label}: no rule for {action!r}"
        for selection, (who, writes) in ACTIONS[model_label][action].items():
            payload = {
                "action": action,
                "index": "0",
                "post": "yes",
                "_selected_action": [objects[name].pk for name in selection.split()],
            }
            failures.append(
                check_write(role, world, changelist, payload, who, writes=writes, action=True)
            )
    assert [failure for failure in failures if failure] == []


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_pages(role, world):
    article = world.samples["articles.article"]["article"]
    examples = {
        "index": reverse("admin:index"),
        "password_change": reverse("admin:password_change"),
        "password_change_done": reverse("admin:password_change_done"),
        "autocomplete": reverse("admin:autocomplete")
        + "?app_label=tracker&model_name=pledge&field_name=donor&term=a",
        "jsi18n": reverse("admin:jsi18n"),
        "view_on_site": reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(Article).pk, article.pk],
        ),
        "login": reverse("admin:login"),
        "logout": reverse("admin:logout"),
        None: "/admin/nowhere/",
    }
    names = [pattern.name for pattern in admin.site.get_urls() if isinstance(pattern, URLPattern)]
    assert set(names) == set(SITE_PAGES) | set(SITE_OPEN)
    failures = []
    for name, rule in SITE_PAGES.items():
        if name == "app_list":
            for app_label, (who, _) in rule.items():
                url = reverse("admin:app_list", args=[app_label])
                # An app with nothing the user may see is answered as not there.
                failures.append(check_get(role, world, url, who, refused_status=404))
            continue
        get_who, post_who = rule
        failures.append(check_get(role, world, examples[name], get_who))
        if post_who is not None:
            payload = {
                "old_password": PASSWORD,
                "new_password1": PASSWORD + "!",
                "new_password2": PASSWORD + "!",
            }
            failures.append(check_write(role, world, examples[name], payload, post_who))
    for name, statuses in SITE_OPEN.items():
        status = world.clients[role].get(examples[name]).status_code
        if status != statuses[role]:
            failures.append(f"GET {examples[name]}: {status} for {role}")
    assert [failure for failure in failures if failure] == []


def public_examples(world: World) -> dict[str, str]:
    draft = world.samples["tracker.pledge"]["draft"]
    return {
        "dashboard": reverse("dashboard"),
        "pledge-list": reverse("pledge-list"),
        "pledge-export": reverse("pledge-export"),
        "pledge-export-xlsx": reverse("pledge-export-xlsx"),
        "pledge-totals-export": reverse("pledge-totals-export") + "?by=donor",
        "pledge-detail": reverse("pledge-detail", args=[draft.pk]),
        "donor-list": reverse("donor-list"),
        "donor-detail": reverse("donor-detail", args=[draft.donor.slug]),
        "article-list": reverse("article-list"),
        "article-detail": reverse("article-detail", args=["cited"]),
        "reference": reverse("reference"),
        "healthz": reverse("healthz"),
        "release-list": reverse("release-list"),
        "release-latest": reverse("release-latest"),
        "release-latest-file": reverse("release-latest-file", args=["pledges.csv"]),
        "release-detail": reverse("release-detail", args=["1"]),
        "release-file": reverse("release-file", args=["1", "pledges.csv"]),
    }


# Public pages that answer a GET with a redirect: the latest release is a release's address.
PUBLIC_REDIRECTS = {"release-latest", "release-latest-file"}


def public_names() -> set[str]:
    """Every page outside the admin and the language switch."""
    names = set()
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            continue
        names.add(entry.name)
    return names


@pytest.mark.parametrize("role", ROLES)
def test_the_public_pages_are_read_only_for_everyone(role, world):
    examples = public_examples(world)
    assert public_names() == set(examples)
    csrf_checked = Client(enforce_csrf_checks=True)
    if world.users[role] is not None:
        csrf_checked.force_login(world.users[role])
    failures = []
    for name, url in examples.items():
        response = world.clients[role].get(url)
        expected = 302 if name in PUBLIC_REDIRECTS else 200
        if response.status_code != expected:
            failures.append(f"GET {url}: {response.status_code} for {role}")
        if name.endswith("export"):
            assert response["Content-Type"].startswith("text/csv")
        with transaction.atomic():
            before = database_state()
            posted = world.clients[role].post(url, {"amount": "0"})
            forged = csrf_checked.post(url, {"amount": "0"})
            changed = database_state() != before
            transaction.set_rollback(True)
        if (posted.status_code, forged.status_code, changed) != (405, 403, False):
            failures.append(
                f"POST {url}: {posted.status_code}, without a CSRF token "
                f"{forged.status_code}, database changed: {changed}"
            )
    assert failures == []


class TestDeletingPledges:
    def test_an_editor_sees_no_delete_for_a_reviewed_pledge(self, world):
        editor = world.clients[EDITOR]
        draft, reviewed = (world.samples["tracker.pledge"][name] for name in ("draft", "reviewed"))
        assert (
            'class="deletelink"'
            in editor.get(f"/admin/tracker/pledge/{draft.pk}/change/").content.decode()
        )
        page = editor.get(f"/admin/tracker/pledge/{reviewed.pk}/change/").content.decode()
        assert 'class="deletelink"' not in page

    def test_changing_a_reviewed_pledge_does_not_make_it_deletable(self, world):
        reviewed = world.samples["tracker.pledge"]["reviewed"]
        editor = world.clients[EDITOR]
        url = f"/admin/tracker/pledge/{reviewed.pk}/change/"
        response = editor.post(url, form_fields(editor.get(url), notes="Edited."))
        assert response.status_code == 302
        reviewed.refresh_from_db()
        assert reviewed.review_status == Pledge.Review.DRAFT  # back to review
        response = editor.post(f"/admin/tracker/pledge/{reviewed.pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
        assert Pledge.objects.filter(pk=reviewed.pk).exists()

    def test_merging_away_a_reviewed_pledge_is_refused_with_a_reason(self, world):
        draft = world.samples["tracker.pledge"]["draft"]
        twin = world.extra["reviewed_twin"]
        response = world.clients[EDITOR].post(
            "/admin/tracker/pledge/",
            {"action": "merge_pledges", "_selected_action": [draft.pk, twin.pk]},
            follow=True,
        )
        assert f"Nothing merged: merging removes #{twin.pk}, which has been reviewed" in (
            response.content.decode()
        )
        assert Pledge.objects.filter(pk=twin.pk).exists()


class TestRestoringFromHistory:
    def test_restoring_needs_the_right_to_change(self, world, django_user_model):
        from django.contrib.auth.models import Permission

        viewer = django_user_model.objects.create_user("viewer", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_donor"))
        donor = world.samples["tracker.donor"]["donor"]
        record = donor.history.get()
        url = f"/admin/tracker/donor/{donor.pk}/history/{record.history_id}/"
        client = Client()
        client.force_login(viewer)
        assert client.get(url).status_code == 200
        data = form_fields(world.clients[ADMIN].get(url), name="Renamed by a viewer")
        assert client.post(url, data).status_code == 403
        donor.refresh_from_db()
        assert donor.name == "Atlantis"

    def test_restoring_keeps_the_current_review(self, world):
        """An old version's review status is not restored: only a second editor reviews."""
        draft = world.samples["tracker.pledge"]["draft"]
        draft.review_status = Pledge.Review.REVIEWED
        draft.save()
        draft.review_status = Pledge.Review.DRAFT
        draft.notes = "Changed after the review."
        draft.save()
        reviewed_version = draft.history.get(version=2)
        url = f"/admin/tracker/pledge/{draft.pk}/history/{reviewed_version.history_id}/"
        editor = world.clients[EDITOR]
        response = editor.post(url, form_fields(editor.get(url)))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert (draft.notes, draft.review_status) == ("", Pledge.Review.DRAFT)


def test_an_import_cannot_mark_pledges_reviewed(world):
    draft = world.samples["tracker.pledge"]["draft"]
    dataset = PledgeResource().export(queryset=Pledge.objects.filter(pk=draft.pk))
    rows = dataset.dict
    rows[0]["review_status"] = "reviewed"
    rows[0]["notes"] = "Reviewed by myself."
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][header] for header in dataset.headers])
    result = PledgeResource().import_data(changed)
    assert not result.has_errors() and not result.has_validation_errors()
    draft.refresh_from_db()
    assert (draft.notes, draft.review_status) == ("Reviewed by myself.", Pledge.Review.DRAFT)


def test_an_import_sends_a_changed_reviewed_pledge_back_to_review(world):
    reviewed = world.samples["tracker.pledge"]["reviewed"]
    dataset = PledgeResource().export(queryset=Pledge.objects.filter(pk=reviewed.pk))
    rows = dataset.dict
    rows[0]["amount"] = "2.00"
    changed = tablib.Dataset(headers=dataset.headers)
    changed.append([rows[0][header] for header in dataset.headers])
    PledgeResource().import_data(changed)
    reviewed.refresh_from_db()
    assert (reviewed.amount, reviewed.review_status) == (2, Pledge.Review.DRAFT)
