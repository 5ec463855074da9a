"""The chat's services: the owner's inbox, rate limits."""

import pytest

from folio.errors import PermissionDenied, RateLimited, ValidationFailed
from folio.services.inbox import MAX_CONTACTS_PER_VISITOR, Origin
from folio.services.ratelimit import ChatRateLimit, Limit, RateLimiter, wait_for


async def test_inbox_keeps_a_question_once_per_thread_and_only_the_owner_reads_it(services, owner, visitor):
    origin = Origin("thread-1", "v1")
    assert (await services.inbox.record_question("  Do you  know Haskell? ", origin))[1] is True
    assert (await services.inbox.record_question("do you know haskell?", origin))[1] is False
    assert (await services.inbox.record_question("Do you know Haskell?", Origin("thread-2", "v1")))[1] is True
    with pytest.raises(ValidationFailed):
        await services.inbox.record_question("   ")
    with pytest.raises(PermissionDenied):
        await services.inbox.questions(visitor)
    page = await services.inbox.questions(owner)
    assert page.total == 2 and page.items[0].question == "Do you know Haskell?"


async def test_contact_requests_are_validated_and_capped_per_visitor(services, owner, visitor):
    with pytest.raises(ValidationFailed, match="email"):
        await services.inbox.leave_contact("Ada", "not-an-email", "hi")
    with pytest.raises(ValidationFailed, match="name"):
        await services.inbox.leave_contact("", "ada@example.com", "hi")
    with pytest.raises(ValidationFailed):
        await services.inbox.leave_contact("Ada", "ada@example.com", "x\x00y")
    origin = Origin("t", "spammer")
    for n in range(MAX_CONTACTS_PER_VISITOR):
        await services.inbox.leave_contact("Ada", f"ada{n}@example.com", "hi", origin)
    with pytest.raises(RateLimited):
        await services.inbox.leave_contact("Ada", "ada@example.com", "again", origin)
    assert (await services.inbox.contacts(owner)).total == MAX_CONTACTS_PER_VISITOR
    with pytest.raises(PermissionDenied):
        await services.inbox.contacts(visitor)


async def test_sliding_window_limits_and_recovers(services):
    now = [6000.0]  # the start of a 60 s window
    limiter = RateLimiter(services.db, clock=lambda: now[0])
    two = Limit("t", 2, 60)
    await limiter.hit((two, "a"))
    await limiter.hit((two, "a"))
    for _ in range(3):  # refused, and not counted: the wait does not grow
        with pytest.raises(RateLimited) as refused:
            await limiter.hit((two, "a"))
        # The two hits count fully until this window ends, then fade: at 30 s into the next window
        # half of them (1) still counts and one more fits.
        assert refused.value.retry_after == 90
    await limiter.hit((two, "b"))  # another key is not affected
    now[0] += 90
    await limiter.hit((two, "a"))
    with pytest.raises(RateLimited):
        await limiter.hit((two, "a"))


def test_sliding_window_weighs_the_previous_window():
    limit = Limit("t", 10, 60)
    # 10 hits in the previous window, none yet in this one, 15 s in: 7.5 still count, 1 more is fine.
    assert wait_for(limit, now=75.0, start=60, current=1, previous=10) == 0
    # 4 more hits: 7.5 + 5 > 10: wait until the previous window's share drops to 5 (at 30 s in).
    assert wait_for(limit, now=75.0, start=60, current=5, previous=10) == 15


async def test_chat_limit_per_visitor_and_per_address_shared_by_every_process(services, db_url, embedder):
    from launch.composition import open_services

    other = open_services(db_url, embedder=embedder)  # a second process's services on the same database
    try:
        here = ChatRateLimit(services.limiter, per_visitor=2, per_ip=3, window=600)
        there = ChatRateLimit(other.limiter, per_visitor=2, per_ip=3, window=600)
        await here.check("v1", "1.2.3.4")
        await there.check("v1", "1.2.3.4")
        with pytest.raises(RateLimited):
            await here.check("v1", "1.2.3.4")  # the visitor's third message, counted across both
        await there.check("v2", "1.2.3.4")  # another visitor on the same address: 3 for the address
        with pytest.raises(RateLimited):
            await here.check("v3", "1.2.3.4")  # a fresh visitor id (a dropped cookie) does not escape
        await here.check("v4", "5.6.7.8")  # another address is not affected
    finally:
        await other.db.dispose()
