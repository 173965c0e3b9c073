from django.db import migrations

from articles.anchoring import sentence_context

#: Articles whose bodies are read at once: a few hundred bodies are a few megabytes at most.
ARTICLES_PER_BATCH = 200


def sentences_context_fill(article_model, sentence_model, *, using="default"):
    """Give every sentence the words around it in its article's body (prefix and suffix).

    The models are passed in, so that the migration fills them with its historical models and
    a test with the project's own. A batch of articles at a time: their bodies, then their
    sentences, written back with bulk_update (which batches below SQLite's parameter limit).
    A sentence whose text is no longer its span is given the words around its span all the
    same: they are what the body holds there, and ``check_evidence`` reports the sentence.
    """
    articles = article_model.objects.using(using)
    sentences = sentence_model.objects.using(using)
    article_ids = list(
        sentences.order_by("article_id").values_list("article_id", flat=True).distinct()
    )
    for first in range(0, len(article_ids), ARTICLES_PER_BATCH):
        batch = article_ids[first : first + ARTICLES_PER_BATCH]
        bodies = dict(articles.filter(pk__in=batch).values_list("pk", "body"))
        changed = list(sentences.filter(article_id__in=batch).only("article_id", "start", "end"))
        for sentence in changed:
            body = bodies[sentence.article_id]
            sentence.prefix, sentence.suffix = sentence_context(body, sentence.start, sentence.end)
        sentences.bulk_update(changed, ["prefix", "suffix"], batch_size=1000)


def fill(apps, schema_editor):
    sentences_context_fill(
        apps.get_model("articles", "Article"),
        apps.get_model("articles", "Sentence"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_sentence_prefix_suffix"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
