"""Asks what an entity correction should be (a name, a kind, the entity that stays, the
spellings to split off) and runs it as an operation: the Entities view's actions, its review
queue and its corrections list come here."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from casedesk import queries
from casedesk.safe_html import plain_tooltip
from casedesk.store import ENTITY_KINDS, Case
from casedesk.ui.colours import KIND_NAMES
from casedesk.ui.operations import entities as ops

if TYPE_CHECKING:
    from casedesk.ui.main_window import MainWindow


def _kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


class KindChoice(QComboBox):
    """Entity kinds by their names, with an optional "choose…" first entry."""

    def __init__(self, kinds: list[str], prompt: str | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        if prompt:
            self.addItem(prompt, None)
        for kind in kinds:
            self.addItem(_kind_name(kind), kind)

    @property
    def kind(self) -> str | None:
        data = self.currentData()
        return None if data is None else str(data)


class MergeEntitiesDialog(QDialog):
    """Choose the entity whose name stays (the name can be edited) and, when the entities are
    of different kinds, which kind wins; nothing is merged until both are answered."""

    def __init__(self, entities: list[queries.EntityRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge entities")
        self.resize(520, 0)
        self._entities = entities
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Make these {len(entities)} entities one. Their mentions and spellings join the "
            "one that stays. Undo splits them again.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("The entity that stays:", self))
        self.group = QButtonGroup(self)
        ordered = sorted(entities, key=lambda e: (-e.mentions, e.name.casefold()))
        for i, entity in enumerate(ordered):
            button = QRadioButton(
                f"{entity.name} — {_kind_name(entity.kind)}, {entity.mentions} mentions", self
            )
            self.group.addButton(button, entity.id)
            layout.addWidget(button)
            if i == 0:
                button.setChecked(True)
        form = QFormLayout()
        self.name_edit = QLineEdit(ordered[0].name, self)
        form.addRow("&Name:", self.name_edit)
        kinds = list(dict.fromkeys(e.kind for e in ordered))
        self.kind_choice: KindChoice | None = None
        if len(kinds) > 1:
            self.kind_choice = KindChoice(kinds, "Choose which kind wins…", self)
            form.addRow("&Kind:", self.kind_choice)
            self.kind_choice.currentIndexChanged.connect(self._update_ok)
        layout.addLayout(form)
        if self.kind_choice is not None:
            warn = QLabel(
                "These entities are of different kinds: every mention takes the kind you choose.",
                self,
            )
            warn.setWordWrap(True)
            layout.addWidget(warn)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Merge")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.group.idToggled.connect(self._on_keep_toggled)
        self._update_ok()

    def _on_keep_toggled(self, entity_id: int, checked: bool) -> None:
        if checked:
            entity = next(e for e in self._entities if e.id == entity_id)
            self.name_edit.setText(entity.name)
            if self.kind_choice is not None and self.kind_choice.kind is None:
                self.kind_choice.setCurrentIndex(max(self.kind_choice.findData(entity.kind), 0))

    def _update_ok(self) -> None:
        ok = self.kind_choice is None or self.kind_choice.kind is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    @property
    def keep_id(self) -> int:
        return int(self.group.checkedId())

    @property
    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    @property
    def kind(self) -> str | None:
        return None if self.kind_choice is None else self.kind_choice.kind


class SplitEntityDialog(QDialog):
    """Choose spellings (each takes every mention written that way) and single mentions of an
    entity to move into a new entity."""

    def __init__(
        self, case: Case, entity: queries.EntityRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Split entity")
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Move the checked spellings and mentions of <b>{html.escape(entity.name)}</b> "
            "to a new entity. Later extraction keeps them apart.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel("&Spellings (with every mention written so):", self))
        self.spellings = QListWidget(self)
        for alias in (entity.name, *entity.aliases):
            item = QListWidgetItem(alias)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.spellings.addItem(item)
        layout.addWidget(self.spellings)
        layout.addWidget(QLabel("Single &mentions:", self))
        self.mentions = QListWidget(self)
        self.mentions.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for m in queries.entity_mentions(case, entity.id, limit=2000):
            item = QListWidgetItem(f"{' '.join(m.text.split())} — {m.sentence[:90]}")
            item.setToolTip(plain_tooltip(f"{m.document_title}: {m.sentence}"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, m.fact_id)
            self.mentions.addItem(item)
        layout.addWidget(self.mentions, 1)
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("(the first checked spelling)")
        form.addRow("New entity's &name:", self.name_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Split")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def chosen_spellings(self) -> list[str]:
        return [
            self.spellings.item(i).text()
            for i in range(self.spellings.count())
            if self.spellings.item(i).checkState() == Qt.CheckState.Checked
        ]

    @property
    def chosen_fact_ids(self) -> list[int]:
        return [
            int(self.mentions.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.mentions.count())
            if self.mentions.item(i).checkState() == Qt.CheckState.Checked
        ]

    @property
    def name(self) -> str | None:
        return " ".join(self.name_edit.text().split()) or None


class EntityEditor:
    """The dialogs in front of the entity operations."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def handle(self, action: str, entities: list[queries.EntityRow]) -> None:
        commands = self.window.commands
        case = self.window.case
        if commands is None or case is None or not entities:
            return
        if action == "rename" and len(entities) == 1:
            self.rename(entities[0])
        elif action == "kind":
            self.change_kind(entities)
        elif action == "merge" and len(entities) >= 2:
            self.merge(entities)
        elif action == "split" and len(entities) == 1:
            self.split(entities[0])
        elif action == "reject":
            self.reject(entities)

    def rename(self, entity: queries.EntityRow) -> None:
        name, ok = QInputDialog.getText(
            self.window,
            "Rename entity",
            f"Name of this {_kind_name(entity.kind)}:",
            text=entity.name,
        )
        name = " ".join(name.split())
        commands = self.window.commands
        if ok and name and name != entity.name and commands is not None:
            self.window._edit("Rename entity", lambda: ops.rename_entity(commands, entity.id, name))

    def change_kind(self, entities: list[queries.EntityRow]) -> None:
        labels = [_kind_name(k) for k in ENTITY_KINDS]
        current = entities[0].kind if entities[0].kind in ENTITY_KINDS else ENTITY_KINDS[0]
        who = f"“{entities[0].name}”" if len(entities) == 1 else f"these {len(entities)} entities"
        choice, ok = QInputDialog.getItem(
            self.window,
            "Change kind",
            f"Kind of {who} (every mention changes with it):",
            labels,
            ENTITY_KINDS.index(current),
            False,
        )
        commands = self.window.commands
        if not ok or commands is None:
            return
        kind = ENTITY_KINDS[labels.index(choice)]
        ids = [e.id for e in entities if e.kind != kind]
        if ids:
            self.window._edit("Change kind", lambda: ops.set_entity_kind(commands, ids, kind))

    def merge(self, entities: list[queries.EntityRow]) -> None:
        dialog = MergeEntitiesDialog(entities, self.window)
        commands = self.window.commands
        if not dialog.exec() or commands is None:
            return
        keep, name, kind = dialog.keep_id, dialog.name, dialog.kind
        ids = [e.id for e in entities]
        self.window._edit(
            "Merge entities",
            lambda: ops.merge_entities(commands, ids, keep_id=keep, name=name or None, kind=kind),
        )
        self.window.entities_panel.select_entities([keep])

    def split(self, entity: queries.EntityRow) -> None:
        case = self.window.case
        commands = self.window.commands
        if case is None or commands is None:
            return
        dialog = SplitEntityDialog(case, entity, self.window)
        if not dialog.exec():
            return
        spellings, fact_ids, name = dialog.chosen_spellings, dialog.chosen_fact_ids, dialog.name
        if not spellings and not fact_ids:
            return
        new_id = self.window._edit(
            "Split entity",
            lambda: ops.split_entity(
                commands, entity.id, spellings=spellings, fact_ids=fact_ids, name=name
            ),
        )
        if new_id:
            self.window.entities_panel.select_entities([int(new_id)])

    def reject(self, entities: list[queries.EntityRow]) -> None:
        commands = self.window.commands
        if commands is None:
            return
        ids = [e.id for e in entities]
        self.window._edit("Not an entity", lambda: ops.reject_entities(commands, ids))
        names = ", ".join(f"“{e.name}”" for e in entities[:3])
        more = f" and {len(entities) - 3} more" if len(entities) > 3 else ""
        self.window.statusBar().showMessage(
            f"{names}{more}: not an entity; its mentions are rejected and later extraction "
            "leaves them out (Undo brings them back).",
            8000,
        )

    # -- the review queue and the corrections list -----------------------------------------

    def accept_proposal(self, proposal: queries.ProposalRow) -> None:
        commands = self.window.commands
        if commands is None:
            return
        kind: str | None = None
        if proposal.a.kind != proposal.b.kind:
            # Asked before anything is done: every mention takes the winning kind.
            labels = [
                f"{_kind_name(proposal.a.kind)} (as “{proposal.a.name}”)",
                f"{_kind_name(proposal.b.kind)} (as “{proposal.b.name}”)",
            ]
            choice, ok = QInputDialog.getItem(
                self.window,
                "Merge entities of different kinds",
                "These two are of different kinds. Which kind wins?",
                labels,
                0,
                False,
            )
            if not ok:
                return
            kind = proposal.a.kind if labels.index(choice) == 0 else proposal.b.kind
        self.window._edit(
            "Accept merge proposal",
            lambda: ops.accept_proposal(commands, proposal.id, kind=kind),
        )

    def reject_proposal(self, proposal: queries.ProposalRow) -> None:
        commands = self.window.commands
        if commands is not None:
            self.window._edit(
                "Reject merge proposal", lambda: ops.reject_proposal(commands, proposal.id)
            )

    def revoke(self, correction_id: int) -> None:
        commands = self.window.commands
        if commands is not None:
            self.window._edit(
                "Revoke correction", lambda: ops.revoke_correction(commands, correction_id)
            )
