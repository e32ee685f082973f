"""A backfill window, ``-a since=YYYY-MM-DD -a until=YYYY-MM-DD``: dates on the site's clock,
both ends included, either end open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Window:
    """The days ``since`` to ``until`` (None: open at that end)."""

    since: date | None = None
    until: date | None = None

    def opens(self, clock: tzinfo) -> datetime | None:
        """The first moment of ``since`` on the site's clock, in UTC.

        >>> from zoneinfo import ZoneInfo
        >>> Window(date(2024, 1, 15)).opens(ZoneInfo("America/New_York"))
        datetime.datetime(2024, 1, 15, 5, 0, tzinfo=datetime.timezone.utc)
        """
        return _midnight(self.since, clock) if self.since else None

    def closes(self, clock: tzinfo) -> datetime | None:
        """The first moment after ``until`` on the site's clock, in UTC."""
        return _midnight(self.until + timedelta(days=1), clock) if self.until else None

    def holds(self, moment: datetime, clock: tzinfo) -> bool:
        """Whether an aware ``moment`` falls on one of the window's days on the site's clock.

        >>> from zoneinfo import ZoneInfo
        >>> eastern, window = ZoneInfo("America/New_York"), Window(until=date(2024, 1, 31))
        >>> window.holds(datetime(2024, 2, 1, 4, 59, tzinfo=UTC), eastern)  # 23:59 on Jan 31
        True
        >>> window.holds(datetime(2024, 2, 1, 5, 0, tzinfo=UTC), eastern)
        False
        """
        day = moment.astimezone(clock).date()
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def holds_story(self, published_at: str | None, crawled_at: str | None, clock: tzinfo) -> bool:
        """Whether a story (ISO 8601 times, as an article holds them) belongs to the window: by
        its publication time, or where it has none by when it was fetched.

        >>> from zoneinfo import ZoneInfo
        >>> window, eastern = Window(date(2024, 1, 1), date(2024, 1, 31)), ZoneInfo("EST5EDT")
        >>> window.holds_story("2024-01-31T12:00:00+00:00", "2024-02-03T00:00:00+00:00", eastern)
        True
        >>> window.holds_story(None, "2024-02-03T00:00:00+00:00", eastern)
        False
        """
        if not self:
            return True
        stamp = published_at or crawled_at
        return stamp is not None and self.holds(datetime.fromisoformat(stamp), clock)

    def __bool__(self) -> bool:
        return self.since is not None or self.until is not None


def _midnight(day: date, clock: tzinfo) -> datetime:
    return datetime.combine(day, time(), clock).astimezone(UTC)
