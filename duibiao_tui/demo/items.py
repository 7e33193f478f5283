"""The demo's 情况表 rows: their own ``random.Random`` drawing benchmarks and wordings."""

from __future__ import annotations

import calendar
import random

from duibiao_tui.demo.item_tables import (
    ASPECT_WEIGHTS,
    BENCHMARKS,
    DEPARTMENTS,
    DUE_YEARS,
    FILL,
    INDICATORS,
    LEVEL_WEIGHTS,
    MEASURES,
    REMARKS,
    ROWS_MAX,
    ROWS_MIN,
    ROWS_MODE,
    TEXT_BENCHMARK_SHARE,
    TEXT_BENCHMARKS,
    VERDICT_WEIGHTS,
    BenchmarkSeed,
    Indicator,
)
from duibiao_tui.domain.item_rules import ItemInput
from duibiao_tui.domain.reference import ASPECTS
from duibiao_tui.store.store import Store


class ItemGenerator:
    """All random choices of the 情况表 rows, from their own ``random.Random``.

    A separate generator keeps the enterprises of a seed the same as before items existed.
    """

    def __init__(self, rng: random.Random, library: dict[BenchmarkSeed, str]) -> None:
        self.rng = rng
        self.library = library
        """Benchmark seed → id of its library entry."""
        self.weights = [
            ASPECT_WEIGHTS[i.aspect] / sum(1 for j in INDICATORS if j.aspect == i.aspect)
            for i in INDICATORS
        ]

    def form(self, line_key: str) -> list[ItemInput]:
        """The rows of one enterprise: runs of indicators, one benchmark per run."""
        rng = self.rng
        count = round(rng.triangular(ROWS_MIN, ROWS_MAX, ROWS_MODE))
        runs = (
            1 if count < 12 else rng.choice((1, 2, 2, 3)) if count <= 40 else rng.choice((2, 3, 4))
        )
        sizes = self._split(count, runs)
        rows: list[ItemInput] = []
        for benchmark, size in zip(self._benchmarks(line_key, runs), sizes, strict=True):
            for indicator in self._indicators(size):
                rows.append(self.row(benchmark, indicator))
        return rows

    def _split(self, count: int, runs: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, count), runs - 1)) if runs > 1 else []
        bounds = [0, *cuts, count]
        return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]

    def _benchmarks(self, line_key: str, runs: int) -> list[BenchmarkSeed | str]:
        rng = self.rng
        fitting = [b for b in self.library if line_key in b.lines] or list(self.library)
        chosen: list[BenchmarkSeed | str] = []
        for _ in range(runs):
            if rng.random() < TEXT_BENCHMARK_SHARE:
                chosen.append(rng.choice(TEXT_BENCHMARKS))
                continue
            left = [b for b in fitting if b not in chosen] or fitting
            chosen.append(rng.choices(left, weights=[LEVEL_WEIGHTS[b.level] for b in left])[0])
        return chosen

    def _indicators(self, size: int) -> list[Indicator]:
        """``size`` indicators, weighted by aspect, without repeats while there are enough,
        in the notice's aspect order (officers go through the aspects in turn)."""
        rng = self.rng
        keyed = sorted(
            zip(
                (rng.random() ** (1 / w) for w in self.weights),
                range(len(INDICATORS)),
                strict=True,
            ),
            reverse=True,
        )
        picked = [i for _, i in keyed[:size]]
        picked += rng.choices(range(len(INDICATORS)), weights=self.weights, k=size - len(picked))
        picked.sort(key=lambda i: (ASPECTS.index(INDICATORS[i].aspect), i))
        return [INDICATORS[i] for i in picked]

    def row(self, benchmark: BenchmarkSeed | str, indicator: Indicator) -> ItemInput:
        rng = self.rng
        verdict = rng.choices(list(VERDICT_WEIGHTS), weights=list(VERDICT_WEIGHTS.values()))[0]
        level, result = self.comparison(indicator, verdict or "落后")
        roll = rng.random()
        return ItemInput(
            benchmark_id=self.library[benchmark] if isinstance(benchmark, BenchmarkSeed) else None,
            benchmark_text=benchmark if isinstance(benchmark, str) else "",
            aspect=indicator.aspect,
            indicator=indicator.name,
            benchmark_level="" if roll < 0.01 else level,
            result_text="" if 0.01 <= roll < 0.025 else result,
            verdict="" if 0.01 <= roll < 0.025 else verdict,
            measures="" if 0.025 <= roll < 0.055 else self.measures(indicator.aspect),
            department="" if 0.055 <= roll < 0.075 else self.department(indicator.aspect),
            due_text="" if 0.075 <= roll < 0.115 else self.due_text(),
            remarks=self._fill(rng.choice(REMARKS)) if rng.random() < 0.1 else "",
        )

    # -- wording ----------------------------------------------------------------------

    def comparison(self, ind: Indicator, verdict: str) -> tuple[str, str]:
        """标杆水平 and 对比结果 for an indicator, behind, level with or ahead of it."""
        rng = self.rng
        if ind.kind == "text":
            level, behind, level_with, ahead = ind.texts
            said = {"落后": behind, "持平": level_with, "领先": ahead}[verdict]
            if rng.random() < 0.5:
                said = f"本企业 {said}" if said[0].isascii() else f"本企业{said}"
            return level, said
        digits = max(ind.digits, 0)
        bench = round(rng.uniform(ind.low, ind.high), ind.digits)
        shown = _number(bench, digits)
        if ind.kind in ("up", "down"):
            return f"{shown}%", self._points(ind, bench, verdict)
        level = f"{shown}{ind.unit}"
        if verdict == "持平":
            return level, rng.choice(("基本持平", "与标杆持平", f"本企业 {level}，持平"))
        worse = ind.kind == "more"
        factor = rng.uniform(0.45, 0.9) if (verdict == "落后") == worse else rng.uniform(1.1, 1.8)
        own = round(bench * factor, ind.digits)
        if own == bench:
            own = bench + (1 if factor > 1 else -1) * 10**-ind.digits
        gap = _number(abs(own - bench), digits)
        word = ind.words[0] if verdict == "落后" else ind.words[1]
        if rng.random() < 0.5:
            return level, f"本企业 {_number(own, digits)}{ind.unit}，{word} {gap}{ind.unit}"
        return level, f"{word} {round(abs(own - bench) / bench * 100)}%"

    def _points(self, ind: Indicator, bench: float, verdict: str) -> str:
        """对比结果 of a percentage, in 个百分点 as the forms write it."""
        rng = self.rng
        step = 10**-ind.digits
        if verdict == "持平":
            return rng.choice(
                ("基本持平", "与标杆持平", f"本企业 {_number(bench, ind.digits)}%，持平")
            )
        lower_is_better = ind.kind == "down"
        if lower_is_better:
            span = bench * (rng.uniform(0.3, 2.0) if verdict == "落后" else rng.uniform(0.1, 0.6))
        else:
            # Behind by up to a quarter of the level, but only a few points near 100 %.
            behind = min(bench * 0.25, (100 - bench) * 3 + 2)
            room = behind if verdict == "落后" else min(5.0, 100 - bench)
            span = rng.uniform(step, max(step, room))
        gap = max(step, round(span, ind.digits))
        higher = (verdict == "落后") == lower_is_better
        own = min(100.0, max(0.0, bench + gap if higher else bench - gap))
        gap = round(abs(own - bench), ind.digits) or step
        word = "高" if higher else "低"
        text = f"{word} {_number(gap, ind.digits)} 个百分点"
        return f"本企业 {_number(own, ind.digits)}%，{text}" if rng.random() < 0.4 else text

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            n=rng.randint(2, 6),
            m=rng.choice((50, 80, 120, 200, 300, 500, 800, 1200)),
            **{key: rng.choice(options) for key, options in FILL.items()},
        )

    def measures(self, aspect: str) -> str:
        """1–3 steps; several are numbered as officers write them on the form."""
        rng = self.rng
        options = MEASURES[aspect]
        count = min(len(options), rng.choices((1, 2, 3), weights=(40, 40, 20))[0])
        steps = [self._fill(t) for t in rng.sample(options, count)]
        if count == 1:
            return steps[0]
        return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))

    def department(self, aspect: str) -> str:
        rng = self.rng
        options = DEPARTMENTS[aspect]
        if len(options) > 1 and rng.random() < 0.15:
            return "、".join(options)
        return rng.choice(options)

    def due_text(self) -> str:
        """A 完成时间 in one of the spellings officers use (all accepted by the parser)."""
        rng = self.rng
        year = rng.choices(list(DUE_YEARS), weights=list(DUE_YEARS.values()))[0]
        month = rng.choice((3, 6, 6, 9, 12, 12, 12))
        day = calendar.monthrange(year, month)[1]
        style = rng.randrange(10)
        return (
            f"{year}年底",
            f"{year}年{month}月",
            f"{year}-{month:02d}-{day:02d}",
            f"{year}年",
            f"{year}/{month}/{day}",
            f"{year}.{month}.{day}",
            f"{year}年{month}月底",
            f"{year}年{'上' if month <= 6 else '下'}半年",
            f"{year}年{month}月{day}日",
            f"{year}年底前",
        )[style]


def _number(value: float, digits: int) -> str:
    return f"{value:.{max(digits, 0)}f}"


def library_ids(store: Store) -> dict[BenchmarkSeed, str]:
    """The demo benchmarks in the library, added unless an earlier fill (or an officer)
    already has them: seed → library id."""
    ids = store.bulk.ensure_benchmarks((b.name, b.address, b.level) for b in BENCHMARKS)
    return dict(zip(BENCHMARKS, ids, strict=True))
