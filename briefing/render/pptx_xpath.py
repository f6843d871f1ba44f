"""python-pptx's XPath queries compiled once per process instead of once per call."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from pptx.oxml.ns import _nsmap
from pptx.oxml.xmlchemy import BaseOxmlElement

# python-pptx's own method, kept for the test that compares the two.
LIBRARY_XPATH = BaseOxmlElement.xpath


@lru_cache(maxsize=512)  # a deck asks a handful of distinct expressions
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression, namespaces=_nsmap)


def _xpath(self, xpath_str: str):
    """The library's query (same expression, same namespaces, same result), compiled once."""
    return _compiled(xpath_str)(self)


def compile_xpaths_once() -> None:
    """Make python-pptx reuse compiled XPath queries.

    Its `BaseOxmlElement.xpath` hands each string to lxml's `_Element.xpath`, which compiles
    it anew on every call: a deck asks ~1,400 (placeholders, shape ids, layouts), and the
    compiling was a sixth of writing the shipped deck."""
    BaseOxmlElement.xpath = _xpath
