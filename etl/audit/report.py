"""What an audit found: one Finding per question, grouped by layer, rendered for a terminal or as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

RAW = "raw folder vs manifest"
MANIFEST = "manifest"
LAKE = "manifest vs lake"
WAREHOUSE = "lake vs warehouse"
LAYERS = (RAW, MANIFEST, LAKE, WAREHOUSE)

SAMPLE = 10  # offending items listed per finding

RUN_ETL = "run `etl run` (rescans the raw folder, rebuilds stale partitions and the warehouse)"


@dataclass
class Finding:
    layer: str
    check: str  # stable id, e.g. "raw_files_not_in_manifest"
    passed: bool
    summary: str  # one line, with the figures
    count: int = 0  # offending items (files, rows, partitions)
    sample: list[str] = field(default_factory=list)
    fix: str = ""  # what to run when it fails
    severity: str = "error"  # "error" fails the audit, "warning" is only shown
    sample_of: int | None = None  # how many items `sample` was drawn from, when not `count` (day ranges)

    @property
    def fails(self) -> bool:
        return not self.passed and self.severity == "error"


def finding(
    layer: str, check: str, offending: list[str] | int, ok_text: str, bad_text: str, fix: str, **kw
) -> Finding:
    """A finding that passes when nothing is offending; `bad_text` may use {n} (the count)."""
    count = offending if isinstance(offending, int) else len(offending)
    sample = [] if isinstance(offending, int) else [str(s) for s in offending[:SAMPLE]]
    passed = count == 0
    return Finding(
        layer, check, passed, ok_text if passed else bad_text.format(n=f"{count:,}"), count, sample, fix, **kw
    )


def day_ranges(days: list[str]) -> list[str]:
    """['2024-03-01', '2024-03-02', '2024-03-05'] -> ['2024-03-01 … 2024-03-02 (2 days)', '2024-03-05']."""
    runs: list[list[date]] = []
    for day in sorted(date.fromisoformat(d) for d in days):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return [f"{r[0]} … {r[-1]} ({len(r)} days)" if len(r) > 1 else str(r[0]) for r in runs]


def days_finding(
    layer: str, check: str, days: list[str], ok_text: str, bad_text: str, fix: str, **kw
) -> Finding:
    """A finding over partitions, listed as runs of consecutive days."""
    f = finding(layer, check, days, ok_text, bad_text, fix, **kw)
    ranges = day_ranges(days)
    f.sample, f.sample_of = ranges[:SAMPLE], len(ranges)
    return f


@dataclass
class AuditReport:
    raw_dir: str
    lake_dir: str
    warehouse_path: str | None  # None: --skip-warehouse
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # layer -> figure -> value
    per_outlet: list[dict] = field(default_factory=list)
    partitions: list[dict] = field(default_factory=list)  # partitions whose counts disagree
    built_from: dict[str, str] = field(default_factory=dict)  # the warehouse's build_info
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.fails for f in self.findings)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.fails]

    def add(self, *findings: Finding) -> None:
        self.findings.extend(findings)

    def headline(self) -> str:
        errors = self.failures
        warnings = [f for f in self.findings if not f.passed and f.severity == "warning"]
        if not errors:
            extra = f" ({len(warnings)} warning(s))" if warnings else ""
            return f"audit clean: {len(self.findings)} checks passed{extra}"
        names = ", ".join(f.check for f in errors)
        return f"audit FAILED: {len(errors)} mismatch(es): {names}"

    def to_json(self) -> str:
        doc = asdict(self)
        doc["ok"] = self.ok
        doc["headline"] = self.headline()
        return json.dumps(doc, ensure_ascii=False, indent=2, default=str)

    def to_text(self) -> str:
        lines = [
            "etl audit",
            f"  raw folder  {self.raw_dir}",
            f"  lake        {self.lake_dir}",
            f"  warehouse   {self.warehouse_path or '(skipped: --skip-warehouse)'}",
        ]
        for layer in LAYERS:
            found = [f for f in self.findings if f.layer == layer]
            if not found:
                continue
            lines += ["", layer]
            for f in found:
                lines += _finding_lines(f)
            if layer == MANIFEST and self.per_outlet:
                lines += _outlet_table(self.per_outlet)
            if layer == LAKE and self.partitions:
                lines += _partition_table(self.partitions)
            if layer == WAREHOUSE and self.built_from:
                info = self.built_from
                lines.append(
                    f"  built {info.get('built_at', '?')} from {info.get('lake_dir', '?')} "
                    f"(code {info.get('code_version', '?')})"
                )
        lines += ["", "counts", *_counts_table(self.counts)]
        timing = ", ".join(f"{k} {v:.2f}s" for k, v in self.seconds.items())
        lines += ["", f"{self.headline()}  [{timing}]"]
        return "\n".join(lines)


def _finding_lines(f: Finding) -> list[str]:
    mark = "ok  " if f.passed else ("FAIL" if f.severity == "error" else "warn")
    lines = [f"  [{mark}] {f.summary}"]
    if not f.passed:
        total = f.count if f.sample_of is None else f.sample_of
        more = f" … and {total - len(f.sample):,} more" if f.sample and total > len(f.sample) else ""
        for item in f.sample:
            lines.append(f"           {item}")
        if more:
            lines.append(f"          {more}")
        if f.fix:
            lines.append(f"           fix: {f.fix}")
    return lines


def _table(header: list[str], rows: list[list], indent: str = "    ") -> list[str]:
    cells = [header] + [[f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for row in cells:
        first = row[0].ljust(widths[0])
        out.append(
            indent + "  ".join([first] + [c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)])
        )
    return out


def _outlet_table(rows: list[dict]) -> list[str]:
    cols = ["files", "articles", "duplicates", "rejected", "unaccounted"]
    table = _table(["outlet", *cols], [[r["outlet"], *(r[c] for c in cols)] for r in rows])
    return ["  per outlet: files = articles + duplicate captures + rejected", *table]


def _partition_table(rows: list[dict]) -> list[str]:
    cols = ["ok_files", "lake_versions", "articles", "lake_articles"]
    head = [f"  {len(rows):,} partition(s) whose counts disagree (manifest vs lake)"]
    shown = rows[:SAMPLE]
    table = _table(["pub_date", *cols], [[r["pub_date"], *(r[c] for c in cols)] for r in shown])
    more = [f"    … and {len(rows) - len(shown):,} more"] if len(rows) > len(shown) else []
    return head + table + more


def _counts_table(counts: dict[str, dict[str, int]]) -> list[str]:
    cols = ["files", "ok_captures", "articles", "duplicates", "rejected", "partitions"]
    rows = [[layer, *(v.get(c, "-") for c in cols)] for layer, v in counts.items()]
    return _table(["layer", *cols], rows, indent="  ")
