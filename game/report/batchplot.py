"""Charts of Monte Carlo batches (`python main.py simulate … --plot OUT.png`)."""

from __future__ import annotations

from typing import Any

from game.sim.batch_cli import NOTE


def write_plot(doc: dict[str, Any], world: Any, path: str) -> None:
    """One panel per key place (most valuable first, at most six): the chance it has changed hands by the
    end of each turn, with 95% intervals, one line per batch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    batches = doc.get("batches", [doc])
    value = {p.id: p.value for p in world.board.places}
    pids = sorted(batches[0]["places"], key=lambda p: (-value.get(p, 0.0), p))[:6]
    cols = min(3, max(1, len(pids)))
    rows = (len(pids) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False, sharey=True)
    for ax, pid in zip(axes.flat, pids):
        for k, b in enumerate(batches):
            curve = b["places"][pid]["fallen_by_turn"]
            t = list(range(1, len(curve) + 1))
            p = [100 * c["p"] for c in curve]
            ax.plot(t, p, marker="o", ms=3, label=b.get("label") or f"{b['runs']} runs", color=f"C{k}")
            ax.fill_between(t, [100 * c["low"] for c in curve], [100 * c["high"] for c in curve],
                            color=f"C{k}", alpha=0.2)
        pl = batches[0]["places"][pid]
        ax.set_title(f"{pl['name']} (held by {pl['start']} at the start)", fontsize=9)
        ax.set_xlabel("turn")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # turns are whole: no tick at 1.5
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(pids):]:
        ax.axis("off")
    for ax in axes[:, 0]:
        ax.set_ylabel("% of runs changed hands by then")
    axes.flat[0].legend(fontsize=7, loc="lower right")
    fig.suptitle(f"{doc['title']}: {doc['level']} bots, seed {doc['seed']}. {NOTE}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
