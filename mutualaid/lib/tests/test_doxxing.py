from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from mutualaid.lib import doxxing
from mutualaid.lib.doxxing import (
    OFFER_ADVICE,
    PUBLIC_NAME_ADVICE,
    SCAN_MAX,
    find_personal_details,
    guard_public_text,
    refuse_personal_details,
)
from mutualaid.lib.refusal import Refusal

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


def test_the_validator_reads_the_network_region():
    assert refuse_personal_details("Llámame al 612–34–56–78") is None
    with pytest.raises(ValidationError):
        refuse_personal_details("Llámame al 612–34–56–78", region="ES")


def _must_not_run(*args, **kwargs):
    raise AssertionError("a pattern ran before the length was checked")


def test_the_validator_refuses_text_too_long_to_check_without_reading_it(monkeypatch):
    assert refuse_personal_details("a" * SCAN_MAX) is None
    monkeypatch.setattr(doxxing, "find_personal_details", _must_not_run)
    with pytest.raises(ValidationError) as refused:
        refuse_personal_details("a." * SCAN_MAX)
    assert refused.value.code == "too_long"
    assert refused.value.messages == [f"Keep it to {SCAN_MAX} characters."]


# The services' door: guard_public_text.


def test_the_guard_returns_the_text_stripped():
    assert guard_public_text("  Groceries for four \n", max_length=140) == "Groceries for four"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_the_guard_refuses_empty_text(text):
    with pytest.raises(Refusal) as refused:
        guard_public_text(text, max_length=140)
    assert refused.value.code == "empty"
    assert str(refused.value) == "Write a few words first."


def test_the_guard_counts_the_length_after_stripping():
    assert guard_public_text(f"  {'a' * 140}  ", max_length=140) == "a" * 140
    with pytest.raises(Refusal) as refused:
        guard_public_text("a" * 141, max_length=140)
    assert refused.value.code == "too_long"
    assert str(refused.value) == "Keep it to 140 characters."


def test_the_guard_checks_the_length_before_any_pattern_runs(monkeypatch):
    monkeypatch.setattr(doxxing, "find_personal_details", _must_not_run)
    with pytest.raises(Refusal) as refused:
        guard_public_text("rosa." * 200_000 + "@example.org", max_length=140)
    assert refused.value.code == "too_long"


def test_the_guard_names_every_finding_then_gives_the_advice_once():
    with pytest.raises(Refusal) as refused:
        guard_public_text("Call 555-123-4567 or write to rosa@example.org", max_length=140)
    assert refused.value.code == "personal_details"
    assert str(refused.value) == (
        "“rosa@example.org” looks like an email address. “555-123-4567” looks like a phone "
        "number. Move it into the private details, which only your volunteer and organizers see."
    )


def test_the_guard_says_what_the_validator_says_for_one_finding():
    with pytest.raises(ValidationError) as invalid:
        refuse_personal_details("Lifts from 12 Oak Street", advice=OFFER_ADVICE)
    with pytest.raises(Refusal) as refused:
        guard_public_text("Lifts from 12 Oak Street", max_length=140, advice=OFFER_ADVICE)
    assert refused.value.as_dict() == {
        "code": "personal_details",
        "message": invalid.value.messages[0],
    }


def test_the_guard_takes_other_advice():
    with pytest.raises(Refusal) as refused:
        guard_public_text("Corner of Maple and 5th", max_length=80, advice=PUBLIC_NAME_ADVICE)
    assert str(refused.value) == (
        "“Corner of Maple and 5th” looks like a street address. Names are public: leave out "
        "anything that identifies or locates someone."
    )


def test_the_guard_lets_ordinary_text_through():
    text = "Help at home. Please bring soup, Saturday 2026-11-30 at 10:30"
    assert guard_public_text(text, max_length=140, region="ES") == text


# The second pass: the phonenumbers library, told the network's region.


def test_the_network_region_finds_numbers_written_as_that_country_writes_them():
    text = "Llámame al 612–34–56–78"  # en dashes, which the patterns do not take for separators
    assert find_personal_details(text) == []  # read as a number of the United States: too short
    assert find_personal_details(text, region="ES") == [doxxing.Finding("phone", "612–34–56–78")]
    assert find_personal_details(text, region="es") == find_personal_details(text, region="ES")


def test_without_a_region_numbers_are_read_as_the_united_states_writes_them():
    assert [f.kind for f in find_personal_details("call 415–555–2671 after work")] == ["phone"]


@pytest.mark.parametrize("region", [None, "US", "ES", "XX"])
def test_an_international_number_is_found_in_any_region(region):
    found = find_personal_details("WhatsApp +34 612–34–56–78", region=region)
    assert found == [doxxing.Finding("phone", "+34 612–34–56–78")]


NONE_CASES = [case for case in CASES if case.values[0] == "none"]


@pytest.mark.parametrize("region", ["US", "ES", "MX", "GB"])
def test_the_second_pass_raises_no_false_alarm_on_the_corpus(region):
    alarms = {
        text: found
        for _, text in (case.values for case in NONE_CASES)
        if (found := find_personal_details(text, region=region))
    }
    assert alarms == {}


# The faults a security probe found, one test each (the corpus holds many more cases of each).


def test_help_at_home_is_not_an_email():
    assert find_personal_details("help at home. Please bring soup") == []
    assert [f.kind for f in find_personal_details("rosa at gmail.com")] == ["email"]


def test_a_unit_of_a_course_is_not_a_flat():
    assert find_personal_details("Unit 3 exam, need a tutor") == []
    assert [f.fragment for f in find_personal_details("Unit 3, ring the bell")] == ["Unit 3"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("meet at the corner of Maple and 5th", "corner of Maple and 5th"),
        ("Maple & 5th", "Maple & 5th"),
        ("Maple and Fifth Street", "Maple and Fifth Street"),
        ("esquina de Olmo y Pino", "esquina de Olmo y Pino"),
        ("calle Olmo y Pino", "calle Olmo y Pino"),
        ("house 14", "house 14"),
        ("vivo en el número 23", "número 23"),
        ("interior 4", "interior 4"),
        ("casa 12", "casa 12"),
        ("the 12th house on the left", "12th house on the left"),
        ("lat 40.1 lon -3.7", "lat 40.1 lon -3.7"),
        ("lat: 40.1, long: -3.7", "lat: 40.1, long: -3.7"),
        ("five five five, one two three four", "five five five, one two three four"),
        ("cinco cinco cinco uno dos tres cuatro", "cinco cinco cinco uno dos tres cuatro"),
        ("text 555 one two three four", "555 one two three four"),
    ],
)
def test_the_misses_the_probe_found_are_found(text, fragment):
    assert fragment in [finding.fragment for finding in find_personal_details(text)]


def test_a_spelled_number_needs_seven_digits():
    assert find_personal_details("one two three four five six") == []
    assert [f.kind for f in find_personal_details("one two three four five six seven")] == ["phone"]
    assert [f.kind for f in find_personal_details("seis doce treinta y cuatro")] == []


def test_many_findings_are_each_reported_once():
    found = find_personal_details("call 555-1234 " * 1_000)
    assert len(found) == 1_000
    assert {finding.fragment for finding in found} == {"555-1234"}
