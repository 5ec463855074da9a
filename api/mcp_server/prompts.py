"""Prompts an MCP client can offer its user (texts in folio.prompts)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.fastmcp import FastMCP
from pydantic import Field

from folio import prompts


def register_prompts(mcp: FastMCP) -> None:
    @mcp.prompt(title="Summarise this developer for a role")
    def summarise_for_role(role: Annotated[str, Field(min_length=1, max_length=500)]) -> str:
        """Evidence from the portfolio for a role, each point citing an item."""
        return prompts.MCP_SUMMARISE_FOR_ROLE.format(role=role)

    @mcp.prompt(title="Check the portfolio against a job description")
    def fit_for_job(job_description: Annotated[str, Field(min_length=1, max_length=4000)]) -> str:
        """Which requirements of a job the portfolio shows, with evidence."""
        return prompts.MCP_FIT_FOR_JOB.format(job_description=job_description)
