"""The About box: what is installed, so a support call can start from facts."""

from __future__ import annotations

import html
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ecgviewer import __version__

_PACKAGES = ("numpy", "onnxruntime", "chroma-hnswlib", "opencv-python-headless", "pydicom",
             "edfio")


def _version(package: str) -> str:
    from importlib import metadata  # 30 ms: only when the About box opens

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "—"


class AboutDialog(QDialog):
    """Versions, model and case-base build ids, and the PTB-XL attribution."""

    def __init__(self, searcher=None, problem: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("About ecgviewer"))
        self.resize(640, 560)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(self.about_html(searcher, problem))
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)

    def about_html(self, searcher, problem: str | None) -> str:
        e = html.escape
        versions = [("ecgviewer", __version__), ("Python", platform.python_version()),
                    ("Qt", qVersion()), ("PySide6", pyside_version)]
        versions += [(p, _version(p)) for p in _PACKAGES]
        rows = "".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td></tr>" for a, b in versions)
        if searcher is not None:
            enc, cb = searcher.encoder, searcher.casebase
            model_text = (self.tr("%1 (build %2, runs on %3)")
                          .replace("%1", enc.name).replace("%2", enc.build_id)
                          .replace("%3", enc.device.upper()))
            tracings = (self.tr("tracings installed") if cb.has_tracings
                        else self.tr("tracings not installed"))
            base_text = (self.tr("build %1, %2 cases, %3").replace("%1", cb.build_id)
                         .replace("%2", str(cb.count)).replace("%3", tracings))
            facts = [(self.tr("Model"), model_text), (self.tr("Case base"), base_text)]
        else:
            facts = [(self.tr("Model and case base"),
                      problem or self.tr("not loaded yet: open an ECG first"))]
        model = "".join(f"<tr><td>{e(a)}</td><td>{e(b)}</td></tr>" for a, b in facts)
        title = self.tr("Offline ECG viewer and similar-case retrieval")
        installed = self.tr("Installed")
        data_title = self.tr("Data")
        attribution = self.tr(
            "The similar cases and their reports come from PTB-XL, a large publicly available "
            "electrocardiography dataset, used under the Creative Commons Attribution 4.0 "
            "licence:")
        return (
            f"<h2>ecgviewer {e(__version__)}</h2><p>{title}</p>"
            f"<h3>{installed}</h3><table cellpadding='3'>{model}{rows}</table>"
            f"<h3>{data_title}</h3><p>{attribution}</p><ul>"
            "<li>Wagner, P., Strodthoff, N., Bousseljot, R., Samek, W., Schaeffter, T. (2020). "
            "PTB-XL, a large publicly available electrocardiography dataset. PhysioNet. "
            "<a href='https://doi.org/10.13026/x4td-x982'>doi:10.13026/x4td-x982</a></li>"
            "<li>Wagner, P. et al. (2020). PTB-XL, a large publicly available "
            "electrocardiography dataset. Scientific Data 7:154. "
            "<a href='https://doi.org/10.1038/s41597-020-0495-6'>doi:10.1038/s41597-020-0495-6"
            "</a></li>"
            "<li>Goldberger, A. et al. (2000). PhysioBank, PhysioToolkit, and PhysioNet. "
            "Circulation 101(23):e215–e220.</li></ul>")
