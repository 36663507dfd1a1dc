"""The product encoder: a small CNN over the ink frame of an ECG page.

Depthwise-separable blocks keep it within 30 ms per image on one CPU core. The head pools to
a 4x4 grid rather than globally, because where a deflection sits on the page says which lead
it is in (a 3x4+1 page is four rows of four slots).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

import torch
from torch import nn
import torch.nn.functional as F

EMBED_DIM = 256


@dataclass(frozen=True)
class PageNetConfig:
    """Everything that fixes PageNet's layer shapes, kept as data next to its weights.

    Checkpoints hold it under ``"config"`` and exported models in the metadata key
    ``pagenet_config`` (JSON), so a network is rebuilt from what was saved, never from
    guesses about its tensors.
    """

    n_labels: int
    width: int = 48
    embed_dim: int = EMBED_DIM
    dropout: float = 0.3

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> PageNetConfig:
        return cls(**json.loads(text))


class SepConv(nn.Module):
    """Depthwise 3x3 + pointwise 1x1, with a residual when the shape allows."""

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride, 1, groups=cin, bias=False)
        self.bn1 = nn.BatchNorm2d(cin)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.relu(self.bn1(self.dw(x)))
        y = self.bn2(self.pw(y))
        return F.relu(y + x if self.residual else y)


class PageNet(nn.Module):
    """(N, 1, 256, 512) ink frames -> (N, embed_dim) embeddings and (N, n_labels) logits."""

    def __init__(self, config: PageNetConfig):
        super().__init__()
        self.config = config
        w = config.width
        self.stem = nn.Sequential(
            nn.Conv2d(1, w, 3, 2, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
        )
        plan = [(w, w, 1), (w, 2 * w, 2), (2 * w, 2 * w, 1), (2 * w, 4 * w, 2),
                (4 * w, 4 * w, 1), (4 * w, 8 * w, 2), (8 * w, 8 * w, 1), (8 * w, 8 * w, 2),
                (8 * w, 8 * w, 1)]
        self.blocks = nn.Sequential(*[SepConv(a, b, s) for a, b, s in plan])
        self.pool = nn.AdaptiveAvgPool2d((4, 4))
        self.head = nn.Sequential(
            nn.Flatten(), nn.Dropout(config.dropout), nn.Linear(8 * w * 16, config.embed_dim),
        )
        self.classifier = nn.Linear(config.embed_dim, config.n_labels)

    def features(self, frames: torch.Tensor) -> torch.Tensor:
        return self.head(self.pool(self.blocks(self.stem(frames))))

    def forward(self, frames: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        feats = self.features(frames)
        return F.normalize(feats, dim=1), self.classifier(F.relu(feats))


class ExportWrapper(nn.Module):
    """What ships: frames -> one L2-normalised vector per frame.

    ``output="embedding"`` is the text-aligned embedding alone; ``output="combined"`` joins
    it with the SCP-statement probabilities (each half normalised), which retrieves cases
    sharing the query's statements slightly more often (measured on fold 9).
    """

    def __init__(self, net: PageNet, output: str = "combined"):
        super().__init__()
        if output not in ("embedding", "combined"):
            raise ValueError(f"unknown output {output!r}")
        self.net = net
        self.output = output

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        embedding, logits = self.net(frames)
        if self.output == "embedding":
            return embedding
        probs = F.normalize(torch.sigmoid(logits), dim=1)
        return F.normalize(torch.cat([embedding, probs], dim=1), dim=1)


def checkpoint_state(net: PageNet, codes: list[str], **extra) -> dict:
    """What a checkpoint holds: weights, config, label vocabulary and ``extra`` (epoch,
    scores, arguments)."""
    return {"net": net.state_dict(), "config": asdict(net.config), "codes": list(codes),
            **extra}


def net_from_state(state: dict) -> tuple[PageNet, list[str]]:
    """The network of a checkpoint (in eval mode) and its label vocabulary."""
    if "config" not in state:
        raise SystemExit("this checkpoint predates PageNetConfig: it has no 'config'")
    net = PageNet(PageNetConfig(**state["config"]))
    net.load_state_dict(state["net"])
    return net.eval(), list(state["codes"])
