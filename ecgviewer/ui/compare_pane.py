"""The selected past case beside the query: its tracing at the query's scale and scroll
position, or a line saying why it cannot be shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from ecgviewer.core.paper import PaperStyle
from ecgviewer.ui.ecg_view import EcgView


class ComparePane(QWidget):
    """A header, and the case's page (``view``) or a message (``missing``) in ``stack``."""

    closeRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.header = QLabel()
        self.header.setObjectName("paneHeader")
        self.header.setWordWrap(True)
        self.view = EcgView()
        self.missing = QLabel()
        self.missing.setObjectName("caseMissing")
        self.missing.setAlignment(Qt.AlignCenter)
        self.missing.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.missing)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Close the comparison"))
        close.setAutoRaise(True)
        close.clicked.connect(self.closeRequested)
        head = QHBoxLayout()
        head.addWidget(self.header, 1)
        head.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)

    def show_message(self, text: str, header: str | None = None) -> None:
        if header is not None:
            self.header.setText(header)
        self.missing.setText(text)
        self.stack.setCurrentWidget(self.missing)

    def show_page(self, image: QImage, style: PaperStyle, query: EcgView, calipers: bool) -> None:
        """The case's page at the query view's zoom and scroll position."""
        self.view.show_page(image, style.px_per_mm, style.speed_mm_s, style.gain_mm_mv)
        self.view.set_zoom(query.zoom, notify=False)
        self.view.horizontalScrollBar().setValue(query.horizontalScrollBar().value())
        self.view.verticalScrollBar().setValue(query.verticalScrollBar().value())
        self.view.set_caliper_mode(calipers)
        self.stack.setCurrentWidget(self.view)
