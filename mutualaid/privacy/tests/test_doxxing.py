from pathlib import Path

import pytest

from mutualaid.privacy.doxxing import find_personal_details

CORPUS = Path(__file__).with_name("doxxing_corpus.txt")


def load_corpus():
    cases = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, text = line.partition(" | ")
        cases.append(pytest.param(kind.strip(), text, id=f"line{number}-{kind.strip()}"))
    return cases


CASES = load_corpus()


def test_the_corpus_has_at_least_fifty_true_and_fifty_false_cases():
    kinds = [case.values[0] for case in CASES]
    assert sum(kind != "none" for kind in kinds) >= 50
    assert sum(kind == "none" for kind in kinds) >= 50


@pytest.mark.parametrize(("kind", "text"), CASES)
def test_the_guard_finds_what_the_corpus_says(kind, text):
    found = [finding.kind for finding in find_personal_details(text)]
    if kind == "none":
        assert found == [], f"false alarm on {text!r}: {find_personal_details(text)}"
    else:
        assert kind in found, f"missed the {kind} in {text!r}: {find_personal_details(text)}"


def test_a_finding_names_the_fragment_to_move():
    (finding,) = find_personal_details("Call me at 555-867-5309 after six")
    assert finding.fragment == "555-867-5309"


def test_an_email_is_reported_once_not_also_as_a_handle():
    assert [f.kind for f in find_personal_details("write to helpme@gmail.com")] == ["email"]
