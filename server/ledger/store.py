"""The ledger's storage: each user's events, only ever read or changed by that user.

Every function takes the user's id and filters by it; there is no query here that
could reach another user's events.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from .. import db
from ..schema import ledger_events, users
from .events import Event

_NEWEST_FIRST = (ledger_events.c.at.desc(), ledger_events.c.id.desc())


class UnknownEvent(LookupError):
    pass


class LedgerFull(Exception):
    """The user's ledger holds as many events as it may; nothing was stored."""


def _get(connection: Connection, user_id: int, event_id: str):
    return connection.execute(
        select(ledger_events).where(ledger_events.c.user_id == user_id, ledger_events.c.event_id == event_id)
    ).first()


def get(user_id: int, event_id: str) -> Event | None:
    with db.read_only() as connection:
        row = _get(connection, user_id, event_id)
    return Event.from_row(row) if row else None


def record(user_id: int, event: Event, limit: int) -> tuple[Event, bool]:
    """Store the event unless this user already stored one with its event_id.

    Answers the stored event and whether it is new. Two requests racing with the same
    event_id both end here; the unique (user_id, event_id) key lets exactly one insert.
    LedgerFull when a new event would make the ledger hold more than `limit`: the size
    only grows while below it, in one statement, so sends racing for the last place
    cannot both take it.
    """
    with db.writing() as connection:
        insert = db.insert(connection, ledger_events).values(**event.as_row(user_id))
        row = connection.execute(
            insert.on_conflict_do_nothing(index_elements=["user_id", "event_id"]).returning(*ledger_events.c)
        ).first()
        if row is not None:
            grown = connection.execute(_resize(user_id, users.c.ledger_size + 1).where(users.c.ledger_size < limit))
            if not grown.rowcount:
                raise LedgerFull  # the transaction, and with it the insert, is rolled back
            return Event.from_row(row), True
        return Event.from_row(_get(connection, user_id, event.event_id)), False


def page(user_id: int, limit: int, before: str | None = None) -> tuple[list[Event], str | None]:
    """Up to `limit` events, newest first, starting after the event `before`; and the next page's `before`."""
    query = select(ledger_events).where(ledger_events.c.user_id == user_id).order_by(*_NEWEST_FIRST)
    with db.read_only() as connection:
        if before is not None:
            anchor = _get(connection, user_id, before)
            if anchor is None:
                raise UnknownEvent(before)
            query = query.where(or_(
                ledger_events.c.at < anchor.at,
                and_(ledger_events.c.at == anchor.at, ledger_events.c.id < anchor.id),
            ))
        rows = connection.execute(query.limit(limit + 1)).all()
    events = [Event.from_row(r) for r in rows[:limit]]
    return events, events[-1].event_id if len(rows) > limit else None


def all_events(user_id: int) -> list[Event]:
    """Every event of the user, newest first."""
    query = select(ledger_events).where(ledger_events.c.user_id == user_id).order_by(*_NEWEST_FIRST)
    with db.read_only() as connection:
        return [Event.from_row(r) for r in connection.execute(query)]


def fact_rows(connection: Connection, user_id: int, up_to: int, after: int | None = None) -> list:
    """The rows the engine reads (events.fact_from_row), newest first, with row ids in (after, up_to]."""
    c = ledger_events.c
    query = (select(c.id, c.at, c.type, c.program, c.program_name, c.track, c.kind, c.claims, c.word_count,
                    c.fingerprint, c.categories)
             .where(c.user_id == user_id, c.id <= up_to).order_by(*_NEWEST_FIRST))
    if after is not None:
        query = query.where(c.id > after)
    return connection.execute(query).all()


def erase(user_id: int) -> int:
    """Delete all of the user's events; how many there were."""
    with db.writing() as connection:
        # The user's row first. A send that already added to it holds it until it commits, and
        # the delete, after the wait, sees that send's event too. A send that has only inserted
        # its event waits for this transaction, then adds one to the size this one left (0),
        # its event outliving the erase. Either way the size stays the count.
        connection.execute(_resize(user_id, 0))
        return connection.execute(delete(ledger_events).where(ledger_events.c.user_id == user_id)).rowcount


def _resize(user_id: int, size):
    return update(users).where(users.c.id == user_id).values(ledger_size=size)


def version_columns(user_id) -> tuple:
    """The ledger's version, (count, highest row id), as two columns of a query about the user.

    The version changes whenever the user's ledger does, as row ids are never reused. The
    count catches what the highest id alone would miss: a row with a lower id that
    committed late (PostgreSQL hands out ids before commit), or rows deleted meanwhile.
    The count is the user's ledger_size, kept with every change, so that reading it costs
    the same in February as in October. They come with the user's token
    (accounts.authenticate), as every check needs them: a round trip saved on the busiest
    request.
    """
    highest = select(func.max(ledger_events.c.id)).where(ledger_events.c.user_id == user_id)
    return users.c.ledger_size.label("ledger_count"), highest.scalar_subquery().label("ledger_highest")
