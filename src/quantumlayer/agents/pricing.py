"""The price table: USD per million tokens and context window per model (data/models.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from quantumlayer.errors import UserError

DEFAULT_CONTEXT_TOKENS = 8192


@dataclass(frozen=True)
class ModelInfo:
    name: str
    input_per_mtok: float
    output_per_mtok: float
    context_tokens: int


class PriceTable:
    """Looks models up by exact name, else by the longest listed prefix."""

    def __init__(self, models: dict[str, ModelInfo]) -> None:
        self._models = models

    @classmethod
    def load(cls, path: Path | None = None) -> PriceTable:
        """The bundled table, or the JSON file at `path` (same shape); UserError if unreadable."""
        if path is None:
            return _bundled()
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise UserError(
                f"cannot read the price table QL_LLM_PRICES_FILE={path}: {err}"
            ) from err
        return cls._parse(data, str(path))

    @classmethod
    def _parse(cls, data: object, where: str) -> PriceTable:
        models = data.get("models") if isinstance(data, dict) else None
        if not isinstance(models, dict):
            raise UserError(f'{where}: expected {{"models": {{NAME: {{input, output, context}}}}}}')
        out: dict[str, ModelInfo] = {}
        for name, row in models.items():
            try:
                out[name] = ModelInfo(
                    name=name,
                    input_per_mtok=float(row["input"]),
                    output_per_mtok=float(row["output"]),
                    context_tokens=int(row.get("context", DEFAULT_CONTEXT_TOKENS)),
                )
            except (KeyError, TypeError, ValueError) as err:
                raise UserError(f"{where}: bad entry for model {name!r}: {err}") from err
        return cls(out)

    def get(self, model: str) -> ModelInfo | None:
        """The entry for `model` ("openai/gpt-4o" and dated names match their base), or None."""
        name = model.rsplit("/", 1)[-1].lower()
        if name in self._models:
            return self._models[name]
        prefixes = [m for m in self._models if name.startswith(m)]
        return self._models[max(prefixes, key=len)] if prefixes else None

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float:
        """USD for a call (0 for models not in the table, e.g. local ones)."""
        info = self.get(model)
        if info is None:
            return 0.0
        return (tokens_in * info.input_per_mtok + tokens_out * info.output_per_mtok) / 1e6

    def context_tokens(self, model: str) -> int:
        info = self.get(model)
        return info.context_tokens if info else DEFAULT_CONTEXT_TOKENS


@cache
def _bundled() -> PriceTable:
    raw = resources.files("quantumlayer.agents").joinpath("data", "models.json").read_text()
    return PriceTable._parse(json.loads(raw), "the bundled price table")
