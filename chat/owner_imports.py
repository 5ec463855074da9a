"""The owner's imports in the chat ("import my GitHub repos", "import my blog from URL"): a step per
repository while the source is read, a preview table with checkboxes and Confirm, a step per item while
it is written, then the drafts, the conflicts (each a diff with Accept / Ignore) and what the source no
longer lists. folio.services.importing does the work; this is the Chainlit side."""

from __future__ import annotations

import re
import uuid

import chainlit as cl

from folio import prompts
from folio.actor import Actor
from folio.errors import DomainError
from folio.services import Services
from folio.services.importing import ImportAsk, ImportPreview

CONFIRM = "import_confirm"
SELECT_ALL = "import_select_all"
PUBLISH = "import_toggle_publish"
CANCEL = "import_cancel"
ACCEPT = "import_conflict_accept"
IGNORE = "import_conflict_ignore"
ACTIONS = (CONFIRM, SELECT_ALL, PUBLISH, CANCEL)
PREVIEWS_KEY = "import_previews"  # user_session: preview id -> its source (the preview itself stays in the service)
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def md(text: str) -> str:
    """Outside text (a repository's name, a post's title) shown literally in Markdown."""
    return MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def code(text: str) -> str:
    """Outside text shown in a code span."""
    return " ".join(str(text).replace("`", "'").split())


async def retire_buttons(action: cl.Action) -> None:
    for button_id in (action.payload or {}).get("buttons", []):
        await cl.Action(name=action.name, payload={}, id=str(button_id), forId=action.forId).remove()


async def _step(name: str, output: str) -> None:
    async with cl.Step(name=name, type="tool") as step:
        step.output = output


async def start(actor: Actor, services: Services, ask: ImportAsk) -> None:
    """Read the source (a step per repository or feed page) and show the preview."""
    imports = services.imports
    try:
        source = await imports.source_asked(actor, ask)

        async def read(done: int, total: int | None, label: str) -> None:
            await _step(prompts.IMPORT_READ_STEP.format(label=label), f"read {done}/{total}" if total else "read")

        async with cl.Step(name=prompts.IMPORT_READING.format(source=source), type="run"):
            preview = await imports.preview(actor, source, humanise=ask.humanise, progress=read)
    except DomainError as exc:
        await cl.Message(content=prompts.IMPORT_FAILED.format(reason=exc.message.rstrip("."))).send()
        return
    if preview.not_modified:
        await imports.apply(actor, preview.id)
        await cl.Message(content=prompts.IMPORT_NOT_MODIFIED.format(source=code(source))).send()
        return
    if not preview.planned and not preview.removed:
        await cl.Message(content=prompts.IMPORT_NOTHING.format(source=code(source))).send()
        return
    selected = [p.candidate.external_id for p in preview.new if p.selected]
    await show_preview(preview, selected, ask.publish)


def _table(preview: ImportPreview, selected: set[str]) -> str:
    rows = ["| | | Title | Notes |", "|---|---|---|---|"]
    for plan in preview.planned:
        c = plan.candidate
        box = ("☑" if c.external_id in selected else "☐") if plan.action == "create" else ""
        notes = list(c.notes)
        if plan.updates:
            notes.append("updates " + ", ".join(sorted(plan.updates)))
        if plan.conflicts:
            notes.append("conflict: " + ", ".join(sorted(plan.conflicts)))
        if not notes and c.kind == "project":
            notes.append(str(c.values.get("summary") or "")[:80])
        what = {"create": "new", "update": "update", "conflict": "update"}.get(plan.action, plan.action)
        rows.append(f"| {box} | {what} | {md(c.title)} | {md('; '.join(n for n in notes if n))} |")
    for gone in preview.removed:
        rows.append(f"| | removed | {md(gone.title)} | no longer at the source (kept here) |")
    return "\n".join(rows)


async def show_preview(preview: ImportPreview, selected: list[str], publish: bool) -> None:
    ids = [str(uuid.uuid4()) for _ in ACTIONS]
    payload = {"preview": preview.id, "selected": selected, "publish": publish, "buttons": ids}
    changed = sum(p.action in ("update", "conflict") for p in preview.planned)
    text = prompts.IMPORT_PREVIEW.format(
        source=code(preview.source), new=len(preview.new), changed=changed,
        same=sum(p.action == "unchanged" for p in preview.planned), requests=preview.requests,
        state="published" if publish else "drafts")
    every = [p.candidate.external_id for p in preview.new]
    labels = {CONFIRM: f"Confirm ({len(selected)} new)", SELECT_ALL: "Select all" if len(selected) < len(every)
              else "Only the suggested", PUBLISH: "Keep as drafts" if publish else "Publish them", CANCEL: "Cancel"}
    actions = [cl.Action(name=name, payload=payload, label=labels[name], id=button_id)
               for name, button_id in zip(ACTIONS, ids, strict=True)]
    await cl.Message(content=f"{text}\n\n{_table(preview, set(selected))}", actions=actions).send()


async def answer(actor: Actor, services: Services, action: cl.Action) -> None:
    """A button under the preview: confirm, change the selection or the publication, or cancel."""
    payload = action.payload or {}
    imports, preview_id = services.imports, str(payload.get("preview", ""))
    await retire_buttons(action)
    if action.name == CANCEL:
        imports.previews.pop(preview_id, None)
        await cl.Message(content=prompts.IMPORT_CANCELLED).send()
        return
    preview = imports.previews.get(preview_id)
    selected = [str(s) for s in payload.get("selected", [])]
    publish = bool(payload.get("publish"))
    if action.name in (SELECT_ALL, PUBLISH) and preview is not None:
        if action.name == SELECT_ALL:
            every = [p.candidate.external_id for p in preview.new]
            suggested = [p.candidate.external_id for p in preview.new if p.selected]
            selected = suggested if len(selected) == len(every) else every
        else:
            publish = not publish
        await show_preview(preview, selected, publish)
        return
    source = preview.source if preview is not None else ""
    try:
        async def wrote(done: int, total: int | None, label: str) -> None:
            if label:
                await _step(label, f"{done + 1}/{total}")

        async with cl.Step(name=prompts.IMPORT_WRITING.format(source=source), type="run"):
            report = await imports.apply(actor, preview_id, selected=set(selected), publish=publish, progress=wrote)
    except DomainError as exc:
        await cl.Message(content=prompts.IMPORT_FAILED.format(reason=exc.message.rstrip("."))).send()
        return
    state = "published" if publish else "drafts"
    lines = [prompts.IMPORT_CREATED_LINE.format(kind=k, title=md(t), slug=s) for k, s, t in report.created]
    summary = prompts.IMPORT_DONE.format(source=code(report.source), created=len(report.created), state=state,
                                         updated=len(report.updated), unchanged=report.unchanged)
    await cl.Message(content="\n".join([summary, "", *lines]).strip()).send()
    for conflict in report.conflicts:
        await show_conflict(conflict)
    if report.removed:
        items = "\n".join(f"- {r.kind} **{md(r.title)}**" + (f" (`{r.slug}`)" if r.slug else "") for r in report.removed)
        await cl.Message(content=prompts.IMPORT_REMOVED.format(items=items)).send()


async def show_conflict(conflict) -> None:
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    payload = {"record": conflict.record_id, "field": conflict.field, "slug": conflict.slug, "buttons": ids}
    await cl.Message(content=prompts.IMPORT_CONFLICT.format(field=conflict.field, kind=conflict.kind,
                                                            slug=conflict.slug, diff=conflict.diff().replace("```", "ʼʼʼ")),
                     actions=[cl.Action(name=ACCEPT, payload=payload, label="Accept the source's", id=ids[0]),
                              cl.Action(name=IGNORE, payload=payload, label="Keep mine", id=ids[1])]).send()


async def resolve(actor: Actor, services: Services, action: cl.Action) -> None:
    payload = action.payload or {}
    await retire_buttons(action)
    accept = action.name == ACCEPT
    try:
        view = await services.imports.resolve(actor, str(payload.get("record", "")), str(payload.get("field", "")),
                                              accept=accept)
    except DomainError as exc:
        await cl.Message(content=prompts.IMPORT_FAILED.format(reason=exc.message.rstrip("."))).send()
        return
    text = prompts.IMPORT_CONFLICT_ACCEPTED if accept else prompts.IMPORT_CONFLICT_IGNORED
    await cl.Message(content=text.format(field=view.field, slug=view.slug)).send()
