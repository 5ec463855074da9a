"""The owner's Confirm / Cancel buttons in a chainlit_session: the ones still shown, and pressing one."""

import chainlit as cl

from chat import handlers as chat, owner_chat


def buttons(ui, *names) -> list[dict]:
    removed = {d["id"] for e, d in ui.events if e == "remove_action"}
    return [a for a in ui.actions() if a["name"] in names and a["id"] not in removed]


async def press(ui, label: str) -> str:
    """Press the newest shown button with this label; the chat's reply."""
    button = next(b for b in reversed(buttons(ui, owner_chat.CONFIRM, owner_chat.CANCEL)) if b["label"] == label)
    await chat.answer_change(cl.Action(**button))
    return ui.messages()[-1]["output"]
