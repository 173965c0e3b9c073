"""The annotation workspace of an article, in the admin: its text with each figure marked,
the open suggestions as cards beside it, and the buttons (and keys) that decide them.

Each view is short: reads come from ``tracker.selectors.workspace``, writes from the
accepting and rejection services. The buttons are plain POST forms, so the page works without
JavaScript; static/js/admin-workspace.js adds the keyboard. Every refusal is a message on the
workspace, never an error page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from articles.models import Article, Sentence
from tracker.models import SuggestionRejection
from tracker.selectors.workspace import article_workspace, selection_form_values
from tracker.services.accepting import (
    AcceptRefused,
    pledges_accept_undo,
    sentence_accept_all,
    suggestion_accept,
)
from tracker.services.rejections import (
    RejectionRefused,
    suggestion_reject,
    suggestion_rejection_undo,
)

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite
    from django.http import HttpResponse

    from tracker.admin import StaffRequest

#: The session remembers each editor's last decision in the workspace, for Undo.
LAST_KEY = "workspace-last"
SELECTION_MAX = 1000


def workspace_url(article_id: int, position: int | None = None) -> str:
    url = reverse("admin:articles_article_workspace", args=[article_id])
    return url if position is None else f"{url}?at={position}#current"


def _article(request: StaffRequest, object_id: int) -> Article:
    if not request.user.has_perm("tracker.add_pledge"):
        raise PermissionDenied
    return get_object_or_404(Article, pk=object_id)


def _sentence(article: Article, raw: str) -> Sentence | None:
    if not raw.isdecimal():
        return None
    return article.sentences.filter(pk=int(raw)).first()


def _remember(request: StaffRequest, article: Article, kind: str, ids: list[int]) -> None:
    request.session[LAST_KEY] = {"article": article.pk, "kind": kind, "ids": ids}


def workspace_view(request: StaffRequest, object_id: int, site: AdminSite) -> TemplateResponse:
    """The article's text with its figures marked, and its open suggestions as cards."""
    article = _article(request, object_id)
    workspace = article_workspace(article)
    at = request.GET.get("at", "")
    current = workspace.current(int(at) if at.isdecimal() else 0)
    last = request.session.get(LAST_KEY) or {}
    context = {
        **site.each_context(request),
        "opts": Article._meta,
        # The text and the cards need the width more than the admin's menu does.
        "is_nav_sidebar_enabled": False,
        "title": gettext("Workspace: %(title)s") % {"title": article.title},
        "article": article,
        "workspace": workspace,
        "current": current,
        "reasons": SuggestionRejection.Reason.choices,
        "may_reject": request.user.has_perm("tracker.add_suggestionrejection"),
        "may_undo_rejection": request.user.has_perm("tracker.delete_suggestionrejection"),
        "last": last if last.get("article") == article.pk else None,
    }
    return TemplateResponse(request, "admin/tracker/article_workspace.html", context)


def accept_view(request: StaffRequest, object_id: int, site: AdminSite) -> HttpResponse:
    """Accept one suggestion as it is: a draft pledge."""
    article = _article(request, object_id)
    sentence = _sentence(article, request.POST.get("sentence", ""))
    if sentence is None:
        messages.error(request, gettext("Nothing accepted: no such sentence in this article."))
        return redirect(workspace_url(article.pk))
    try:
        pledge = suggestion_accept(
            sentence_id=sentence.pk, payload=request.POST.get("suggestion", ""), user=request.user
        )
    except AcceptRefused as refusal:
        messages.error(request, gettext("Nothing accepted: %(why)s") % {"why": refusal})
        return redirect(workspace_url(article.pk, sentence.position))
    _remember(request, article, "accept", [pledge.pk])
    messages.success(
        request,
        gettext("Accepted as draft pledge #%(id)s: %(pledge)s.")
        % {"id": pledge.pk, "pledge": pledge},
    )
    return redirect(workspace_url(article.pk, sentence.position))


def accept_all_view(request: StaffRequest, object_id: int, site: AdminSite) -> HttpResponse:
    """Accept every open suggestion of one sentence."""
    article = _article(request, object_id)
    sentence = _sentence(article, request.POST.get("sentence", ""))
    if sentence is None:
        messages.error(request, gettext("Nothing accepted: no such sentence in this article."))
        return redirect(workspace_url(article.pk))
    made, refused = sentence_accept_all(sentence_id=sentence.pk, user=request.user)
    for why in refused:
        messages.warning(request, gettext("Not accepted: %(why)s") % {"why": why})
    if made:
        _remember(request, article, "accept", [pledge.pk for pledge in made])
        messages.success(
            request,
            gettext("Accepted %(count)s suggestion(s) of sentence %(position)s as drafts: %(ids)s.")
            % {
                "count": len(made),
                "position": sentence.position,
                "ids": ", ".join(f"#{pledge.pk}" for pledge in made),
            },
        )
    elif not refused:
        messages.info(
            request,
            gettext("Sentence %(position)s has no open suggestion.")
            % {"position": sentence.position},
        )
    return redirect(workspace_url(article.pk, sentence.position))


def reject_view(request: StaffRequest, object_id: int, site: AdminSite) -> HttpResponse:
    """Reject one suggestion (the reason is optional)."""
    article = _article(request, object_id)
    if not request.user.has_perm("tracker.add_suggestionrejection"):
        raise PermissionDenied
    sentence = _sentence(article, request.POST.get("sentence", ""))
    if sentence is None:
        messages.error(request, gettext("Nothing rejected: no such sentence in this article."))
        return redirect(workspace_url(article.pk))
    try:
        rejection, new = suggestion_reject(
            sentence_id=sentence.pk,
            payload=request.POST.get("suggestion", ""),
            reason=request.POST.get("reason", ""),
            user=request.user,
        )
    except RejectionRefused as refusal:
        messages.error(request, gettext("Nothing rejected: %(why)s") % {"why": refusal})
        return redirect(workspace_url(article.pk, sentence.position))
    if new:
        _remember(request, article, "reject", [rejection.pk])
        messages.success(request, gettext("Rejected %(figure)s.") % {"figure": rejection})
    return redirect(workspace_url(article.pk, sentence.position))


def undo_view(request: StaffRequest, object_id: int, site: AdminSite) -> HttpResponse:
    """Undo a rejection named by the form, or else this editor's last decision here."""
    article = _article(request, object_id)
    named = request.POST.get("rejection", "")
    last = request.session.get(LAST_KEY) or {}
    if named:
        kind, ids = "reject", [int(named)] if named.isdecimal() else []
    elif last.get("article") == article.pk:
        kind, ids = last["kind"], last["ids"]
    else:
        messages.info(request, gettext("Nothing to undo."))
        return redirect(workspace_url(article.pk))
    if not named:
        request.session.pop(LAST_KEY, None)
    if kind == "accept":
        deleted, kept = pledges_accept_undo(pledge_ids=ids, user=request.user)
        for why in kept:
            messages.warning(request, why)
        if deleted:
            messages.success(
                request, gettext("Undone: %(count)s draft pledge(s) deleted.") % {"count": deleted}
            )
        return redirect(workspace_url(article.pk))
    if not request.user.has_perm("tracker.delete_suggestionrejection"):
        raise PermissionDenied
    rejection = SuggestionRejection.objects.filter(pk__in=ids, sentence__article=article).first()
    if rejection is None:
        messages.error(request, gettext("Nothing undone: that rejection is gone."))
        return redirect(workspace_url(article.pk))
    position = rejection.sentence.position
    suggestion_rejection_undo(rejection=rejection, user=request.user)
    messages.success(
        request,
        gettext("Rejection undone: %(figure)s is suggested again.") % {"figure": rejection},
    )
    return redirect(workspace_url(article.pk, position))


def selection_view(request: StaffRequest, object_id: int, site: AdminSite) -> HttpResponse:
    """The pledge form for words an editor selected in a sentence, filled in from them."""
    article = _article(request, object_id)
    sentence = _sentence(article, request.GET.get("sentence", ""))
    text = request.GET.get("text", "")[:SELECTION_MAX]
    if sentence is None:
        messages.error(
            request,
            gettext("Select words inside one sentence of the text first, then add the pledge."),
        )
        return redirect(workspace_url(article.pk))
    values: dict[str, object] = {"sentence": sentence.pk}
    if article.published_on:
        values["announced_on"] = article.published_on.isoformat()
    values.update(selection_form_values(text, language=article.language))
    values["workspace"] = article.pk
    return redirect(reverse("admin:tracker_pledge_add") + "?" + urlencode(values))
