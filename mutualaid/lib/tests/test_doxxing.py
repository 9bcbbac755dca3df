from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from mutualaid.lib.doxxing import (
    OFFER_ADVICE,
    find_personal_details,
    refuse_personal_details,
)

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


def test_the_validator_names_the_fragment_its_kind_and_where_to_move_it():
    with pytest.raises(ValidationError) as refused:
        refuse_personal_details("Call 555-123-4567 or write to rosa@example.org")
    assert refused.value.messages == [
        "“rosa@example.org” looks like an email address. Move it into the private details, "
        "which only your volunteer and organizers see.",
        "“555-123-4567” looks like a phone number. Move it into the private details, "
        "which only your volunteer and organizers see.",
    ]


def test_the_validator_takes_other_advice():
    with pytest.raises(ValidationError) as refused:
        refuse_personal_details("Lifts from 12 Oak Street", advice=OFFER_ADVICE)
    (message,) = refused.value.messages
    assert message.startswith("“12 Oak Street” looks like a street address. Leave it out")


def test_the_validator_lets_ordinary_text_through():
    assert refuse_personal_details("Groceries for a family of four, Saturday 10am") is None
