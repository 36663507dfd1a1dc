"""Rendered ECG paper -> synthetic phone photo or scan, for robustness training and tests.

numpy + OpenCV only (no torch): training, the rectification tests and the benchmark all
import it. Every function draws its randomness from the numpy Generator it is given, so a
seed reproduces an image exactly.

Two levels: :func:`photo_like` makes a whole photo (printout with margins, header text and
pen marks, on a table, seen at an angle, lit unevenly) and returns where the grid area
landed, so rectification can be scored; :func:`train_augment` degrades a page in its own
frame at training speed, because the app rectifies a photo before encoding it.
"""

from __future__ import annotations

import cv2
import numpy as np

from ecgviewer.core.paper import LEFT_MM, RIGHT_MM, TRACE_WIDTH_MM, PaperStyle

#: (minor, major) grid line colours of common printers, RGB.
GRID_COLOURS: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "pink": ((250, 200, 200), (235, 120, 120)),
    "red": ((250, 185, 185), (225, 60, 60)),
    "orange": ((252, 215, 175), (240, 150, 70)),
    "green": ((200, 235, 200), (100, 185, 110)),
    "blue": ((200, 215, 245), (100, 135, 215)),
    "grey": ((215, 215, 215), (140, 140, 140)),
}
TRACE_COLOURS = ((0, 0, 0), (20, 30, 110), (110, 20, 25))
LAYOUT_WEIGHTS = {"3x4+1": 0.6, "6x2": 0.2, "12x1": 0.2}

#: Table tops and scanner lids the paper lies on, RGB.
BACKGROUNDS = ((120, 80, 50), (165, 120, 80), (60, 60, 65), (150, 150, 145),
               (40, 90, 60), (200, 190, 175), (25, 25, 30))

#: Per severity: camera tilt (deg), in-plane rotation (deg), blur sigma (px of a
#: 1000 px page), noise sigma, JPEG quality, lighting depth, colour cast, and the chances
#: of a shadow, a crease, pen marks and a cut-off edge.
SEVERITY = {
    "mild": dict(tilt=(0, 15), rot=5, blur=(0.0, 0.6), noise=(0, 3), jpeg=(75, 95),
                 light=0.15, cast=0.04, shadow=0.2, crease=0.2, pen=0.3, crop=0.0),
    "moderate": dict(tilt=(10, 30), rot=15, blur=(0.3, 1.2), noise=(2, 6), jpeg=(60, 90),
                     light=0.3, cast=0.08, shadow=0.5, crease=0.5, pen=0.5, crop=0.0),
    "severe": dict(tilt=(25, 45), rot=30, blur=(0.8, 2.0), noise=(3, 7), jpeg=(40, 75),
                   light=0.45, cast=0.12, shadow=0.8, crease=0.8, pen=0.8, crop=0.5),
}

_HEADER = ("ID {id}   {age} yrs   {sex}   {date}",
           "Vent. rate {hr} BPM   PR {pr} ms   QRS {qrs} ms   QT/QTc {qt}/{qtc} ms",
           "25 mm/s   10 mm/mV   0.05-150 Hz   {site}")


def random_paper_style(rng: np.random.Generator,
                       px_per_mm: tuple[float, float] = (4.0, 8.0)) -> PaperStyle:
    """A printout style drawn from the layouts, grid and trace colours seen in clinics."""
    layouts = list(LAYOUT_WEIGHTS)
    layout = layouts[rng.choice(len(layouts), p=list(LAYOUT_WEIGHTS.values()))]
    minor, major = GRID_COLOURS[list(GRID_COLOURS)[rng.integers(len(GRID_COLOURS))]]
    paper = int(rng.integers(242, 256))
    return PaperStyle(
        layout=layout,
        px_per_mm=float(rng.uniform(*px_per_mm)),
        paper_rgb=(paper, paper, int(paper - rng.integers(0, 6))),
        minor_grid_rgb=minor,
        major_grid_rgb=major,
        trace_rgb=TRACE_COLOURS[rng.integers(len(TRACE_COLOURS))],
        trace_width_mm=float(rng.uniform(0.2, 0.5)),
        grid_width_mm=float(rng.uniform(0.08, 0.16)),
        labels=bool(rng.random() < 0.9),
    )


def photo_like(page_rgb: np.ndarray, rng: np.random.Generator, severity: str = "moderate", *,
               size: tuple[int, int] = (1600, 1200), tilt_deg: float | None = None,
               ) -> tuple[np.ndarray, np.ndarray]:
    """A phone photo of ``page_rgb`` printed on paper; returns (photo RGB, grid corners).

    ``size`` is the photo's (width, height). The corners (float32 (4, 2): TL, TR, BR, BL)
    are those of ``page_rgb``'s area in the photo; a severe photo may cut one off.
    """
    p = SEVERITY[severity]
    paper, grid_box = printout(page_rgb, rng, pen=rng.random() < p["pen"])
    if rng.random() < p["crease"]:
        paper = crease(paper, rng)
    tilt = rng.uniform(*p["tilt"]) if tilt_deg is None else tilt_deg
    homography = camera_homography(paper.shape[1], paper.shape[0], size, tilt,
                          rng.uniform(-p["rot"], p["rot"]), rng)
    photo = background(size, rng)
    mask = cv2.warpPerspective(np.full(paper.shape[:2], 255, np.uint8), homography, size)
    warped = cv2.warpPerspective(paper, homography, size, flags=cv2.INTER_LINEAR)
    photo = np.where(mask[..., None] > 127, warped, photo)
    photo = lighting(photo, rng, p["light"], shadow=rng.random() < p["shadow"])
    photo = colour_cast(photo, rng, p["cast"])
    scale = max(size) / 1000.0
    photo = blur(photo, rng.uniform(*p["blur"]) * scale)
    photo = noise(photo, rng, rng.uniform(*p["noise"]))
    corners = cv2.perspectiveTransform(grid_box[None], homography)[0]
    if rng.random() < p["crop"]:
        photo, corners = cut_edge(photo, corners, rng)
    return jpeg(photo, int(rng.integers(*p["jpeg"]))), corners.astype(np.float32)


def scan_like(page_rgb: np.ndarray, rng: np.random.Generator, *,
              size: tuple[int, int] = (1700, 1200)) -> tuple[np.ndarray, np.ndarray]:
    """A flat-bed scan: the printout slightly skewed on a white lid, evenly lit."""
    paper, grid_box = printout(page_rgb, rng, pen=False)
    ph, pw = paper.shape[:2]
    fit = min(size[0] / pw, size[1] / ph) * rng.uniform(0.85, 0.97)
    centre = (pw / 2.0, ph / 2.0)
    m = cv2.getRotationMatrix2D(centre, rng.uniform(-2.0, 2.0), fit)  # keeps centre in place
    m[:, 2] += np.array(size, float) / 2.0 - np.array(centre)  # then moves it to the middle
    scan = cv2.warpAffine(paper, m, size, flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    scan = noise(blur(scan, 0.5), rng, 2.0)
    corners = cv2.transform(grid_box[None], m)[0]
    return jpeg(scan, 90), corners.astype(np.float32)


def train_augment(page_rgb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Photo-like damage to a page in its own frame, a few ms for a 540x260 page.

    What survives rectification: a slightly wrong crop and skew, leftover shading, pen
    marks, blur, sensor noise and JPEG blocks.
    """
    h, w = page_rgb.shape[:2]
    jitter = rng.normal(0.0, 0.01, (4, 2)) * (w, h)
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, (src + jitter).astype(np.float32))
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-3.0, 3.0), 1.0)
    m = np.vstack([rot, [0, 0, 1]]) @ m
    out = cv2.warpPerspective(page_rgb, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    if rng.random() < 0.3:
        out = pen_marks(out, rng, max(1, w // 300))
    if rng.random() < 0.3:
        out = crease(out, rng)
    out = lighting(out, rng, 0.15, shadow=rng.random() < 0.3)
    out = colour_cast(out, rng, 0.05)
    out = blur(out, rng.uniform(0.0, 0.8))
    out = noise(out, rng, rng.uniform(0.0, 5.0))
    return jpeg(out, int(rng.integers(50, 96)))


def printout(page_rgb: np.ndarray, rng: np.random.Generator, pen: bool
             ) -> tuple[np.ndarray, np.ndarray]:
    """The page on a sheet with margins and a printed header; returns (sheet, grid box).

    The grid box (float32 (4, 2), TL, TR, BR, BL) is where ``page_rgb`` lies on the sheet.
    """
    h, w = page_rgb.shape[:2]
    ppm = w / (LEFT_MM + TRACE_WIDTH_MM + RIGHT_MM)
    top, left, right, bottom = (int(round(m * ppm)) for m in
                                (rng.uniform(18, 30), *rng.uniform(4, 14, size=3)))
    paper_rgb = np.median(page_rgb.reshape(-1, 3), axis=0)
    sheet = np.empty((h + top + bottom, w + left + right, 3), np.uint8)
    sheet[:] = paper_rgb
    sheet[top:top + h, left:left + w] = page_rgb
    header_text(sheet, rng, left, top, ppm)
    if pen:
        sheet = pen_marks(sheet, rng, max(1, int(round(0.4 * ppm))))
    box = np.float32([[left, top], [left + w, top], [left + w, top + h], [left, top + h]])
    return sheet, box


def header_text(sheet: np.ndarray, rng: np.random.Generator, x: int, grid_top: int,
                ppm: float) -> None:
    """Patient and measurement lines printed above the grid, in place."""
    values = dict(id=rng.integers(10**5, 10**6), age=rng.integers(18, 95),
                  sex=("Male", "Female")[rng.integers(2)], date="2024-03-14 10:22",
                  hr=rng.integers(50, 110), pr=rng.integers(120, 200),
                  qrs=rng.integers(70, 120), qt=rng.integers(340, 420),
                  qtc=rng.integers(380, 460), site="Ward 3B")
    scale = 0.1 * ppm
    thickness = max(1, int(round(0.25 * ppm)))
    line_mm = 4.5
    for i, template in enumerate(_HEADER):
        y = int(round(grid_top - (len(_HEADER) - i) * line_mm * ppm))
        cv2.putText(sheet, template.format(**values), (x, y), cv2.FONT_HERSHEY_SIMPLEX,
                    scale, (20, 20, 20), thickness, cv2.LINE_AA)


def pen_marks(image: np.ndarray, rng: np.random.Generator, thickness: int) -> np.ndarray:
    """Handwriting-like strokes: a few smooth, wandering pen lines in blue or black ink."""
    out = image.copy()
    h, w = out.shape[:2]
    colour = ((30, 50, 160), (25, 25, 25))[rng.integers(2)]
    for _ in range(int(rng.integers(1, 4))):
        n = int(rng.integers(20, 60))
        heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.5, n))
        step = 0.006 * w
        pts = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], 1) * step, axis=0)
        pts += (rng.uniform(0, w), rng.uniform(0, h))
        cv2.polylines(out, [np.round(pts * 16).astype(np.int32)], False, colour, thickness,
                      cv2.LINE_AA, 4)
    return out


def crease(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A fold across the sheet: a thin dark line and shading on one side of it."""
    h, w = image.shape[:2]
    angle = rng.uniform(0, np.pi)
    nx, ny = np.cos(angle), np.sin(angle)
    c = -(nx * rng.uniform(0.2, 0.8) * w + ny * rng.uniform(0.2, 0.8) * h)
    d = (nx * np.arange(w, dtype=np.float32)[None, :]
         + ny * np.arange(h, dtype=np.float32)[:, None] + c)
    width = 0.02 * max(h, w)
    shade = (1.0 - rng.uniform(0.04, 0.12) * np.exp(-np.maximum(d, 0) / width)
             - 0.15 * np.exp(-(d / 1.5) ** 2))
    return cv2.multiply(image, cv2.merge([shade] * 3), dtype=cv2.CV_8U)


def camera_homography(paper_w: int, paper_h: int, size: tuple[int, int], tilt_deg: float,
                      rot_deg: float, rng: np.random.Generator) -> np.ndarray:
    """Homography from sheet pixels to a photo of it taken by a phone tilted by ``tilt_deg``.

    The sheet is turned ``rot_deg`` in its plane, tilted about a random in-plane axis,
    projected by a pinhole camera with a phone's field of view, then placed in the frame.
    """
    diag = float(np.hypot(paper_w, paper_h))
    pts = np.float32([[0, 0], [paper_w, 0], [paper_w, paper_h], [0, paper_h]])
    xyz = np.concatenate([pts - (paper_w / 2, paper_h / 2), np.zeros((4, 1))], 1) / diag
    psi, phi, theta = np.radians(rot_deg), rng.uniform(0, 2 * np.pi), np.radians(tilt_deg)
    rz = np.array([[np.cos(psi), -np.sin(psi), 0], [np.sin(psi), np.cos(psi), 0], [0, 0, 1]])
    tilt, _ = cv2.Rodrigues(np.array([np.cos(phi), np.sin(phi), 0.0]) * theta)
    cam = xyz @ (tilt @ rz).T + (0, 0, 0.9)  # the sheet's diagonal fills ~80% of the view
    proj = (cam[:, :2] / cam[:, 2:]).astype(np.float32)
    lo, hi = proj.min(0), proj.max(0)
    fit = min(size[0] / (hi - lo)[0], size[1] / (hi - lo)[1]) * rng.uniform(0.65, 0.92)
    spare = np.array(size) - (hi - lo) * fit
    placed = (proj - lo) * fit + spare * rng.uniform(0.2, 0.8, 2)
    return cv2.getPerspectiveTransform(pts, placed.astype(np.float32))


def background(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A table top: a base colour with smooth blotches and, often, wood-like grain."""
    w, h = size
    small = (max(4, w // 16), max(4, h // 16))
    blotch = cv2.resize(rng.normal(0, 1, (small[1], small[0])).astype(np.float32), size,
                        interpolation=cv2.INTER_CUBIC)
    blotch = cv2.GaussianBlur(blotch, (0, 0), 12)
    texture = 0.08 * blotch / (np.abs(blotch).max() + 1e-6)
    if rng.random() < 0.5:
        y = np.arange(h, dtype=np.float32)[:, None] + 20 * blotch
        texture += 0.06 * np.sin(2 * np.pi * y / rng.uniform(8, 30))
    base = np.array(BACKGROUNDS[rng.integers(len(BACKGROUNDS))], np.float32)
    return np.clip(base * (1 + texture[..., None]), 0, 255).astype(np.uint8)


def lighting(image: np.ndarray, rng: np.random.Generator, depth: float, shadow: bool
             ) -> np.ndarray:
    """Uneven light: a brightness gradient, a vignette and maybe a soft shadow blob."""
    h, w = image.shape[:2]
    gy, gx = np.mgrid[0:1:32j, 0:1:32j].astype(np.float32)
    a = rng.uniform(0, 2 * np.pi)
    gain = 1 - depth * rng.uniform(0.3, 1.0) * (np.cos(a) * gx + np.sin(a) * gy + 1) / 2
    gain -= 0.3 * depth * ((gx - 0.5) ** 2 + (gy - 0.5) ** 2)
    if shadow:
        blob = np.zeros((32, 32), np.float32)
        centre = tuple(int(v) for v in rng.integers(0, 32, 2))
        axes = tuple(int(v) for v in rng.integers(4, 14, 2))
        cv2.ellipse(blob, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
        gain -= rng.uniform(0.2, 0.45) * cv2.GaussianBlur(blob, (0, 0), 1.5)
    gain = cv2.resize(np.clip(gain, 0.25, 1), (w, h), interpolation=cv2.INTER_LINEAR)
    return cv2.multiply(image, cv2.merge([gain] * 3), dtype=cv2.CV_8U)


def colour_cast(image: np.ndarray, rng: np.random.Generator, amount: float) -> np.ndarray:
    """A lamp's tint: each channel scaled a little (warm light lifts red, drops blue)."""
    gains = 1 + rng.uniform(-amount, amount, 3)
    return cv2.transform(image, np.diag(gains))  # saturating


def blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """Defocus as a Gaussian blur; sigma in pixels, nothing below 0.3 px."""
    return image if sigma < 0.3 else cv2.GaussianBlur(image, (0, 0), sigma)


def noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    """Sensor noise: Gaussian, in grey levels.

    Drawn by OpenCV (several times faster than numpy's normal), seeded from ``rng`` so
    the result stays reproducible.
    """
    if sigma <= 0:
        return image
    cv2.setRNGSeed(int(rng.integers(2**31)))
    grain = np.empty(image.shape, np.int16)
    cv2.randn(grain, 0, sigma)
    return cv2.add(image, grain, dtype=cv2.CV_8U)  # saturating


def jpeg(image: np.ndarray, quality: int) -> np.ndarray:
    """Round trip through JPEG at ``quality``: block artefacts and chroma smearing."""
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR),
                            [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def cut_edge(photo: np.ndarray, corners: np.ndarray, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    """Crop the photo so that up to 4% of the grid's width or height falls off one side."""
    h, w = photo.shape[:2]
    side = int(rng.integers(4))
    span = np.ptp(corners[:, side % 2])
    cut = rng.uniform(0.0, 0.04) * span
    if side == 0:  # left
        x0 = int(max(0, corners[:, 0].min() + cut))
        return photo[:, x0:].copy(), corners - (x0, 0)
    if side == 1:  # top
        y0 = int(max(0, corners[:, 1].min() + cut))
        return photo[y0:].copy(), corners - (0, y0)
    if side == 2:  # right
        return photo[:, :int(min(w, corners[:, 0].max() - cut))].copy(), corners
    return photo[:int(min(h, corners[:, 1].max() - cut))].copy(), corners
