"""The source facts of seeds/ as text by id, for reports that say what history did."""

from __future__ import annotations

from pathlib import Path

from game.scenario.seeds import find_seeds_dir
from game.scenario.yamlread import read_yaml

MAX_BYTES = 5_000_000


def seed_facts(scenario: str | Path | None = None) -> dict[str, str]:
    """{fact id: text} from the seeds/ folder beside the scenario (else the repository's); files
    that cannot be read are skipped, since the facts only annotate a report."""
    folder = find_seeds_dir(Path(scenario) if scenario else None)
    out: dict[str, str] = {}
    if folder is None:
        return out
    for path in sorted(folder.glob("*.y*ml")):
        try:
            if path.stat().st_size > MAX_BYTES:
                continue
            data, _, _ = read_yaml(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError):
            continue
        facts = data.get("facts") if isinstance(data, dict) else None
        for fact in facts if isinstance(facts, list) else []:
            if isinstance(fact, dict) and isinstance(fact.get("id"), str) and isinstance(fact.get("text"), str):
                out[fact["id"]] = fact["text"]
    return out
