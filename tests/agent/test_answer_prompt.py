"""The answering call for small models: results folded into the question; rounds by model kind."""

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.answer_prompt import fold_results
from agent.configuration import Configuration
from folio.actor import Actor
from folio.settings import load_settings


def test_the_turns_results_are_folded_into_its_question():
    earlier = [HumanMessage("hi"), AIMessage("Hello!")]
    turn = [HumanMessage("Which projects use Rust?"),
            AIMessage("", tool_calls=[{"name": "search_portfolio", "args": {"query": "rust"}, "id": "c1"}]),
            ToolMessage("- [Ferrox](/api/v1/projects/ferrox)", tool_call_id="c1"),
            AIMessage("", tool_calls=[{"name": "get_content", "args": {"kind": "project", "slug": "ferrox"},
                                       "id": "c2"}]),
            ToolMessage("project: Ferrox, in Rust", tool_call_id="c2")]
    nudge = HumanMessage("Answer now.")
    folded = fold_results([*earlier, *turn, nudge])
    assert folded[:2] == earlier and folded[-1] is nudge and len(folded) == 4
    assert folded[2].content == ("Search results:\n- [Ferrox](/api/v1/projects/ferrox)\n\nproject: Ferrox, in Rust"
                                 "\n\nQuestion: Which projects use Rust?")


def test_nothing_to_fold_leaves_the_messages_alone():
    messages = [HumanMessage("hi")]
    assert fold_results(messages) == messages


def test_visitor_tool_rounds_follow_the_model_kind(monkeypatch):
    monkeypatch.delenv("FOLIO_LLM_BASE_URL")
    embedded = Configuration.for_actor(Actor(), load_settings())
    external = Configuration.for_actor(Actor(), load_settings(llm_base_url="http://llm:8000/v1"))
    chosen = Configuration.for_actor(Actor(), load_settings(llm_tool_rounds=1))
    assert (embedded.max_tool_rounds, external.max_tool_rounds, chosen.max_tool_rounds) == (0, 2, 1)
    assert embedded.retrieve_first and embedded.fold_results


def test_plain_mentions_of_sources_become_links_and_invented_links_are_dropped():
    from agent.citations import ground_links

    results = [ToolMessage("results", tool_call_id="c1", artifact={"weak": False, "sources": [
        {"title": "Ferrox", "url": "/api/v1/projects/ferrox"}, {"title": "Glint", "url": "/api/v1/projects/glint"},
        {"title": "Canopy", "url": "/api/v1/projects/canopy"}]})]
    answer = "Ferrox and [Glint](/api/v1/projects/glint) use Rust; Ferrox is fast. See [docs](https://x.invalid)."
    assert ground_links(answer, results) == (
        "[Ferrox](/api/v1/projects/ferrox) and [Glint](/api/v1/projects/glint) use Rust; Ferrox is fast. See docs.")
    # Only items the answer names are cited: no "Sources:" list of items it does not use.
    assert ground_links("Two projects do.", results) == "Two projects do."
