"""Nothing typed is lost: quitting from a half-filled form offers the typing back next time."""

from __future__ import annotations

from pathlib import Path

from .database import enterprise
from .officer import NEW_ENTERPRISE_TITLE, open_list, wait_focus
from .terminal import Launch, Terminal

NAME = "镇江市半途电器有限公司"
PRODUCTS = "高低压开关柜"


def _open_new_enterprise_form(t: Terminal) -> None:
    open_list(t)
    t.send("ctrl+n")
    t.wait_for(NEW_ENTERPRISE_TITLE)
    wait_focus(t, "名称")
    t.wait_idle()


def test_ctrl_q_from_a_half_filled_enterprise_form_keeps_a_draft(launch: Launch, db: Path) -> None:
    t = launch()
    _open_new_enterprise_form(t)
    t.send(NAME)
    t.wait_for(NAME)
    t.wait_idle(1.0)  # more than the half second after which typing is kept
    assert t.quit() == 0, t.describe()
    assert enterprise(db, NAME) is None  # a draft, not a registered enterprise

    t = launch()
    _open_new_enterprise_form(t)
    # Offered back: in the form itself, or in a question first.
    t.wait_for(NAME, "草稿", timeout=15)
    t.wait_idle()
    if t.field("名称") != NAME:
        t.send("enter")  # the offer's default answer: take the typing back
        t.wait_for(NAME)
        t.wait_idle()
    name = t.field("名称")
    assert name == NAME, f"名称 shows {name!r}{t.describe()}"
