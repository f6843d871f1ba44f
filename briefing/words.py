"""Every word the outputs add around the briefing's own text, per language (English fallback)."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "source": "Source: ",
        "via": " via ",
        "note": "Note: ",
        "list": ", ",
        "sources_sep": "; ",
        "comma": ", ",
        "for": "For: ",
        "log_scale": "; log scale",
        "traced": "All {n} figures in this briefing carry their source",
        "traced_one": "The one figure in this briefing carries its source",
        "traced_derived": "; derived ones say how",
        "stop": ".",
        "page_numbers": "Key numbers",
        "page_takeaways": "Key takeaways",
        "page_actions": "What it means",
        "page_charts": "The numbers in charts",
        "page_sources": "Sources",
        "page_source": "Source",
        "page_note": "Note",
        "page_for": "For",
        "page_by": "By",
        "continued": " (cont.)",
    },
    "zh": {
        "source": "来源：",
        "via": "，据",
        "note": "注：",
        "list": "、",
        "sources_sep": "；",
        "comma": "，",
        "for": "面向：",
        "log_scale": "；对数刻度",
        "traced": "本简报中的 {n} 个数字均注明来源",
        "traced_one": "本简报中的 1 个数字注明了来源",
        "traced_derived": "；衍生数字说明了算法",
        "stop": "。",
        "page_numbers": "关键数字",
        "page_takeaways": "要点",
        "page_actions": "对我们的启示",
        "page_charts": "图表",
        "page_sources": "来源",
        "page_source": "来源",
        "page_note": "注",
        "page_for": "面向",
        "page_by": "作者",
        "continued": "（续）",
    },
}


def word(key: str, lang: str) -> str:
    """The word for `key` in a language; English where the language has none."""
    return WORDS.get(lang, WORDS["en"]).get(key, WORDS["en"][key])


def page_labels(lang: str) -> dict[str, str]:
    """The page template's labels (labels.numbers, labels.sources, ...)."""
    return {k.removeprefix("page_"): word(k, lang) for k in WORDS["en"] if k.startswith("page_")}
