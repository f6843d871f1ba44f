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
    """The characters of one paragraph, in order, as LibreOffice 7.4 sets them (measured on its
    PDFs): a weak character takes the font of the one before it in the paragraph; one that
    opens the paragraph takes the font of its first strong character (an opening quote before
    Chinese is drawn full width in the Chinese font), yet the gap follows it as it follows
    Latin. Spaces do not stop the gap: "资料 · 仅供" has one on each side of the dot. No gap
    opens a wrapped line."""

    def __init__(self, script: str = "", ahead: str = "", line_start: bool = False):
        # The script of the paragraph's last strong character, "wide" or "narrow"; "" before any.
        self.script = script
        # The paragraph's first strong character: it sets the font of weak characters opening it.
        self.ahead = ahead
        self.wide = script == "wide"  # the font of the character before
        self.line_start = line_start  # nothing drawn yet on a line that wrapped

    def wrapped(self) -> Spacing:
        """The state at the start of the next line of the same paragraph."""
        return self.copy(line_start=True)

    def copy(self, line_start: bool | None = None) -> Spacing:
        """A state of its own to go on from."""
        state = Spacing(
            self.script, self.ahead, self.line_start if line_start is None else line_start
        )
        state.wide = self.wide
        return state

    def key(self) -> tuple:
        """What sets the spacing of text that follows (to memoise measures by)."""
        return self.script, "" if self.script else self.ahead, self.wide, self.line_start

    def next(self, char: str) -> tuple[bool, bool]:
        """Whether `char` is set in the Chinese font, and whether a gap comes before it."""
        if char.isspace():
            return False, False  # a space in the Latin font: the Chinese one's is an em wide
        opening, self.line_start = self.line_start, False
        if char in WEAK:
            if not self.script:
                self.wide = bool(self.ahead) and is_wide(self.ahead)
                self.script = "narrow"
            return self.wide, False
        wide = is_wide(char)
        script = "wide" if wide else "narrow"
        gap = bool(self.script) and script != self.script and not opening
        self.script, self.wide = script, wide
        return wide, gap
