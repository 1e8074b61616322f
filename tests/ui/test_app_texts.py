"""Qt's own texts are Chinese too: a clerk never meets an English 'Cancel'."""

from PySide6.QtWidgets import QDialogButtonBox


def test_standard_buttons_are_chinese(qapp) -> None:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                           | QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.No)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消", "是(&Y)", "否(&N)"])
