"""Every window action in one place: its text, shortcut, icon and tip.

Menus, toolbars and context menus take their ``QAction`` from the window's ``ActionRegistry``,
so a shortcut is defined once and the same action (enabled or not) shows everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence

Std = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    text: str
    shortcut: QKeySequence.StandardKey | str | None = None
    icon: str | None = None
    tip: str = ""
    context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut


class ActionId(Enum):
    NEW_CASE = ActionSpec("&New Case…", Std.New, "new-case", "Create a new, empty case file")
    OPEN_CASE = ActionSpec("&Open Case…", Std.Open, "open", "Open a case file")
    IMPORT = ActionSpec(
        "&Import Documents…",
        "Ctrl+I",
        "import",
        "Import documents: text, Markdown, web pages, PDF and scans, Word, OpenDocument, e-mail",
    )
    EXPORT = ActionSpec("&Export Summary…", "Ctrl+E", "export", "Write a Markdown summary")
    EXPORT_BRIEF = ActionSpec(
        "Export &Brief…",
        "Ctrl+Shift+B",
        "export",
        "A brief of one or two pages: key events, main actors, claims, disputes and notes",
    )
    BACKUP_NOW = ActionSpec("&Back Up Now", None, None, "Keep a copy of the case as it is now")
    RESTORE_BACKUP = ActionSpec(
        "Restore from Bac&kup…", None, None, "Replace the case with one of its backups"
    )
    PROPERTIES = ActionSpec(
        "Document &Properties…", "Alt+Return", "properties", "Title, publisher, date and URL"
    )
    QUIT = ActionSpec("&Quit", Std.Quit)

    UNDO = ActionSpec("&Undo", Std.Undo, "undo")
    REDO = ActionSpec("&Redo", "Ctrl+Shift+Z", "redo")
    FIND = ActionSpec("&Find in Document…", Std.Find, "find", "Find text in this document")
    SEARCH_CASE = ActionSpec(
        "&Search Case…", "Ctrl+Shift+F", "search", "Full-text search over every document"
    )
    MANAGE_TAGS = ActionSpec("Manage &Tags…", None, "tags", "Names and colours of tags")

    TAG_SELECTION = ActionSpec(
        "&Highlight Selection", "Ctrl+H", "highlight", "Highlight the selected text with a tag"
    )
    NOTE_SELECTION = ActionSpec(
        "Add &Note…", "Ctrl+Shift+N", "note", "Attach a Markdown note to the selected text"
    )
    FACT_FROM_SELECTION = ActionSpec(
        "Add Selection as &Fact…", "Ctrl+Shift+A", "add-fact", "Mark the selected text as a fact"
    )
    EVENT_FROM_SELECTION = ActionSpec(
        "Add Selection to &Timeline…",
        "Ctrl+Shift+T",
        "add-fact",
        "Add a timeline item reported by the selected sentence",
    )
    EDIT_ANNOTATION = ActionSpec("&Edit Annotation…", None, "note", "Change tag or note")
    DELETE_ANNOTATION = ActionSpec("&Delete Annotation", None, None, "Remove the annotation")

    CONFIRM_FACT = ActionSpec(
        "&Confirm Fact",
        "Ctrl+Return",
        "confirm",
        "Mark the selected facts as checked (the case keeps the decision)",
    )
    REJECT_FACT = ActionSpec(
        "&Reject Fact", "Ctrl+Backspace", "reject", "Mark the selected facts as wrong"
    )
    EDIT_FACT_VALUE = ActionSpec(
        "&Edit Value…", "F2", "edit", "Correct the normalised value (the original is kept)"
    )
    CHANGE_FACT_KIND = ActionSpec(
        "Change &Kind…", "Ctrl+K", None, "Give the selected facts another kind"
    )
    DELETE_FACT = ActionSpec("De&lete Fact", "Ctrl+Shift+Backspace", None, "Remove the fact")
    MERGE_ENTITIES = ActionSpec(
        "&Merge Entities…", "Ctrl+M", "merge", "Treat two names as one entity"
    )
    SPLIT_ENTITY = ActionSpec(
        "S&plit Entity…", "Ctrl+Shift+M", "split", "Move some names of an entity to a new one"
    )

    SHOW_DISPUTES = ActionSpec(
        "&Disputed Facts…",
        "Ctrl+Shift+D",
        None,
        "Where the sources disagree: the sides side by side, to resolve or set aside",
    )
    SHOW_ENTITIES = ActionSpec(
        "Show &Entities", "Ctrl+Shift+E", None, "Every entity of the case, to check and correct"
    )
    SHOW_CONNECTIONS = ActionSpec(
        "Show &Connections",
        "Ctrl+Shift+G",
        None,
        "Who takes part in the same events and claims, as a network",
    )
    RENAME_ENTITY = ActionSpec(
        "&Rename Entity…", "Ctrl+R", None, "Give the selected entity the name you choose"
    )
    ENTITY_KIND = ActionSpec(
        "Change Entity &Kind…",
        "Ctrl+Shift+K",
        None,
        "Give the selected entities another kind, with every mention",
    )
    MERGE_SELECTED = ActionSpec(
        "&Merge Selected Entities…",
        "Ctrl+Alt+M",
        "merge",
        "Make the selected entities one, choosing the name that stays",
    )
    SPLIT_SELECTED = ActionSpec(
        "&Split Selected Entity…",
        "Ctrl+Alt+S",
        "split",
        "Move chosen spellings or mentions into a new entity",
    )
    NOT_AN_ENTITY = ActionSpec(
        "&Not an Entity",
        "Ctrl+Shift+Delete",
        "reject",
        "Reject every mention of the selected entities; they never come back",
    )
    REVIEW_PROPOSALS = ActionSpec(
        "Review Merge &Proposals",
        "Ctrl+Shift+R",
        None,
        "Entities the resolver was unsure of: accept (A), reject (R) or skip (S) each pair",
    )

    FIT_TIMELINE = ActionSpec("&Fit Timeline", "Ctrl+0", "fit-timeline", "Show the whole case")
    ABOUT = ActionSpec("&About Casedesk")

    @property
    def spec(self) -> ActionSpec:
        return self.value


def _icon(name: str | None) -> QIcon:
    if not name:
        return QIcon()
    try:
        from casedesk.ui.icons import icon

        return icon(name)
    except (KeyError, FileNotFoundError, OSError):
        return QIcon()


class ActionRegistry:
    """The window's actions, created once from ``ActionId``."""

    def __init__(self, parent: QObject) -> None:
        self._actions: dict[ActionId, QAction] = {}
        for action_id in ActionId:
            spec = action_id.spec
            action = QAction(_icon(spec.icon), spec.text, parent)
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
                action.setShortcutContext(spec.context)
            tip = spec.tip or spec.text.replace("&", "").rstrip("…")
            if spec.shortcut is not None:
                tip += f" ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
            action.setToolTip(tip)
            action.setStatusTip(spec.tip)
            action.setObjectName(action_id.name.lower())
            self._actions[action_id] = action

    def __getitem__(self, action_id: ActionId) -> QAction:
        return self._actions[action_id]

    def all(self) -> list[QAction]:
        return list(self._actions.values())
