"""The main window: open an ECG, see it on paper, see the most similar confirmed cases.

Layout: toolbar on top; the ECG (and, once a case is selected, its tracing at the same
scale) on the left; the ranked cases on the right; messages in bars above the ECG, never
in modal boxes that stop a busy clinician. All slow work goes to worker threads (:mod:`.tasks`).
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QPageLayout, QPageSize
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ecgviewer import resources
from ecgviewer.core.errors import EcgError
from ecgviewer.core.paper import LAYOUTS, PaperStyle
from ecgviewer.core.stages import DRAWING, FINDING_PAPER, READING, SEARCHING
from ecgviewer.ui import tasks
from ecgviewer.ui.about import AboutDialog
from ecgviewer.ui.compare_pane import ComparePane
from ecgviewer.ui.cases_panel import CasesPanel, patient_text, similarity_percent
from ecgviewer.ui.ecg_view import EcgView, caliper_text
from ecgviewer.ui.logs import log_dir
from ecgviewer.ui.export_pdf import Report, export_pdf, paint_report, standard_style
from ecgviewer.ui.settings import GAINS, SPEEDS, Settings, SettingsDialog

if TYPE_CHECKING:
    from ecgviewer.ui.worker import QueryOutcome

log = logging.getLogger(__name__)


def in_worker(task: str, *args):
    """``ecgviewer.ui.worker.<task>(*args)``, imported on the thread that runs it: numpy,
    OpenCV and the pipeline load with the first task, never before the window is up."""
    from ecgviewer.ui import worker

    return getattr(worker, task)(*args)


def open_patterns() -> str:
    """The open dialog's filter, from what the readers claim (so it offers nothing they
    refuse)."""
    from ecgviewer.core.readers import extensions

    return " ".join(f"*{ext}" for ext in extensions())


def dedupe_wfdb(paths: list[str]) -> list[str]:
    """Drop a .dat when its .hea is in the same drop: one WFDB record, one query."""
    headers = {Path(p).with_suffix("") for p in paths if Path(p).suffix.lower() == ".hea"}
    out: list[str] = []
    for p in paths:
        if Path(p).suffix.lower() == ".dat" and Path(p).with_suffix("") in headers:
            continue
        if p not in out:
            out.append(p)
    return out


class MessageBar(QFrame):
    """A dismissable line of text above the ECG: errors in red, notes in blue."""

    def __init__(self, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignTop)
        self.hide()

    def show_text(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


class MainWindow(QMainWindow):
    """One query at a time; ``queryFinished(ok)`` fires when a query's outcome is shown."""

    queryFinished = Signal(bool)

    def __init__(self, settings: Settings | None = None, language: str = "en"):
        super().__init__()
        self.settings = settings or Settings()
        self.language = language
        self.outcome: QueryOutcome | None = None
        self._saved: tuple | None = None  # (outcome, clinic case id) of the last case saved
        self.queue: list[str] = []
        self.busy = False
        self._query_gen = 0
        self._resource_problem: str | None = None
        self.searchers = tasks.SearcherCache()  # touched only on the query thread
        self.query_runner = tasks.TaskRunner("ecgviewer-query")
        self.render_runner = tasks.TaskRunner("ecgviewer-render")
        self.query_runner.progress.connect(self._task_progress, Qt.QueuedConnection)

        self.setWindowTitle("ecgviewer")
        self.setAcceptDrops(True)
        self.resize(1400, 860)
        self._build_actions()
        self._build_central()
        self._build_toolbar()
        self._build_menus()
        self._build_statusbar()
        self._update_actions()

    # -- construction -----------------------------------------------------------------
    def _action(self, text: str, slot, shortcut=None, checkable=False, tip=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        (action.toggled if checkable else action.triggered).connect(slot)
        return action

    def _build_actions(self) -> None:
        self.open_action = self._action(self.tr("&Open…"), self.open_dialog, QKeySequence.Open,
                                        tip=self.tr("Open an ECG file or a photo of a printout"))
        self.sample_action = self._action(self.tr("Open &sample ECG"), self.open_sample,
                                          tip=self.tr("Open the ECG that comes with ecgviewer"))
        self.next_action = self._action(self.tr("&Next file"), self.open_next, "Ctrl+N")
        self.export_action = self._action(self.tr("&Export PDF…"), self.export_dialog, "Ctrl+E",
                                          tip=self.tr("Save a one-page report as PDF"))
        self.print_action = self._action(self.tr("&Print…"), self.print_dialog, QKeySequence.Print)
        self.quit_action = self._action(self.tr("&Quit"), self.close, QKeySequence.Quit)
        self.zoom_in_action = self._action(self.tr("Zoom &in"), partial(self._zoom, 1.25),
                                           QKeySequence.ZoomIn)
        self.zoom_out_action = self._action(self.tr("Zoom &out"), partial(self._zoom, 0.8),
                                            QKeySequence.ZoomOut)
        for action, symbol in ((self.zoom_in_action, "+"), (self.zoom_out_action, "−")):
            action.setIconText(symbol)  # the toolbar shows a compact symbol
            action.setToolTip(action.text().replace("&", ""))
        self.fit_action = self._action(self.tr("&Fit width"), self._fit, "Ctrl+0")
        self.true_size_action = self._action(
            self.tr("&True size"), self._true_size, "Ctrl+1",
            tip=self.tr("Show the paper at its real size (25 mm per second on the screen)"))
        self.calipers_action = self._action(
            self.tr("&Calipers"), self._calipers_toggled, "C", checkable=True,
            tip=self.tr("Click two points to measure time, amplitude and heart rate"))
        self.corners_action = self._action(
            self.tr("Adjust &corners"), self._corners_toggled, checkable=True,
            tip=self.tr("Drag the paper's corners in the photo, then search again"))
        self.side_action = self._action(self.tr("Compare side by side"), self._side_toggled,
                                        checkable=True)
        self.cancel_action = self._action(self.tr("Cancel"), self.cancel, QKeySequence.Cancel)
        self.settings_action = self._action(self.tr("&Settings…"), self.settings_dialog)
        self.save_case_action = self._action(
            self.tr("Save as &confirmed case…"), self.save_case,
            tip=self.tr("Save the ECG searched, with the statements you confirm, in this "
                        "clinic's own cases"))
        self.series_action = self._action(
            self.tr("&Earlier ECGs of this patient…"), self.show_series,
            tip=self.tr("The ECG just saved beside the patient's earlier saved ECGs, at one "
                        "scale"))
        self.clinic_action = self._action(self.tr("Clinic &cases…"), self.clinic_cases)
        self.about_action = self._action(self.tr("&About ecgviewer"), self.about_dialog)
        self.logs_action = self._action(self.tr("Open the &log folder"), self._open_logs)

    def _build_central(self) -> None:
        self.error_bar = MessageBar("errorBar")
        self.info_bar = MessageBar("infoBar")

        self.welcome = self._build_welcome()
        self.query_header = QLabel()
        self.query_header.setObjectName("paneHeader")
        self.query_header.setWordWrap(True)
        self.corner_bar = QFrame()
        self.corner_bar.setObjectName("infoBar")
        corner_text = QLabel(self.tr("Drag the green circles onto the corners of the paper's "
                                     "grid, then search again."))
        corner_text.setWordWrap(True)
        self.research_button = QPushButton(self.tr("Search again with these corners"))
        self.research_button.clicked.connect(self.search_with_corners)
        row = QHBoxLayout(self.corner_bar)
        row.setContentsMargins(10, 4, 6, 4)
        row.addWidget(corner_text, 1)
        row.addWidget(self.research_button)
        self.corner_bar.hide()
        self.query_view = EcgView()
        self.query_view.cornersEdited.connect(lambda _c: self.research_button.setEnabled(True))
        query_pane = self._pane(self.query_header, self.corner_bar, self.query_view)

        self.case_pane = ComparePane()
        self.case_pane.closeRequested.connect(lambda: self.cases.select(-1))
        self.case_view = self.case_pane.view
        self.case_pane.hide()

        for a, b in ((self.query_view, self.case_view), (self.case_view, self.query_view)):
            a.zoomChanged.connect(partial(self._sync_zoom, b))
            a.horizontalScrollBar().valueChanged.connect(b.horizontalScrollBar().setValue)
            a.verticalScrollBar().valueChanged.connect(b.verticalScrollBar().setValue)
            a.caliperMeasured.connect(self._caliper_measured)

        self.compare_split = QSplitter(Qt.Vertical)
        self.compare_split.addWidget(query_pane)
        self.compare_split.addWidget(self.case_pane)
        self.compare_split.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.compare_split)

        self.cases = CasesPanel(self.language)
        self.cases.caseSelected.connect(self._case_selected)
        self.cases.setMinimumWidth(380)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 0, 8)
        left_layout.addWidget(self.error_bar)
        left_layout.addWidget(self.info_bar)
        left_layout.addWidget(self.stack, 1)
        self.main_split = QSplitter(Qt.Horizontal)
        self.main_split.addWidget(left)
        self.main_split.addWidget(self.cases)
        self.main_split.setStretchFactor(0, 3)
        self.main_split.setStretchFactor(1, 1)
        self.main_split.setSizes([960, 440])
        self.setCentralWidget(self.main_split)

    @staticmethod
    def _pane(*parts) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for part in parts:
            (layout.addLayout if isinstance(part, QHBoxLayout) else layout.addWidget)(part)
        layout.setStretch(layout.count() - 1, 1)
        return pane

    def _build_welcome(self) -> QWidget:
        page = QFrame()
        page.setObjectName("welcome")
        title = QLabel(self.tr("Open an ECG to find similar confirmed cases"))
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignCenter)
        text = QLabel(self.tr(
            "ecgviewer reads WFDB (.hea/.dat), EDF, CSV, DICOM, HL7 aECG and Philips XML "
            "files, and photos or scans of paper ECGs. You can also drag files onto this "
            "window."))
        text.setAlignment(Qt.AlignCenter)
        text.setWordWrap(True)
        open_button = QPushButton(self.tr("Open an ECG file or photo…"))
        open_button.clicked.connect(self.open_dialog)
        self.sample_button = QPushButton(self.tr("Open the sample ECG"))
        self.sample_button.clicked.connect(self.open_sample)
        for button in (open_button, self.sample_button):
            button.setObjectName("bigButton")
            button.setMinimumHeight(48)
        if not resources.sample_path().exists():
            self.sample_button.setEnabled(False)
            self.sample_button.setToolTip(self.tr("The sample ECG is not installed."))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(open_button)
        buttons.addWidget(self.sample_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)
        return page

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main"))
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.setIconSize(QSize(20, 20))
        self.addToolBar(bar)
        bar.addAction(self.open_action)
        bar.addAction(self.next_action)
        bar.addSeparator()
        self.layout_box = self._combo(bar, self.tr("Layout"),
                                      [(name, name) for name in LAYOUTS], self.settings.layout)
        self.speed_box = self._combo(bar, self.tr("Speed"),
                                     [(self.tr("%1 mm/s").replace("%1", f"{v:g}"), v)
                                      for v in SPEEDS], self.settings.speed)
        self.gain_box = self._combo(bar, self.tr("Gain"),
                                    [(self.tr("%1 mm/mV").replace("%1", f"{v:g}"), v)
                                     for v in GAINS], self.settings.gain)
        bar.addSeparator()
        for action in (self.zoom_out_action, self.zoom_in_action, self.fit_action,
                       self.true_size_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.calipers_action)
        bar.addAction(self.corners_action)
        bar.addSeparator()
        bar.addAction(self.export_action)

    def _combo(self, bar: QToolBar, label: str, items, current) -> QComboBox:
        box = QComboBox()
        box.setToolTip(label)
        for text, value in items:
            box.addItem(text, value)
        box.setCurrentIndex(max(0, box.findData(current)))
        box.currentIndexChanged.connect(self._paper_changed)
        caption = QLabel(f" {label}: ")
        bar.addWidget(caption)
        bar.addWidget(box)
        return box

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.sample_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addAction(self.next_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.save_case_action)
        file_menu.addAction(self.series_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = menu.addMenu(self.tr("&View"))
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action,
                       self.true_size_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.calipers_action)
        view_menu.addAction(self.corners_action)
        view_menu.addAction(self.side_action)
        tools = menu.addMenu(self.tr("&Tools"))
        tools.addAction(self.settings_action)
        tools.addAction(self.clinic_action)
        help_menu = menu.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        help_menu.addAction(self.logs_action)
        self.addAction(self.cancel_action)  # Esc cancels a search from anywhere

    def _build_statusbar(self) -> None:
        status = self.statusBar()
        self.stage_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator: the steps have no known length
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(16)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.caliper_label = QLabel()
        self.caliper_label.setObjectName("caliperLabel")
        status.addWidget(self.stage_label)
        status.addWidget(self.progress)
        status.addWidget(self.cancel_button)
        status.addPermanentWidget(self.caliper_label)
        self._set_busy(False)

    # -- opening files ----------------------------------------------------------------
    def open_dialog(self) -> None:
        start = str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files else ""
        ecg_files, all_files = self.tr("ECG files and images"), self.tr("All files")
        filters = f"{ecg_files} ({open_patterns()});;{all_files} (*)"
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Open ECG"), start, filters)
        if paths:
            self.open_files(paths)

    def open_sample(self) -> None:
        sample = resources.sample_path()
        if not sample.exists():
            self.show_error(self.tr("The sample ECG is not installed (%1).")
                            .replace("%1", str(sample)))
            return
        self.open_files([str(sample)])

    def open_files(self, paths: list[str]) -> None:
        """Open the first file now; the rest wait in the queue (File ▸ Next file)."""
        paths = dedupe_wfdb([str(p) for p in paths])
        if not paths:
            return
        self.queue = paths[1:]
        self.open_path(paths[0])
        self._update_actions()

    def open_next(self) -> None:
        if self.queue:
            self.open_path(self.queue.pop(0))
            self._update_actions()

    def open_path(self, path: str, corners=None) -> None:
        """Start a query; what is on screen stays until the new outcome is ready."""
        request = tasks.QueryRequest(path=str(path), style=self.display_style(),
                                     top_k=self.settings.top_k, device=self.settings.device,
                                     corners=corners, sources=self.settings.sources)
        self.settings.add_recent(str(path))
        self._query_gen = self.query_runner.submit(
            "query", partial(in_worker, "run_query", request, self.searchers),
            self._query_done, self._query_failed)
        self._set_busy(True, self.tr("Opening %1…").replace("%1", Path(path).name))
        log.info("query %d: %s", self._query_gen, path)

    def search_with_corners(self) -> None:
        corners = self.query_view.corners()
        if self.outcome is not None and corners is not None:
            self.open_path(self.outcome.request.path, corners=corners)

    def cancel(self) -> None:
        if self.busy:
            self.query_runner.cancel("query")
            self._set_busy(False)
            self.stage_label.setText(self.tr("Cancelled."))
            self.queryFinished.emit(False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            self.recent_menu.addAction(path, partial(self.open_files, [path]))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction(self.tr("(none)")).setEnabled(False)

    # -- drag and drop ----------------------------------------------------------------
    @staticmethod
    def _dropped_paths(event) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self._dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            self.open_files(paths)

    # -- worker results ---------------------------------------------------------------
    def _task_progress(self, key: str, generation: int, stage: str) -> None:
        if key == "query" and generation == self._query_gen:
            self.stage_label.setText(self._stage_text(stage))

    def _stage_text(self, stage: str) -> str:
        return {
            READING: self.tr("Reading the file…"),
            DRAWING: self.tr("Drawing the ECG…"),
            FINDING_PAPER: self.tr("Finding the paper in the photo…"),
            tasks.LOADING_MODEL: self.tr("Loading the model…"),
            SEARCHING: self.tr("Searching for similar cases…"),
        }.get(stage, stage)

    def _query_done(self, outcome: QueryOutcome) -> None:
        self._set_busy(False)
        self._show_outcome(outcome)
        self.queryFinished.emit(True)

    def _query_failed(self, message: str) -> None:
        self._set_busy(False)
        self.stage_label.setText("")
        self.show_error(message)
        self.queryFinished.emit(False)

    def _query_page_done(self, result) -> None:
        image, style, record = result
        if self.outcome is not None and record is self.outcome.record:
            self.query_view.show_page(image, style.px_per_mm, style.speed_mm_s,
                                      style.gain_mm_mv)

    def _show_outcome(self, o: QueryOutcome) -> None:
        self.render_runner.cancel("query-page")  # renders of the previous query are stale
        self.query_runner.cancel("case")
        self.outcome = o
        self.error_bar.hide()
        self.stack.setCurrentWidget(self.compare_split)
        self.calipers_action.setChecked(False)
        self.corners_action.setChecked(False)
        if o.kind == "image":
            self.query_view.show_page(o.page, o.page_px_per_mm)
        else:
            style = o.request.style
            self.query_view.show_page(o.page, o.page_px_per_mm, style.speed_mm_s,
                                      style.gain_mm_mv)
        self.query_header.setText(self._query_text(o))
        self.info_bar.show_text("\n".join(o.notes))
        self._resource_problem = o.search_error
        if o.paper_error is not None:
            self.cases.show_message(o.paper_error + "\n\n" + self.tr(
                "If this is an ECG printout, drag the green circles onto the corners of its "
                "grid and search again."))
            self.stage_label.setText("")
            self._update_actions()
            self.corners_action.setChecked(True)
            self.research_button.setEnabled(True)
            return
        if o.result is not None:
            self.cases.set_neighbors(o.result.neighbors)
            seconds = sum(o.result.timings_ms.values()) / 1000
            self.stage_label.setText(self.tr("%1 similar cases found in %2 s.")
                                     .replace("%1", str(len(o.result.neighbors)))
                                     .replace("%2", QLocale().toString(seconds, "f", 2)))
        else:
            self.cases.show_message(self.tr("Similar cases are not available: %1")
                                    .replace("%1", o.search_error or ""))
            self.stage_label.setText("")
        self._update_actions()

    def _query_text(self, o: QueryOutcome) -> str:
        rhythm = self._rhythm_text(o)
        if o.kind == "image":
            return self.tr("<b>%1</b> — photo or scan of a paper ECG, read as 25 mm/s and "
                           "10 mm/mV").replace("%1", o.name) + rhythm
        rec, meta = o.record, o.record.metadata
        facts = self.tr("%1 leads, %2 s at %3 Hz").replace("%1", str(len(rec.leads))).replace(
            "%2", QLocale().toString(rec.duration_s, "f", 1)).replace(
            "%3", f"{rec.sampling_rate:g}")
        patient = patient_text(meta.sex, meta.age)
        return f"<b>{o.name}</b> — {facts}" + (f" · {patient}" if patient else "") + rhythm

    def _rhythm_text(self, o: QueryOutcome) -> str:
        """" · heart rate 72/min, regular", as measured on the query (empty if not)."""
        features = o.result.rhythm if o.result is not None else None
        if features is None or not features.measurable:
            return ""
        if o.kind == "image":  # traced off a photo: the rate holds up, regularity less so
            return " · " + self.tr("heart rate about %1/min (from the rhythm strip)").replace(
                "%1", f"{features.heart_rate_bpm:.0f}")
        regularity = self.tr("regular") if features.regular else self.tr("irregular")
        return " · " + self.tr("heart rate %1/min, %2").replace(
            "%1", f"{features.heart_rate_bpm:.0f}").replace("%2", regularity)

    # -- paper settings and views -----------------------------------------------------
    def display_style(self) -> PaperStyle:
        return PaperStyle(layout=self.layout_box.currentData(),
                          speed_mm_s=self.speed_box.currentData(),
                          gain_mm_mv=self.gain_box.currentData(),
                          px_per_mm=tasks.DISPLAY_PX_PER_MM)

    def _case_style(self) -> PaperStyle:
        """A case is drawn like the query: a photo query is read as a standard printout."""
        if self.outcome is not None and self.outcome.kind == "image":
            return standard_style(tasks.DISPLAY_PX_PER_MM)
        return self.display_style()

    def _paper_changed(self) -> None:
        o = self.outcome
        if o is not None and o.record is not None:
            self.render_runner.submit("query-page", partial(
                in_worker, "render_job", o.record, self.display_style()), self._query_page_done,
                self.show_error)
        if self.cases.selected() is not None:
            self._case_selected(self.cases.selected())

    def _zoom(self, factor: float) -> None:
        self.query_view.zoom_by(factor)

    def _fit(self) -> None:
        self.query_view.fit_width()

    def _true_size(self) -> None:
        self.query_view.true_size()

    @staticmethod
    def _sync_zoom(other: EcgView, zoom: float) -> None:
        if abs(other.zoom - zoom) > 1e-6 or not other.has_page():
            other.set_zoom(zoom, notify=False)

    def _calipers_toggled(self, on: bool) -> None:
        self.query_view.set_caliper_mode(on)
        self.case_view.set_caliper_mode(on)
        self.caliper_label.setText(self.tr("Calipers: click two points on the ECG.") if on else "")

    def _caliper_measured(self, reading) -> None:
        text = caliper_text(reading)
        if self.outcome is not None and self.outcome.kind == "image":
            text += "  " + self.tr("(assuming 25 mm/s, 10 mm/mV)")
        self.caliper_label.setText(self.tr("Calipers: %1").replace("%1", text))

    def _corners_toggled(self, on: bool) -> None:
        o = self.outcome
        if o is None or o.kind != "image":
            return
        self.corner_bar.setVisible(on)
        self.research_button.setEnabled(False)
        if on:
            self.query_view.show_photo(o.photo, o.corners, o.photo_px_per_mm)
        else:
            self.query_view.show_page(o.page, o.page_px_per_mm)

    def _side_toggled(self, on: bool) -> None:
        self.compare_split.setOrientation(Qt.Horizontal if on else Qt.Vertical)

    # -- the selected case ------------------------------------------------------------
    def _case_selected(self, neighbor) -> None:
        if neighbor is None:
            self.render_runner.cancel("case")
            self.query_runner.cancel("case")
            self.case_pane.hide()
            return
        self.case_pane.show_message(self.tr("Loading the case's tracing…"), self.tr(
            "<b>Case %1</b> — %2% similar · %3 · same scale as the query")
            .replace("%1", neighbor.case_id)
            .replace("%2", str(similarity_percent(neighbor.similarity)))
            .replace("%3", self.cases.patient_text(neighbor)))
        if self.case_pane.isHidden():
            self.case_pane.show()
            self.compare_split.setSizes([1000, 1000])  # query and case get equal room
        device = self.outcome.request.device if self.outcome else self.settings.device
        self.query_runner.submit("case", partial(in_worker, "load_case", self.searchers,
                                                 neighbor.case_id, device, self._case_style()),
                                 self._show_case_page, self.case_pane.show_message)

    def _show_case_page(self, result) -> None:
        if result is None:
            self.case_pane.show_message(self.tr(
                "The tracings of past cases are not installed: only their statements and "
                "reports are shown."))
            return
        image, style, _record = result
        self.case_pane.show_page(image, style, self.query_view, self.calipers_action.isChecked())

    # -- export and print -------------------------------------------------------------
    def export_dialog(self) -> None:
        if self.outcome is None:
            return
        default = str(Path(self.outcome.request.path).with_suffix(".report.pdf"))
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export PDF"), default,
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> int:
        """Write the report on the render thread; returns the task's generation."""
        o = self.outcome
        neighbors = list(o.result.neighbors) if o.result else []
        scale_text = self._report_scale_text()

        def job(stage):
            export_pdf(path, self._report(o, neighbors, scale_text))
            return path
        return self.render_runner.submit(
            "export", job,
            lambda saved: self.stage_label.setText(self.tr("Report saved: %1").replace("%1", saved)),
            self.show_error)

    def _report_scale_text(self) -> str:
        return self.tr("Printed at true scale: 25 mm/s, 10 mm/mV, 1 small square = 1 mm.")

    def _report(self, o: QueryOutcome, neighbors, scale_text: str) -> Report:
        if o.kind == "image":
            page = o.page
            page_mm = (page.width() / o.page_px_per_mm, page.height() / o.page_px_per_mm)
        else:
            style = standard_style()
            page, page_mm = in_worker("render_page", o.record, style), style.page_mm
        return Report(o.name, page, page_mm, scale_text, neighbors, self.language)

    def print_dialog(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.outcome is None:
            return
        printer = QPrinter(QPrinter.HighResolution)
        printer.setFullPage(True)
        printer.setPageSize(QPageSize(QPageSize.A4))
        printer.setPageOrientation(QPageLayout.Landscape)
        if QPrintDialog(printer, self).exec():
            o = self.outcome
            paint_report(printer, self._report(o, list(o.result.neighbors) if o.result else [],
                                               self._report_scale_text()))

    # -- dialogs ----------------------------------------------------------------------
    def settings_dialog(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            for box, value in ((self.layout_box, self.settings.layout),
                               (self.speed_box, self.settings.speed),
                               (self.gain_box, self.settings.gain)):
                box.setCurrentIndex(box.findData(value))

    def clinic_cases(self) -> None:
        from ecgviewer.ui.clinic_cases import open_clinic_cases  # the clinic stack, on demand

        open_clinic_cases(self, self.searchers, self.language)

    def save_case(self) -> None:
        from ecgviewer.ui.case_dialog import save_query_as_case  # the clinic stack, on demand

        case_id = save_query_as_case(self, self.outcome, self.searchers.searcher, self.language,
                                     self.settings.store)
        if case_id is not None:
            self._saved = (self.outcome, case_id)
            self.statusBar().showMessage(self.tr(
                "Clinic case %1 saved: it is found by the next searches.").replace(
                    "%1", f"clinic:{case_id}"), 8000)
            self._update_actions()

    def _series(self) -> list:
        """The ECG on screen, once saved, and the patient's earlier saved ECGs ([] if none)."""
        searcher = self.searchers.searcher
        if self._saved is None or self._saved[0] is not self.outcome or searcher is None \
                or searcher.clinic is None:
            return []
        from ecgviewer.ui.serial_view import patient_series  # drawing stack: only when needed

        try:
            return patient_series(searcher.clinic, self._saved[1])
        except EcgError:
            return []

    def show_series(self) -> None:
        from ecgviewer.ui.serial_view import SerialDialog

        cases = self._series()
        if cases:
            SerialDialog(self.searchers.searcher.clinic, cases, self.language, self).exec()

    def about_dialog(self) -> None:
        AboutDialog(self.searchers.searcher, self._resource_problem, self).exec()

    def _open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))

    # -- state ------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        """Errors go in the window (and the log), never in a crash."""
        log.error("%s", message)
        self.error_bar.show_text(message)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_action.setEnabled(busy)
        if text:
            self.stage_label.setText(text)

    def _update_actions(self) -> None:
        has = self.outcome is not None
        image = has and self.outcome.kind == "image"
        for action in (self.export_action, self.print_action, self.calipers_action,
                       self.zoom_in_action, self.zoom_out_action, self.fit_action,
                       self.true_size_action):
            action.setEnabled(has)
        self.corners_action.setEnabled(image)
        self.save_case_action.setEnabled(
            has and self.outcome.result is not None and self.outcome.result.embedding is not None)
        self.series_action.setEnabled(bool(self._series()))
        for box in (self.layout_box, self.speed_box, self.gain_box):
            box.setEnabled(not image)
        self.next_action.setEnabled(bool(self.queue))
        self.next_action.setText(self.tr("&Next file (%1 waiting)").replace("%1", str(len(self.queue)))
                                 if self.queue else self.tr("&Next file"))
        self.sample_action.setEnabled(resources.sample_path().exists())

    def closeEvent(self, event) -> None:
        self.query_runner.stop()
        self.render_runner.stop()
        super().closeEvent(event)
