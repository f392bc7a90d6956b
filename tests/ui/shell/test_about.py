"""The About box says who Quell is for and what it is not."""

from __future__ import annotations

from quell.ui.shell.about import AboutDialog


def test_about_says_adults_and_not_a_doctor(qtbot) -> None:
    dialog = AboutDialog("/home/me/.local/share/Quell", "/home/me/quell.log")
    qtbot.add_widget(dialog)
    text = dialog.body.text()
    assert "for adults" in text
    assert "not a substitute for a doctor" in text
    assert "never uses the network" in text
    assert "/home/me/.local/share/Quell" in text
