"""The page template's section labels: a label and the heading under it never say the same."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest

from briefing.api import build, shipped_source
from briefing.loader import load
from briefing.render.column_heading import NBSP, column_heading
from briefing.render.page import PAPERS, PageBuilder
from briefing.theme import load_theme

XHTML = "{http://www.w3.org/1999/xhtml}"
KESTREL_BAY = Path(__file__).parent / "briefings" / "kestrel_bay" / "briefing.yaml"

# (briefing, language, theme) -> each column's (label, heading) as the reader sees them.
EXPECTED = {
    (None, "zh", "default"): {
        "takeaways": ("要点", "烧钱的爆款让位于能落地的企业业务"),
        "actions": ("对我们的启示", "先算清回报，再扩大 AI 投入"),
    },
    (None, "en", "dark"): {
        "takeaways": ("In short", f"A cash-burning hit gives way to business that{NBSP}pays"),
        "actions": ("For us", f"Prove the return before scaling{NBSP}AI"),
    },
    (KESTREL_BAY, "en", "default"): {
        "takeaways": (
            "In short",
            f"Kestrel Bay is faster and busier than ever, but its labour peace ends in{NBSP}April",
        ),
        "actions": (
            "For us",
            "Use the faster terminal now, and keep a way out until the new wage deal"
            f" is{NBSP}signed",
        ),
    },
}


def _columns(source: Path | None, lang: str, theme: str) -> dict[str, tuple[str, str]]:
    """Each column's section label and the heading under it, as text."""
    briefing = load(source or shipped_source())
    html = PageBuilder(briefing, load_theme(theme), lang).html(PAPERS["a4"], 0)
    tree = html5lib.parse(html)
    columns = {}
    for section in tree.iter(f"{XHTML}section"):
        name = section.get("class")
        label = section.find(f"{XHTML}h2")
        lead = section.find(f"{XHTML}p")
        if label is not None and lead is not None:
            columns[name] = ("".join(label.itertext()), "".join(lead.itertext()))
    return columns


@pytest.mark.parametrize("key", EXPECTED, ids=["sora-zh", "sora-en-dark", "kestrel_bay-en"])
def test_a_section_label_is_not_repeated_in_its_heading(key):
    columns = _columns(*key)
    assert columns == EXPECTED[key]
    for label, heading in columns.values():
        assert not heading.casefold().startswith(label.casefold())


@pytest.mark.parametrize(
    ("title", "lang", "kicker", "heading"),
    [
        ("要点：烧钱的爆款", "zh", "要点", "烧钱的爆款"),
        ("In short: a hit", "en", "In short", "A hit"),
        ("In short: iPhone sales fall", "en", "In short", "iPhone sales fall"),
        # The part before the colon is the heading's subject, not a lead-in: kept whole.
        ("Sora, the video app OpenAI built: losses", "en", "", None),
        ("A 3:2 split", "en", "", None),
        ("**In short**: kept whole", "en", "", None),
        ("{revenue}: kept whole", "en", "", None),
        ("For us:", "en", "", None),
    ],
)
def test_a_kicker_is_a_short_lead_in_before_the_first_colon(title, lang, kicker, heading):
    found, rest = column_heading({lang: title}, lang)
    assert (found, rest[lang].replace(NBSP, " ")) == (kicker, heading or title)


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("In short: a hit gives way", f"A hit gives{NBSP}way"),
        (
            "For us: keep a way out until the deal is signed",
            f"Keep a way out until the deal is{NBSP}signed",
        ),
        # Too few words to wrap, a long last word, or Chinese: left as they are.
        ("Three short words", "Three short words"),
        ("Keep the terminal's extraordinary", "Keep the terminal's extraordinary"),
        ("要点：先算清回报，再扩大 AI 投入", "先算清回报，再扩大 AI 投入"),
        ("{revenue} was below {cost}", "{revenue} was below {cost}"),
    ],
)
def test_a_headings_last_word_is_kept_with_the_one_before(title, heading):
    assert column_heading({"en": title}, "en")[1] == {"en": heading}


def _captions(lang: str) -> list:
    """Each chart's caption element on the shipped page in a language."""
    html = PageBuilder(load(shipped_source()), load_theme(None), lang).html(PAPERS["a4"], 0)
    return list(html5lib.parse(html).iter(f"{XHTML}figcaption"))


def test_a_chinese_note_ending_on_a_full_stop_takes_no_space_before_the_citation():
    captions = _captions("zh")
    assert len(captions) == 3
    for caption in captions:
        text = "".join(caption.itertext())
        # "…略低。来源：1", not "…略低。 来源：1": the stop holds its own space.
        assert "。来源：" in text and " 来源" not in text, text


def test_an_english_note_keeps_its_space_before_the_citation():
    for caption in _captions("en"):
        text = "".join(caption.itertext())
        assert ". Source: " in text, text


def test_the_citation_under_a_chart_is_never_broken():
    # Chromium broke "来源：1" after "来" at the end of a caption line.
    css = (Path(__file__).parents[1] / "templates" / "default" / "summary.css").read_text()
    assert ".nowrap { white-space: nowrap; }" in css
    for lang in ("zh", "en"):
        for caption in _captions(lang):
            cite = caption.findall(f"{XHTML}span")[-1]
            assert "".join(cite.itertext()).startswith(("来源：", "Source: "))
            assert cite.get("class").split() == ["cite", "nowrap"]


# Each short heading's line widths in px, as Chromium lays them out at a desktop width.
LINE_WIDTHS = """<script>
const widths = [...document.querySelectorAll("h3, .number .label")].map(element => {
  const range = document.createRange();
  range.selectNodeContents(element);
  const lines = new Map();
  for (const rect of range.getClientRects()) {
    const top = Math.round(rect.top);
    lines.set(top, (lines.get(top) || 0) + rect.width);
  }
  return [element.textContent, [...lines.values()]];
});
document.body.setAttribute("data-widths", JSON.stringify(widths));
</script>"""


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium")
def test_no_word_is_left_alone_on_a_headings_last_line(tmp_path: Path):
    # "The region's container ports by throughput in 2025 / (million TEU)" and "Net result in
    # 2023, the strike year (a / loss)" left a short last line at 1240 px.
    html = PageBuilder(load(KESTREL_BAY), load_theme(None), "en").html(PAPERS["a4"], 0)
    page = tmp_path / "page.html"
    page.write_text(html.replace("</body>", LINE_WIDTHS + "</body>"), encoding="utf-8")
    dom = subprocess.run(
        [
            shutil.which("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--window-size=1240,1754",
            "--dump-dom",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    widths = json.loads(html5lib.parse(dom).find(f"{XHTML}body").get("data-widths"))
    wrapped = [(text, lines) for text, lines in widths if len(lines) > 1]
    assert len(wrapped) >= 2, widths  # the two headings above wrap at this width
    for text, lines in wrapped:
        assert lines[-1] >= 0.5 * max(lines), (text, lines)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_the_printed_column_heading_keeps_its_last_word_with_the_one_before(tmp_path: Path):
    # WeasyPrint set "... until the new wage deal is / signed": one word on the last line.
    [pdf] = build(KESTREL_BAY, ("pdf",), "en", tmp_path)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = [(w.text, float(w.get("ymin"))) for w in html5lib.parse(xhtml).iter(f"{XHTML}word")]
    pairs = [(before, word) for before, word in zip(words, words[1:]) if word[0] == "signed"]
    assert pairs  # the heading and the second action both end "is signed"
    for (before, before_top), (_, top) in pairs:
        assert before == "is" and abs(before_top - top) < 1, pairs
