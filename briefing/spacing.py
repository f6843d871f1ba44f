"""How viewers space a line of Chinese beside Latin: the font each character is set in, and
where the gap between the two scripts goes. The measure counts it; the HTML slides draw it."""

from __future__ import annotations

from briefing.linebreak import is_wide

# LibreOffice (and Keynote) put about a quarter em where Chinese meets Latin.
AUTOSPACE_EM = 0.25
# Quotes, dashes and the ellipsis have no script of their own (LibreOffice's "weak" characters,
# Unicode's General Punctuation block): they take the script of the character before them.
# The middle dot "·" is not among them: it is Latin-1, which LibreOffice and PowerPoint (after
# MS-OI29500) both set in the Latin font, with a gap on either side between Chinese.
WEAK = frozenset("“”‘’—…")


def first_strong(text: str) -> str:
    """The first character of text with a script of its own ("" when there is none)."""
    return next((c for c in text if c not in WEAK and not c.isspace()), "")


class Spacing:
    """The characters of one line, in order, as LibreOffice 7.4 sets them (measured on its PDFs
    of the shipped deck): a weak character takes the font of the one before it; one that opens
    the line takes the font of the line's first strong character (an opening quote before
    Chinese is drawn full width in the Chinese font), yet the gap follows it as it follows
    Latin. Spaces do not stop the gap: "资料 · 仅供" has one on each side of the dot."""

    def __init__(self, script: str = "", ahead: str = ""):
        # The script of the line's last strong character, "wide" or "narrow"; "" before any.
        self.script = script
        # The line's first strong character: it sets the font of weak characters opening it.
        self.ahead = ahead
        self.wide = script == "wide"  # the font of the character before

    def next(self, char: str) -> tuple[bool, bool]:
        """Whether `char` is set in the Chinese font, and whether a gap comes before it."""
        if char.isspace():
            return False, False  # a space in the Latin font: the Chinese one's is an em wide
        if char in WEAK:
            if not self.script:
                self.wide = bool(self.ahead) and is_wide(self.ahead)
                self.script = "narrow"
            return self.wide, False
        wide = is_wide(char)
        script = "wide" if wide else "narrow"
        gap = bool(self.script) and script != self.script
        self.script, self.wide = script, wide
        return wide, gap
