"""Work-history questions read in code, and the years arithmetic: overlapping periods counted once, a
current role counted to this month, month precision, rounded sensibly; a term no role names is not shown."""

from datetime import date
from types import SimpleNamespace

import pytest

from folio.services.work_history import answer, duration, months_of, work_question

TODAY = date(2025, 3, 15)


def role(org, title, start, end=None, tech=(), summary="", highlights=(), slug=None):
    return SimpleNamespace(organisation=org, title=title, slug=slug or f"{title}-{org}".lower().replace(" ", "-"),
                           started_on=date.fromisoformat(start), ended_on=date.fromisoformat(end) if end else None,
                           location="", summary=summary, highlights=list(highlights), tech=list(tech))


ACME = role("Acme", "Senior Engineer", "2021-03-01", tech=["Python", "Rust"])
GLOBEX = role("Globex", "Engineer", "2018-01-01", "2021-06-01", tech=["Python"],
              highlights=["Rewrote the billing engine in Go"])
INITECH = role("Initech", "Intern", "2016-06-01", "2016-08-01", summary="Wrote Python scripts.")
ROLES = [ACME, GLOBEX, INITECH]


@pytest.mark.parametrize("question, aspect, term", [
    ("Where have you worked?", "history", ""),
    ("What's your work history?", "history", ""),
    ("Where does she work now?", "current", ""),
    ("where is he working at the moment?", "current", ""),
    ("How many years of Python?", "years", "Python"),
    ("How long has he worked with Rust?", "years", "Rust"),
    ("How many years of experience with Go does she have?", "years", "Go"),
    ("Have you worked at Google?", "worked_at", "Google"),
    ("Did she work for Acme Corp?", "worked_at", "Acme Corp"),
])
def test_questions_are_read(question, aspect, term):
    asked = work_question(question)
    assert asked is not None and (asked.aspect, asked.term) == (aspect, term)


@pytest.mark.parametrize("question", ["Where does she work from?", "Have you worked with Rust?",
                                      "Which projects use Rust?", "Tell me about yourself"])
def test_other_questions_are_not_work_questions(question):
    assert work_question(question) is None


def test_overlapping_periods_count_once_and_current_runs_to_this_month():
    # Globex Jan 2018..Jun 2021 (42 months) overlaps Acme Mar 2021..Mar 2025 (49): Jan 2018..Mar 2025 = 87.
    assert months_of([ACME, GLOBEX], TODAY) == 87
    assert months_of([INITECH], TODAY) == 3  # Jun, Jul, Aug: both ends counted
    assert months_of([ACME, GLOBEX, INITECH], TODAY) == 90


@pytest.mark.parametrize("months, words", [(1, "1 month"), (8, "8 months"), (12, "1 year"), (17, "1½ years"),
                                           (20, "1½ years"), (21, "2 years"), (49, "4 years"), (54, "4½ years"), (66, "6 years"), (87, "7 years"), (90, "8 years")])
def test_durations_are_rounded_sensibly(months, words):
    assert duration(months) == words


def test_years_of_a_term_cite_the_roles_that_name_it():
    text, cited = answer(work_question("How many years of Python?"), ROLES, TODAY)
    assert text.startswith("About 8 years of Python (2016 and 2018–now, at Acme, Globex and Initech):")
    assert [r.slug for r in cited] == ["senior-engineer-acme", "engineer-globex", "intern-initech"]
    assert "[Senior Engineer at Acme](/p/experience/senior-engineer-acme)" in text
    rust, cited = answer(work_question("How long has he worked with Rust?"), ROLES, TODAY)
    assert rust.startswith("About 4 years of Rust (2021–now, at Acme):") and cited == [ACME]
    go, cited = answer(work_question("how many years of Go?"), ROLES, TODAY)  # named in a highlight
    assert go.startswith("About 3½ years of Go (2018–2021, at Globex):") and cited == [GLOBEX]


def test_a_term_no_role_names_is_not_shown():
    text, cited = answer(work_question("How many years of Haskell?"), ROLES, TODAY)
    assert text == "The work history doesn't show Haskell." and cited == []
    text, cited = answer(work_question("Have you worked at Google?"), ROLES, TODAY)
    assert text == "The work history doesn't show Google." and cited == []
    assert answer(work_question("Where have you worked?"), [], TODAY)[1] == []


def test_history_current_and_worked_at():
    text, cited = answer(work_question("Where have you worked?"), ROLES, TODAY)
    assert text.splitlines()[0] == "The work history shows 3 roles:" and cited == ROLES
    assert "(Mar 2021 – now)" in text and "(Jan 2018 – Jun 2021)" in text
    now, cited = answer(work_question("Where does she work now?"), ROLES, TODAY)
    assert now.startswith("Currently: [Senior Engineer at Acme](/p/experience/senior-engineer-acme)") and cited == [ACME]
    at, cited = answer(work_question("Did she work for Acme Corp?"), ROLES, TODAY)
    assert at.startswith("Yes: the work history shows Acme:") and cited == [ACME]
    past, cited = answer(work_question("Where does she work now?"), [GLOBEX, INITECH], TODAY)
    assert past.startswith("The work history shows no current role") and cited == [GLOBEX]
