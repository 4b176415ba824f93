"""The quick prefilter of the cue patterns is sound: it never skips a pattern that would match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumlayer.intent import classify, features, nfr
from quantumlayer.intent.evaluation import load_cases
from quantumlayer.intent.text import literal_keys, lowered, may_match

HERE = Path(__file__).parent
CUES = (
    [p for cues in classify._COMPILED.values() for p, _, _ in cues]
    + [p for patterns in features._COMPILED.values() for p, _ in patterns]
    + [p for _, p, _, _ in nfr._COMPILED]
)
TEXTS = [
    lowered(c.prompt) for path in sorted(HERE.glob("intent_cases*.jsonl")) for c in load_cases(path)
]


@pytest.mark.parametrize(
    ("pattern", "keys"),
    [
        (r"\bapi\b", ("api",)),
        (r"\b(rest|graphql) (api|server)\b", ("graphql", "rest")),  # the longer keys win
        (r"\b(a|the)? ?cat", ("cat",)),  # optional parts need nothing
        (r"\b(x+|ab)\b", ("ab", "x")),
        (r"\b(\w+|ab)\b", ()),  # a branch that needs nothing: no filter
        (r"(?<!photo )library", ("library",)),  # a lookbehind is not needed
    ],
)
def test_keys_are_what_every_match_needs(pattern: str, keys: tuple[str, ...]) -> None:
    assert literal_keys(pattern) == keys


def test_no_cue_matches_a_labelled_idea_its_filter_would_skip() -> None:
    assert len(CUES) > 150 and len(TEXTS) > 400
    for pattern in CUES:
        keys = literal_keys(pattern.pattern)
        for text in TEXTS:
            if pattern.search(text):
                assert may_match(keys, text), (pattern.pattern, keys, text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(sorted({w for t in TEXTS for w in re.findall(r"\S+", t)})), max_size=40
    )
)
def test_no_cue_matches_shuffled_words_its_filter_would_skip(words: list[str]) -> None:
    text = " ".join(words)
    for pattern in CUES:
        if pattern.search(text):
            assert may_match(literal_keys(pattern.pattern), text), pattern.pattern


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdeilnorst -./", max_size=60), st.sampled_from(TEXTS))
def test_the_one_pass_key_search_decides_like_a_substring_test(extra: str, text: str) -> None:
    # keys_in (one Aho-Corasick pass over the text) against `in` for every key of every cue,
    # including keys that never came from literal_keys
    keysets = [literal_keys(p.pattern) for p in CUES] + [(extra.strip(),) if extra.strip() else ()]
    sample = text + " " + extra
    for keys in keysets:
        assert may_match(keys, sample) == (not keys or any(k in sample for k in keys)), keys
