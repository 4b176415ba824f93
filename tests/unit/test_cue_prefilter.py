"""The quick prefilter of the cue patterns is sound: it never skips a pattern that would match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quantumlayer.intent import classify, features, nfr
from quantumlayer.intent.evaluation import load_cases
from quantumlayer.intent.text import Cue, _alternation, literal_keys, lowered, may_match

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


CUE_OBJECTS = (
    [cue for cues in classify._COMPILED.values() for _, _, cue in cues]
    + [cue for patterns in features._COMPILED.values() for _, cue in patterns]
    + [cue for *_, cue in nfr._COMPILED]
)


def test_a_pruned_cue_matches_exactly_what_the_whole_pattern_matches() -> None:
    # Cue.for_text leaves out the alternatives a text lacks the keys of; the matches must be
    # the very same (every eighth labelled idea keeps the test quick; docs/intent.md has the run
    # over all of them).
    assert sum(1 for cue in CUE_OBJECTS if cue._branches) > 150
    for cue in CUE_OBJECTS:
        for text in TEXTS[::8]:
            pruned = cue.for_text(text)
            got = [m.span() for m in pruned.finditer(text)] if pruned is not None else []
            whole = [m.span() for m in cue.pattern.finditer(text)]
            assert got == whole, (cue.pattern.pattern, text)


@pytest.mark.parametrize(
    ("pattern", "split"),
    [
        (r"\b(cat|dog)\b", ["cat", "dog"]),
        (r"\b(?:cat|dog)s?\b", ["cat", "dog"]),
        (r"\b(a[|(]b|c\)d)\b", ["a[|(]b", r"c\)d"]),  # brackets and escapes are not split on
        (r"\b(cat|dog)?s\b", None),  # an optional group: run whole
        (r"\b(cat|dog)\b|bird", None),  # alternatives outside the group
        (r"\b(cat|dog)[(]s|bird", None),  # ... also after a bracket in a character class
        (r"(?<!x )(cat|dog)", None),  # a look-around first
        (r"\bcat\b", None),  # nothing to split
    ],
)
def test_which_patterns_are_split_into_alternatives(pattern: str, split: list[str] | None) -> None:
    found = _alternation(pattern)
    assert (found[1] if found else None) == split


def test_a_pruned_cue_skips_what_cannot_match() -> None:
    cue = Cue(r"\b(stripe|paypal|apple pay)\b")
    assert cue.for_text("no payment words here") is None
    pruned = cue.for_text("pay with paypal")
    assert pruned is not None and pruned.pattern == r"\b(paypal)\b"
    both = cue.for_text("stripe or paypal")
    assert both is not None and both.pattern == r"\b(stripe|paypal)\b"
    assert cue.for_text("stripe, paypal or apple pay") is cue.pattern
