"""The admin's article import: what an editor gives, and the preview they confirm."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat

from articles.date_window import validate_date_in_window
from articles.models import Article
from articles.sources import PAGE_SUFFIXES, TEXT_MAX_SIZE, URLS_MAX, PastedText
from articles.webpage import PAGE_MAX_SIZE

_web_url = URLValidator(schemes=("http", "https"))
_WIDE = forms.TextInput(attrs={"class": "vTextField import-wide"})


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, as Django's documentation shows."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        files = list(data) if isinstance(data, list | tuple) else [data]
        # No file at all is cleaned as one missing file, so that "required" holds.
        return [file for file in (clean_one(file, initial) for file in files or [None]) if file]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ArticleImportForm(forms.Form):
    # A declared field, which Django's form metaclass moves off the class: `form.files`
    # stays the uploaded files.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files",
        required=False,
        help_text=(
            f"Saved web pages (.html, at most {filesizeformat(PAGE_MAX_SIZE)}) or plain text "
            f"(.txt, UTF-8, at most {filesizeformat(TEXT_MAX_SIZE)}, optionally opened by a "
            "header block: url, title, published, publisher, language, then a blank line)."
        ),
    )
    urls = forms.CharField(
        label="Web addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        help_text=f"One per line, at most {URLS_MAX}; fetched now, when the server has network.",
    )
    text = forms.CharField(
        label="Pasted text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The article's text, as it is on the page.",
    )
    title = forms.CharField(label="Title", required=False, max_length=500, widget=_WIDE)
    publisher = forms.CharField(label="Publisher", required=False, max_length=200)
    language = forms.ChoiceField(
        label="Language",
        required=False,
        choices=[("", "Read from the text"), *Article.Language.choices],
    )
    published_on = forms.DateField(
        label="Published",
        required=False,
        widget=DateInput(),
        validators=[validate_date_in_window],
        help_text="Empty: read from the text, if it says.",
    )
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[_web_url],
        widget=forms.URLInput(attrs={"class": "vURLField import-wide"}),
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        errors = []
        for file in files:
            name = file.name or ""
            page = name.lower().endswith(PAGE_SUFFIXES)
            limit = PAGE_MAX_SIZE if page else TEXT_MAX_SIZE
            if not page and not name.lower().endswith(".txt"):
                errors.append(
                    f"{name}: not a .txt or .html file; save the article as a web page or as "
                    "plain text."
                )
            elif (file.size or 0) > limit:
                errors.append(
                    f"{name}: {filesizeformat(file.size)}, larger than {filesizeformat(limit)}."
                )
        if errors:
            raise forms.ValidationError(errors)
        return files

    def clean_urls(self) -> list[str]:
        urls = list(dict.fromkeys(line.strip() for line in self.cleaned_data["urls"].splitlines()))
        urls = [url for url in urls if url]
        if len(urls) > URLS_MAX:
            raise forms.ValidationError(
                f"{len(urls)} addresses; at most {URLS_MAX} can be fetched at once."
            )
        errors = []
        for url in urls:
            try:
                _web_url(url)
            except forms.ValidationError:
                errors.append(f"{url}: not an http or https address.")
        if errors:
            raise forms.ValidationError(errors)
        return urls

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        has_text = bool(cleaned.get("text", "").strip())
        if has_text and not cleaned.get("title", "").strip():
            self.add_error("title", "Give the pasted article's title.")
        if not has_text and any(
            cleaned.get(name) for name in ("title", "publisher", "language", "published_on", "url")
        ):
            self.add_error("text", "Paste the article's text, or leave its fields empty.")
        if not (cleaned.get("files") or cleaned.get("urls") or has_text) and not self.errors:
            raise forms.ValidationError("Give files, web addresses or a pasted text.")
        return cleaned

    def pasted(self) -> list[PastedText]:
        data = self.cleaned_data
        if not data["text"].strip():
            return []
        return [
            PastedText(
                text=data["text"],
                title=data["title"],
                url=data["url"],
                publisher=data["publisher"],
                language=data["language"],
                published_on=data["published_on"],
            )
        ]


class ArticlePreviewForm(forms.Form):
    """What an editor may correct of an article before it is loaded; its text stays as read."""

    title = forms.CharField(max_length=500, widget=_WIDE)
    publisher = forms.CharField(required=False, max_length=200)
    language = forms.ChoiceField(choices=Article.Language.choices)
    published_on = forms.DateField(
        label="Published",
        required=False,
        widget=DateInput(),
        validators=[validate_date_in_window],
        help_text="Empty when unknown.",
    )


ArticlePreviewFormSet = forms.formset_factory(ArticlePreviewForm, extra=0)
