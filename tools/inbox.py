"""Tools that leave something for the owner (anyone may; only the owner reads the inbox)."""

from __future__ import annotations

from langchain_core.tools import BaseTool
from pydantic import BaseModel, Field

from tools._adapter import ToolResult, domain_errors_as_text, structured
from tools.context import ToolContext


class QuestionArgs(BaseModel):
    question: str = Field(description="The visitor's question, as asked")


class ContactArgs(BaseModel):
    name: str = Field(description="The visitor's name")
    email: str = Field(description="The visitor's email address")
    message: str = Field("", description="What they want to talk about")


def inbox_tools(ctx: ToolContext) -> list[BaseTool]:
    inbox = ctx.services.inbox

    @domain_errors_as_text
    async def record_unanswered_question(question: str) -> ToolResult:
        _, created = await inbox.record_question(question, ctx.origin)
        return ("Logged the question for the owner." if created else "That question was already logged."), []

    @domain_errors_as_text
    async def leave_contact_details(name: str, email: str, message: str = "") -> ToolResult:
        entry = await inbox.leave_contact(name, email, message, ctx.origin)
        return f"Saved: the owner will reply to {entry.email}.", []

    return [
        structured(record_unanswered_question, QuestionArgs, "Log a question the portfolio cannot answer, for the owner."),
        structured(leave_contact_details, ContactArgs, "Pass a visitor's name, email and message on to the owner."),
    ]
