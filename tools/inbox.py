"""Tools that leave something for the owner (anyone may; only the owner reads the inbox)."""

from __future__ import annotations

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from folio import prompts
from tools._adapter import ToolResult, domain_errors_as_text, structured
from tools.context import ToolContext


class QuestionArgs(BaseModel):
    question: str = Field(description=prompts.ARG_QUESTION)


class ContactArgs(BaseModel):
    name: str = Field(description=prompts.ARG_NAME)
    email: str = Field(description=prompts.ARG_EMAIL)
    message: str = Field("", description=prompts.ARG_MESSAGE)


def inbox_tools(ctx: ToolContext) -> list[BaseTool]:
    inbox = ctx.services.inbox

    @domain_errors_as_text
    async def record_unanswered_question(question: str) -> ToolResult:
        _, created = await inbox.record_question(question, ctx.origin)
        return (prompts.TOOL_QUESTION_RECORDED if created else prompts.TOOL_QUESTION_KNOWN), []

    @domain_errors_as_text
    async def leave_contact_details(name: str, email: str, message: str = "") -> ToolResult:
        entry = await inbox.leave_contact(name, email, message, ctx.origin)
        return prompts.TOOL_CONTACT_SAVED.format(email=entry.email), []

    return [
        structured(record_unanswered_question, QuestionArgs, prompts.TOOL_RECORD_QUESTION),
        structured(leave_contact_details, ContactArgs, prompts.TOOL_LEAVE_CONTACT),
    ]
