"""The drafting brief's reading: what the brief already gives counts only as the brief's own words."""

from agent.drafting.write import quoted


def test_a_quote_counts_only_when_the_brief_holds_it():
    brief = "Remember Glint? The 6 GB log file, jq taking forever on every query: p99 went from 900 ms to 40 ms."
    assert quoted("the 6 GB log file, jq taking forever on every query", brief)
    assert quoted("900 ms, 40 ms", brief, digits=True)  # each part, as written
    assert not quoted("jq was slow because the file was huge", brief)  # a paraphrase gives nothing
    assert not quoted("jq taking forever", brief, digits=True)  # numbers hold a digit
    assert not quoted("", brief) and not quoted(None, brief) and not quoted("None", brief)
