"""No template shows words outside the translation tags: text left bare in a template would be
English on every Welsh page, and makemessages would never offer it to a translator."""

import re
from pathlib import Path

import groundswell

NOT_WORDS = {"Groundswell"}  # the software's name, the same in every language


def bare_words(template: str) -> list[str]:
    text = re.sub(r"{% comment %}.*?{% endcomment %}", "", template, flags=re.S)
    text = re.sub(r"{#.*?#}", "", text, flags=re.S)
    text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", text, flags=re.S)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", text, flags=re.S)
    attributes = re.findall(r'(?:aria-label|title|alt|placeholder)="([^"{]*[A-Za-z][^"{]*)"', text)
    text = re.sub(r"<[^>]*>", " ", text)
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z’'-]+", text) if w not in NOT_WORDS]
    return words + attributes


def test_every_template_marks_every_word_for_translation():
    package = Path(groundswell.__file__).parent
    found = {
        str(path.relative_to(package)): words[:8]
        for path in sorted(package.glob("*/templates/**/*"))
        if path.is_file() and (words := bare_words(path.read_text(encoding="utf-8")))
    }
    assert not found, f"words outside {{% translate %}} / {{% blocktranslate %}}: {found}"


def test_the_check_sees_bare_words():
    assert bare_words("<p>Sign here</p>{% translate 'Fine' %}") == ["Sign", "here"]
    assert bare_words('<nav aria-label="Site"></nav>') == ["Site"]
