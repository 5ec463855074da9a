import pytest

from folio.errors import ValidationFailed
from folio.services.users import BCRYPT_COST, actor_for


async def test_owner_is_created_once_with_bcrypt_cost_12(services):
    user, created = await services.users.ensure_owner("Maya@Example.com", "correct horse battery")
    assert created and user.is_owner
    assert user.password_hash.startswith(f"$2b${BCRYPT_COST}$")
    again, created_again = await services.users.ensure_owner("maya@example.com", "other password")
    assert not created_again and again.id == user.id


async def test_authenticate(services):
    await services.users.ensure_owner("maya@example.com", "correct horse battery")
    user = await services.users.authenticate("MAYA@example.com", "correct horse battery")
    assert user is not None and actor_for(user).is_owner
    assert await services.users.authenticate("maya@example.com", "wrong password") is None
    assert await services.users.authenticate("nobody@example.com", "correct horse battery") is None
    assert await services.users.authenticate("maya@example.com", "x" * 200) is None
    assert actor_for(None).is_visitor


async def test_password_rules(services):
    with pytest.raises(ValidationFailed):
        await services.users.ensure_owner("maya@example.com", "short")
    with pytest.raises(ValidationFailed):
        await services.users.ensure_owner("maya@example.com", "é" * 40)  # 80 bytes > bcrypt's 72
    with pytest.raises(ValidationFailed):
        await services.users.ensure_owner("not-an-email", "long enough password")
