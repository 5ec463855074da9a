"""The app with a scripted chat model (the `llm` fixture) and the owner signed up, for the owner's chat
tests. Test modules import these fixtures by name."""

import uuid

import pytest

from chat.identity import owner_user
from folio.actor import Actor
from folio.settings import load_settings
from testkit.api import running_app


@pytest.fixture
async def app(no_chainlit_errors, tmp_path, llm, demo_db_url):
    settings = load_settings(secret_key="owner-chat-" + uuid.uuid4().hex, data_dir=str(tmp_path),
                             llm_base_url=llm.base_url, llm_model="scripted")
    async with running_app(settings, demo_db_url) as app:
        yield app


@pytest.fixture
async def owner(app):
    user, _ = await app.state.services.users.ensure_owner("owner@example.com", "correct horse battery")
    return Actor(user_id=user.id, email=user.email, is_owner=True), owner_user(user)
