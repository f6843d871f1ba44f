"""How long a slide's speaker notes take to say aloud, from published speech rates."""

from __future__ import annotations

import re

# Speech rates from published studies (see README "Speaking time" for the citations): English
# lectures run at about 140 words a minute (Tauroza and Allison 1990); Mandarin news is read at
# about 268 characters a minute (Lee and Chan 2003), and a presenter, pausing between points,
# is taken to be a little slower.
CHINESE_CHARACTERS_PER_MINUTE = 250
ENGLISH_WORDS_PER_MINUTE = 140

# Han ideographs (CJK Unified, Extension A, Compatibility): each is one spoken syllable.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# A word outside Han text: letters or digits joined by apostrophes, dots, commas or hyphens,
# so that "1,250" or "don't" count once.
_WORD = re.compile(r"[^\W_](?:[\w'’.,\-]*[^\W_])?")


def speaking_seconds(text: str) -> float:
    """Seconds to say a text aloud: Han characters at the Chinese rate, other words at the
    English rate (Chinese notes quote English names and figures, and English ones may quote
    Chinese)."""
    characters = len(_HAN.findall(text))
    words = len(_WORD.findall(_HAN.sub(" ", text)))
    minutes = characters / CHINESE_CHARACTERS_PER_MINUTE + words / ENGLISH_WORDS_PER_MINUTE
    return minutes * 60


def format_duration(seconds: float) -> str:
    """A duration as m:ss, rounded to the second."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
