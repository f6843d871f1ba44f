"""python-pptx's XPath queries compiled once (render/pptx_xpath.py) answer as the library does."""

from __future__ import annotations

from pptx.oxml.xmlchemy import BaseOxmlElement

import briefing.render.pptx  # noqa: F401  (installs the compiled queries)
from briefing import api
from briefing.render import pptx_xpath


def test_a_deck_compiles_each_query_once(tmp_path):
    assert BaseOxmlElement.xpath is pptx_xpath._xpath
    pptx_xpath._compiled.cache_clear()
    api.build(formats=("pptx",), out_dir=tmp_path)
    asked = pptx_xpath._compiled.cache_info()
    # The shipped deck asks ~1,400 queries of a handful of kinds.
    assert asked.misses < 50
    assert asked.hits > 10 * asked.misses


def test_every_query_of_a_deck_answers_as_python_pptx_does(tmp_path, monkeypatch):
    asked = []

    def both(element, expression):
        ours = pptx_xpath._xpath(element, expression)
        asked.append((expression, ours, pptx_xpath.LIBRARY_XPATH(element, expression)))
        return ours

    monkeypatch.setattr(BaseOxmlElement, "xpath", both)
    api.build(formats=("pptx",), lang="en", out_dir=tmp_path)
    assert len({expression for expression, _, _ in asked}) >= 5
    for expression, ours, theirs in asked:
        # Elements by identity (lxml gives one proxy per node), strings and numbers by value.
        assert ours == theirs, expression
        assert [type(found) for found in ours] == [type(found) for found in theirs], expression
