"""The ECG on screen: a page image on a zoomable, pannable canvas, with calipers and
draggable paper corners for photos.

The scene is in page pixels, so a click maps straight to the pixels the renderer drew and
:func:`ecgviewer.core.calipers.measure` turns two clicks into milliseconds and millivolts.
Zoom is kept as screen pixels per paper millimetre: two views at the same zoom show their
ECGs at the same scale whatever resolution each page was drawn at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsPolygonItem,
    QGraphicsScene,
    QGraphicsView,
)

from ecgviewer.core.calipers import CaliperReading, measure

if TYPE_CHECKING:
    import numpy as np

CALIPER_COLOUR = QColor(20, 90, 200)
CORNER_COLOUR = QColor(0, 150, 110)
MIN_ZOOM, MAX_ZOOM = 0.5, 40.0  # screen px per mm
translate = QCoreApplication.translate


def caliper_text(reading: CaliperReading) -> str:
    """One line a clinician reads at a glance: interval, rate (if an RR), amplitude."""
    parts = [translate("EcgView", "%1 ms").replace("%1", f"{reading.dt_ms:.0f}")]
    if reading.rate_bpm is not None:
        parts.append(translate("EcgView", "%1 bpm").replace("%1", f"{reading.rate_bpm:.0f}"))
    parts.append(translate("EcgView", "%1 mV").replace("%1", f"{reading.dv_mv:+.2f}"))
    return "  ·  ".join(parts)


class _Label(QGraphicsItem):
    """Text on a white card that keeps its screen size at any zoom."""

    def __init__(self, text: str, parent=None):
        super().__init__(parent)
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations)
        self.setZValue(10)
        self._font = QFont()
        self._font.setPointSizeF(11)
        self._font.setBold(True)
        self._text = text

    def boundingRect(self) -> QRectF:
        rect = QFontMetricsF(self._font).boundingRect(self._text)
        return QRectF(0, 0, rect.width() + 16, rect.height() + 10)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        box = self.boundingRect()
        painter.setPen(QPen(CALIPER_COLOUR, 1.5))
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.drawRoundedRect(box, 5, 5)
        painter.setFont(self._font)
        painter.setPen(CALIPER_COLOUR)
        painter.drawText(box, Qt.AlignCenter, self._text)


class _Handle(QGraphicsEllipseItem):
    """A paper corner the user drags; it tells the view when it moved."""

    RADIUS = 9.0

    def __init__(self, view: EcgView, pos: QPointF):
        r = self.RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r)
        self._view = view
        self.setPos(pos)
        self.setBrush(QColor(255, 255, 255, 200))
        self.setPen(QPen(CORNER_COLOUR, 3))
        self.setZValue(20)
        self.setCursor(Qt.SizeAllCursor)
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemSendsGeometryChanges
                      | QGraphicsItem.ItemIgnoresTransformations)

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionChange and self.scene() is not None:
            bounds = self.scene().sceneRect()  # keep corners on the photo
            return QPointF(min(max(value.x(), bounds.left()), bounds.right()),
                           min(max(value.y(), bounds.top()), bounds.bottom()))
        if change == QGraphicsItem.ItemPositionHasChanged:
            self._view._corner_moved()
        return super().itemChange(change, value)


class EcgView(QGraphicsView):
    """Shows one page; emits zoom changes (for a twin view), caliper readings and edited
    corners."""

    zoomChanged = Signal(float)
    caliperMeasured = Signal(object)  # CaliperReading
    cornersEdited = Signal(object)  # (4, 2) float array, photo pixels

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.Antialiasing | QPainter.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setDragMode(QGraphicsView.ScrollHandDrag)
        self.setBackgroundBrush(QColor(236, 238, 241))
        self.setFrameShape(QGraphicsView.NoFrame)
        # Drops go to the main window, wherever the user lets go of the file.
        self.setAcceptDrops(False)
        self.viewport().setAcceptDrops(False)
        self._page_item: QGraphicsPixmapItem | None = None
        self._px_per_mm = 8.0
        self._speed = 25.0
        self._gain = 10.0
        self._zoom = 3.0
        self._fit = True
        self._caliper_mode = False
        self._caliper_points: list[QPointF] = []
        self._caliper_items: list[QGraphicsItem] = []
        self.last_reading: CaliperReading | None = None
        self._handles: list[_Handle] = []
        self._quad: QGraphicsPolygonItem | None = None
        self._corners_dirty = False

    # -- content ----------------------------------------------------------------------
    def show_page(self, image: QImage, px_per_mm: float, speed_mm_s: float = 25.0,
                  gain_mm_mv: float = 10.0) -> None:
        """Show a page; the zoom (screen px per mm) is kept, so re-renders do not jump."""
        self._set_image(image)
        self._px_per_mm, self._speed, self._gain = px_per_mm, speed_mm_s, gain_mm_mv
        self._apply_zoom()

    def show_photo(self, image: QImage, corners: np.ndarray, px_per_mm: float) -> None:
        """Show an original photo with its four paper corners as draggable handles."""
        self._set_image(image)
        self._px_per_mm = px_per_mm
        self._quad = self.scene().addPolygon(QPolygonF(), QPen(CORNER_COLOUR, 0),
                                             QBrush(QColor(0, 150, 110, 40)))
        self._quad.setZValue(15)
        self._handles = [_Handle(self, QPointF(float(x), float(y))) for x, y in corners]
        for handle in self._handles:
            self.scene().addItem(handle)
        self._update_quad()
        self._corners_dirty = False
        self._apply_zoom()

    def clear(self) -> None:
        self.scene().clear()
        self._page_item = None
        self._handles, self._quad = [], None
        self._caliper_items, self._caliper_points = [], []
        self.last_reading = None

    def has_page(self) -> bool:
        return self._page_item is not None

    def page_image(self) -> QImage | None:
        return self._page_item.pixmap().toImage() if self._page_item else None

    def corners(self) -> np.ndarray | None:
        if not self._handles:
            return None
        import numpy as np  # the window is built before numpy is loaded

        return np.array([[h.pos().x(), h.pos().y()] for h in self._handles], float)

    def _set_image(self, image: QImage) -> None:
        self.clear()
        self._page_item = self.scene().addPixmap(QPixmap.fromImage(image))
        self._page_item.setTransformationMode(Qt.SmoothTransformation)
        self.scene().setSceneRect(QRectF(image.rect()))

    # -- zoom -------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        """Screen pixels per paper millimetre."""
        return self._zoom

    def set_zoom(self, px_per_mm: float, notify: bool = True) -> None:
        self._fit = False
        self._zoom = min(MAX_ZOOM, max(MIN_ZOOM, px_per_mm))
        self._apply_zoom(notify)

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self._zoom * factor)

    def fit_width(self) -> None:
        self._fit = True
        self._apply_zoom()

    def true_size(self) -> None:
        """1 mm of paper = 1 mm of glass, from the screen's physical DPI."""
        screen = self.screen()
        self.set_zoom(screen.physicalDotsPerInchX() / 25.4)

    def _apply_zoom(self, notify: bool = True) -> None:
        if self._page_item is None:
            return
        before = self._zoom
        if self._fit:
            page_mm = self._page_item.pixmap().width() / self._px_per_mm
            width = max(100, self.viewport().width() - 24)
            self._zoom = min(MAX_ZOOM, max(MIN_ZOOM, width / page_mm))
        scale = self._zoom / self._px_per_mm
        self.setTransform(QTransform.fromScale(scale, scale))
        # every resize comes here (a scroll bar appearing resizes the viewport again):
        # tell the twin view only when the zoom really changed
        if notify and (self._zoom != before or not self._fit):
            self.zoomChanged.emit(self._zoom)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self._apply_zoom()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
        else:
            super().wheelEvent(event)

    # -- calipers ---------------------------------------------------------------------
    def set_caliper_mode(self, on: bool) -> None:
        self._caliper_mode = on
        self.setDragMode(QGraphicsView.NoDrag if on else QGraphicsView.ScrollHandDrag)
        self.viewport().setCursor(Qt.CrossCursor if on else Qt.OpenHandCursor)
        if not on:
            self.clear_calipers()

    def clear_calipers(self) -> None:
        for item in self._caliper_items:
            self.scene().removeItem(item)
        self._caliper_items, self._caliper_points = [], []

    def caliper_click(self, scene_pos: QPointF) -> CaliperReading | None:
        """One caliper click at a page position; the second click of a pair measures."""
        if len(self._caliper_points) >= 2:
            self.clear_calipers()
        self._caliper_points.append(scene_pos)
        mm = self._px_per_mm
        pen = QPen(CALIPER_COLOUR, 2)
        pen.setCosmetic(True)
        self._caliper_items.append(self.scene().addLine(
            scene_pos.x(), scene_pos.y() - 8 * mm, scene_pos.x(), scene_pos.y() + 8 * mm, pen))
        if len(self._caliper_points) < 2:
            return None
        p1, p2 = self._caliper_points
        reading = measure((p1.x(), p1.y()), (p2.x(), p2.y()), self._px_per_mm, self._speed,
                          self._gain)
        dashed = QPen(pen)
        dashed.setStyle(Qt.DashLine)
        self._caliper_items.append(self.scene().addLine(p1.x(), p1.y(), p2.x(), p1.y(), pen))
        self._caliper_items.append(self.scene().addLine(
            min(p1.x(), p2.x()) - 2 * mm, p2.y(), max(p1.x(), p2.x()) + 2 * mm, p2.y(), dashed))
        label = _Label(caliper_text(reading))
        label.setPos(min(p1.x(), p2.x()), min(p1.y(), p2.y()) - 8 * mm)
        self.scene().addItem(label)
        self._caliper_items.append(label)
        self.last_reading = reading
        self.caliperMeasured.emit(reading)
        return reading

    def mousePressEvent(self, event) -> None:
        if self._caliper_mode and self._page_item is not None:
            if event.button() == Qt.LeftButton:
                self.caliper_click(self.mapToScene(event.position().toPoint()))
            elif event.button() == Qt.RightButton:
                self.clear_calipers()
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape and self._caliper_items:
            self.clear_calipers()
            return
        super().keyPressEvent(event)

    # -- corners ----------------------------------------------------------------------
    def _corner_moved(self) -> None:
        self._corners_dirty = True
        self._update_quad()

    def _update_quad(self) -> None:
        if self._quad is not None and len(self._handles) == 4:
            self._quad.setPolygon(QPolygonF([h.pos() for h in self._handles]))

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if self._corners_dirty:
            self._corners_dirty = False
            self.cornersEdited.emit(self.corners())
