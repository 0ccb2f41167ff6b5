"""Case ▸ Restore from Backup…: the case's backups with their dates and counts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from casedesk import backups
from casedesk.safe_html import plain_tooltip


class RestoreBackupDialog(QDialog):
    """Lists a case's backups, newest first; ``chosen()`` is the one to restore."""

    def __init__(self, case_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from Backup")
        self.resize(640, 360)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Restoring replaces the case's content with the backup you choose. The case as it "
            "is now is backed up first: restore that backup to undo.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget(self)
        self.backups = backups.list_backups(case_path)
        for backup in self.backups:
            item = QListWidgetItem(backup.label())
            item.setToolTip(plain_tooltip(str(backup.path)))
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            if backup.documents is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        if not self.backups:
            empty = QListWidgetItem("No backups yet: one is made each day the case is open.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.restore_button = buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        if self.backups and self.backups[0].documents is not None:
            self.list.setCurrentRow(0)

    def _on_current_changed(self, item: QListWidgetItem | None) -> None:
        self.restore_button.setEnabled(
            item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
        )

    def chosen(self) -> Path | None:
        item = self.list.currentItem()
        value = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        return Path(value) if value else None
