"""The dashboard's figures, and the last of them kept in the file for the next start.

Counting a city's figures (0.1–0.2 s) takes longer than the whole start-up may, so the
figures last counted for the active campaign are kept in ``setting`` (``FIGURES_KEY``) with
the data generation they were counted at (``Session.write`` moves it with every change to
what is counted) and the date: the home screen shows them in its first frame, and counts
again (``store.dashboard``) only when they are no longer current. This module is what that
first frame needs, and nothing of the counting.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from duibiao_tui.domain.listing import Campaign
from duibiao_tui.errors import DuibiaoError
from duibiao_tui.store.session import Session

__all__ = ["COUNTING", "FIGURES_KEY", "DashboardFigures", "FiguresMemory", "RememberedFigures"]

FIGURES_KEY = "dashboard_figures"
"""``setting`` key of the figures last counted for the active campaign."""
COUNTING = 1
"""The way figures are counted and stored: raise it with any change to the counting
(``store.dashboard``) or to ``DashboardFigures``, so figures remembered by an older program
are counted again."""


@dataclass(frozen=True)
class DashboardFigures:
    campaign: Campaign
    today: date
    districts: list[tuple[str | None, str]]
    """(district id, name) in the table's order; None for enterprises without one."""
    status_by_district: dict[str | None, dict[str, int]]
    items_by_aspect: dict[str, int]
    verdicts_by_aspect: dict[str, dict[str, int]]
    overdue: list[tuple[str | None, str, str, int]]
    """(district id, district name, department, overdue measures), most first."""
    recognitions: dict[str, int] = field(default_factory=dict)
    """kind → enterprises with at least one such recognition."""
    progress: dict[str, int] = field(default_factory=dict)
    """Rows carried over from an earlier campaign: carried, behind_before, improved."""
    pending: int = 0
    """Rows 待补: a 落实部门 or 完成时间 but no 提升计划和措施 (not counted as measures)."""

    def status_total(self, status: str) -> int:
        return sum(row.get(status, 0) for row in self.status_by_district.values())

    @property
    def enterprises(self) -> int:
        return sum(sum(row.values()) for row in self.status_by_district.values())

    def to_json(self) -> str:
        """The figures as JSON (district ids may be None: mappings travel as pairs)."""
        return json.dumps(
            {
                "campaign": dataclasses.asdict(self.campaign),
                "today": self.today.isoformat(),
                "districts": self.districts,
                "status_by_district": [[k, v] for k, v in self.status_by_district.items()],
                "items_by_aspect": self.items_by_aspect,
                "verdicts_by_aspect": self.verdicts_by_aspect,
                "overdue": self.overdue,
                "recognitions": self.recognitions,
                "progress": self.progress,
                "pending": self.pending,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> DashboardFigures:
        """What ``to_json`` wrote; ValueError, KeyError or TypeError for anything else."""
        data: dict[str, Any] = json.loads(text)
        return cls(
            Campaign(**data["campaign"]),
            date.fromisoformat(data["today"]),
            [(district_id, name) for district_id, name in data["districts"]],
            {k: dict(v) for k, v in data["status_by_district"]},
            dict(data["items_by_aspect"]),
            {k: dict(v) for k, v in data["verdicts_by_aspect"].items()},
            [(d, name, department, n) for d, name, department, n in data["overdue"]],
            dict(data["recognitions"]),
            dict(data["progress"]),
            int(data["pending"]),
        )


@dataclass(frozen=True)
class RememberedFigures:
    """The figures last counted, and whether they are still what counting would give."""

    figures: DashboardFigures
    current: bool
    """Counted at today's data generation, on today's date, the way this program counts (``COUNTING``)."""


class FiguresMemory:
    """The figures last counted, over one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def recall(self) -> RememberedFigures | None:
        """The active campaign's figures as last counted (one setting read), or None."""
        row = self.session.setting(FIGURES_KEY)
        if row is None:
            return None
        try:
            stored = json.loads(row)
            figures = DashboardFigures.from_json(stored["figures"])
        except (ValueError, KeyError, TypeError):  # another version's form: count anew
            return None
        if figures.campaign.id != self.session.setting("active_campaign_id"):
            return None
        return RememberedFigures(figures, stored.get("stamp") == self._stamp())

    def _stamp(self, generation: int | None = None) -> str:
        """What remembered figures must have been counted at to be current."""
        if generation is None:
            generation = self.session.generation()
        return f"{COUNTING}/{generation}/{self.session.today().isoformat()}"

    def keep(self, figures: DashboardFigures, generation: int) -> None:
        """Keep the figures for the next start; a cache, so a busy or full file (or a
        read-only one) simply goes without."""
        session = self.session
        stamp = self._stamp(generation)
        if session.read_only or session.conn.in_transaction:
            return
        if self._stored_stamp() == stamp:
            return
        try:
            with session.write(changes_figures=False):
                if session.generation() != generation:
                    return  # a write committed while counting: these are already old
                session.conn.execute(
                    "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                    [FIGURES_KEY, json.dumps({"stamp": stamp, "figures": figures.to_json()})],
                )
        except (DuibiaoError, sqlite3.Error):
            return

    def _stored_stamp(self) -> str | None:
        try:
            stored = json.loads(self.session.setting(FIGURES_KEY) or "{}")
            return str(stored["stamp"]) if isinstance(stored, dict) and "stamp" in stored else None
        except ValueError:
            return None
