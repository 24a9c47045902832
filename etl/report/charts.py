"""The warehouse charts (matplotlib, Agg): each function queries the warehouse and draws one figure.

Labels: Chinese names need a CJK font; when none is installed (`fc-list :lang=zh` is empty here) charts use
the ASCII `label` column of the registries (DW, Reuters, Russia-Ukraine ...) or the code, never tofu boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
from matplotlib import font_manager
from matplotlib.figure import Figure

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei")
# Charts show the core range of the archive (sql/02_dimensions.sql), not stray early or late captures.
CORE = "pub_date BETWEEN (SELECT start_day FROM coverage) AND (SELECT edge_day FROM coverage)"
TOP_OUTLETS = 8
TOP_TOPICS = 6
SHARE_OUTLETS = 4
SHARE_AGENCIES = 4


@dataclass
class Chart:
    name: str
    title: str
    figure: Figure
    series: dict[str, int]  # series label -> number of non-zero points (what the report test checks)


@cache
def cjk_font() -> str | None:
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def labels(con: duckdb.DuckDBPyConnection, table: str, key: str) -> dict[str, str]:
    """code -> display label from a dimension table."""
    column = "name" if cjk_font() else "label"
    rows = con.execute(f"SELECT {key}, {column} FROM {table}").fetchall()
    return {code: (text if text and (cjk_font() or text.isascii()) else code) for code, text in rows}


def _figure(rows: int, cols: int = 1, height: float = 2.6, sharex: bool = True) -> tuple[Figure, list]:
    """A bare Figure, not pyplot's: nothing to close, and the report never needs pyplot's figure manager."""
    if cjk_font():
        matplotlib.rcParams["font.sans-serif"] = [cjk_font(), "DejaVu Sans"]
    fig = Figure(figsize=(11, max(3.2, height * rows)))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=sharex)
    return fig, [ax for row in axes for ax in row]


def _day_edges(days: tuple) -> list[datetime]:
    """Bar edges of one-day-wide bars centred on consecutive days (the calendar has no gaps)."""
    starts = [datetime.combine(day, time()) - timedelta(hours=12) for day in days]
    return [*starts, starts[-1] + timedelta(days=1)]


def _dates(ax) -> None:
    ax.xaxis.set_major_locator(mdates.AutoDateLocator())
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.xaxis.set_tick_params(labelbottom=True)  # shared x axes hide labels above an empty panel
    ax.grid(alpha=0.3)


def volume_by_outlet(con: duckdb.DuckDBPyConnection) -> Chart:
    names = labels(con, "outlets", "outlet")
    outlets = [
        r[0]
        for r in con.execute(
            f"SELECT outlet FROM timeline_daily GROUP BY outlet ORDER BY sum(articles) DESC, outlet "
            f"LIMIT {TOP_OUTLETS}"
        ).fetchall()
    ]
    fig, (ax,) = _figure(1, height=4.5)
    series = {}
    for outlet in outlets:
        days, means, counts = zip(
            *con.execute(
                f"SELECT pub_date, rolling_7d_mean, articles FROM timeline_daily WHERE outlet = ? AND {CORE} "
                "ORDER BY pub_date",
                [outlet],
            ).fetchall(),
            strict=True,
        )
        label = names.get(outlet, outlet)
        ax.plot(days, means, label=label, linewidth=1.8)
        series[label] = sum(1 for c in counts if c)
    ax.set_title("Articles per day by outlet (7-day rolling mean)")
    ax.set_ylabel("articles / day")
    if outlets:
        ax.legend(ncol=4, fontsize=8, loc="upper left")
    _dates(ax)
    fig.tight_layout()
    return Chart("volume_by_outlet", "Daily volume by outlet", fig, series)


# The count topic charts use (README, "Which topic count"): articles on the topic, i.e. one of their kept
# topics (main or clear secondary subject, digests included); the primary-topic count is drawn beside it.
TOPIC_COUNT = "articles on the topic (kept topics, digests included)"


def topic_timelines(con: duckdb.DuckDBPyConnection) -> Chart:
    names = labels(con, "topics", "topic")
    topics = [
        r[0]
        for r in con.execute(
            f"SELECT topic FROM topic_lifecycle ORDER BY total_articles DESC, topic LIMIT {TOP_TOPICS}"
        ).fetchall()
    ]
    cols = 2 if len(topics) > 1 else 1
    fig, axes = _figure(max(1, -(-len(topics) // cols)), cols)
    series = {}
    for ax, topic in zip(axes, topics, strict=False):
        rows = con.execute(
            "SELECT pub_date, articles, rolling_7d_mean, baseline_28d, is_burst, primary_7d_mean, "
            "primary_articles FROM (SELECT *, avg(primary_articles) OVER "
            "(ORDER BY pub_date ROWS 6 PRECEDING) AS primary_7d_mean FROM topic_timeline WHERE topic = ?) "
            f"WHERE {CORE} ORDER BY pub_date",
            [topic],
        ).fetchall()
        days, counts, means, baselines, bursts, primary_means, primaries = zip(*rows, strict=True)
        label = names.get(topic, topic)
        ax.plot(days, means, color="#1f4e8c", linewidth=1.6, label="7-day mean")
        ax.plot(days, primary_means, color="#2ca02c", linewidth=1.2, label="7-day mean, as primary topic")
        ax.plot(days, [b if b is not None else float("nan") for b in baselines], color="#888", linewidth=1,
                linestyle="--", label="28-day baseline")  # fmt: skip
        burst_days = [(d, c) for d, c, b in zip(days, counts, bursts, strict=True) if b]
        if burst_days:
            ax.scatter(*zip(*burst_days, strict=True), color="#d62728", zorder=3, s=28, label="burst")
        # The day-wide bars as one filled step outline: what ax.bar draws, at a fraction of the cost (ax.bar
        # makes an artist per day, and a year of days per panel dominated the report's time). Added last so
        # the legend lists it last, as it listed the bars; patches draw below lines whatever the order.
        ax.stairs(counts, _day_edges(days), fill=True, color="#c9d6e8", label="articles")
        ax.set_title(
            f"{label}: {sum(counts)} articles ({sum(primaries)} as primary topic), "
            f"burst days: {len(burst_days)}",
            fontsize=10,
        )
        _dates(ax)
        series[label] = sum(1 for c in counts if c)
    for ax in axes[len(topics) :]:
        ax.set_visible(False)
    if topics:
        axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle(f"Top topics: daily {TOPIC_COUNT}, bursts marked")
    fig.tight_layout()
    return Chart("topic_timelines", f"Timelines of the top topics: {TOPIC_COUNT}", fig, series)


def agency_shares(con: duckdb.DuckDBPyConnection) -> Chart:
    """Weekly share of each outlet's stories credited to each agency, for the outlets crediting the most."""
    outlet_names = labels(con, "outlets", "outlet")
    # An agency that is the outlet itself (agencies.yaml `self_outlet`: Reuters on cn.reuters.com) is 100%.
    columns = {r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE agencies)").fetchall()}
    own = "self_outlet" if "self_outlet" in columns else "NULL::VARCHAR"
    con.execute(
        "CREATE OR REPLACE TEMP VIEW chart_shares AS SELECT s.* FROM agency_share_daily AS s "
        f"WHERE NOT EXISTS (SELECT 1 FROM agencies AS a WHERE a.agency = s.agency AND {own} = s.outlet)"
    )
    outlets = [
        r[0]
        for r in con.execute(
            "SELECT outlet FROM chart_shares GROUP BY outlet HAVING sum(articles) > 0 "
            f"ORDER BY sum(articles) DESC LIMIT {SHARE_OUTLETS}"
        ).fetchall()
    ]
    ranked = [
        r[0]
        for r in con.execute(
            "SELECT agency FROM chart_shares GROUP BY agency ORDER BY sum(articles) DESC, agency"
        ).fetchall()
    ]
    colors = {agency: f"C{n % 10}" for n, agency in enumerate(ranked)}  # one colour per agency in every panel
    cols = 2 if len(outlets) > 1 else 1
    fig, axes = _figure(max(1, -(-len(outlets) // cols)), cols)
    series = {}
    for ax, outlet in zip(axes, outlets, strict=False):
        agencies = [
            r[0]
            for r in con.execute(
                "SELECT agency FROM chart_shares WHERE outlet = ? GROUP BY agency "
                f"ORDER BY sum(articles) DESC, agency LIMIT {SHARE_AGENCIES}",
                [outlet],
            ).fetchall()
        ]
        for agency in agencies:
            rows = con.execute(
                "SELECT c.week, sum(s.articles) / sum(s.outlet_articles) FROM chart_shares AS s "
                f"JOIN calendar AS c USING (pub_date) WHERE s.outlet = ? AND s.agency = ? AND {CORE} "
                "GROUP BY c.week ORDER BY c.week",
                [outlet, agency],
            ).fetchall()
            weeks, shares = zip(*rows, strict=True)
            label = agency  # agency codes (AFP, Reuters, dpa) make the shortest clear legend
            ax.plot(weeks, shares, marker="o", markersize=3, label=label, color=colors[agency])
            series[f"{outlet_names.get(outlet, outlet)} / {label}"] = sum(1 for s in shares if s)
        ax.set_title(f"{outlet_names.get(outlet, outlet)}: share of stories credited to", fontsize=10)
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=7, loc="upper left")
        _dates(ax)
    for ax in axes[len(outlets) :]:
        ax.set_visible(False)
    fig.suptitle("Agency shares by outlet (weekly)")
    fig.tight_layout()
    return Chart("agency_shares", "Agency shares by outlet over time", fig, series)


def event_lead_lag(con: duckdb.DuckDBPyConnection) -> Chart:
    """Per outlet, over the events of two outlets or more: how often it had the first report, and its median
    lag behind the first report when it followed."""
    outlet_names = labels(con, "outlets", "outlet")
    rows = con.execute(
        "SELECT outlet, events, share_first, coalesce(median_lag_hours_when_following, 0) "
        f"FROM outlet_event_lead() ORDER BY events DESC, outlet LIMIT {TOP_OUTLETS * 2}"
    ).fetchall()
    fig, axes = _figure(1, 2, height=3.4, sharex=False)
    names = [outlet_names.get(r[0], r[0]) for r in rows]
    axes[0].barh(names, [r[2] for r in rows], color="C0")
    axes[0].set_title("share of its events where it reported first", fontsize=10)
    axes[0].xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    axes[1].barh(names, [r[3] for r in rows], color="C1")
    axes[1].set_title("median hours behind the first report (when following)", fontsize=10)
    for ax in axes:
        ax.invert_yaxis()
    fig.suptitle("Who reports events first, and how far behind the others follow")
    fig.tight_layout()
    return Chart(
        "event_lead_lag",
        "Lead and lag by outlet (events)",
        fig,
        {n: r[1] for n, r in zip(names, rows, strict=True)},
    )


def reprint_network(con: duckdb.DuckDBPyConnection) -> Chart:
    """Reprints from source outlet (rows) to reprinting outlet (columns), as a matrix of counts."""
    outlet_names = labels(con, "outlets", "outlet")
    rows = con.execute("SELECT source_outlet, outlet, reprints FROM reprint_network()").fetchall()
    outlets = sorted({r[0] for r in rows} | {r[1] for r in rows})
    index = {o: n for n, o in enumerate(outlets)}
    counts = [[0] * len(outlets) for _ in outlets]
    for source, outlet, n in rows:
        counts[index[source]][index[outlet]] = n
    fig, axes = _figure(1, 1, height=max(3.0, 0.4 * len(outlets) + 1.5))
    ax = axes[0]
    if outlets:
        ax.imshow(counts, cmap="Blues")
        names = [outlet_names.get(o, o) for o in outlets]
        ax.set_xticks(range(len(outlets)), names, rotation=45, ha="right", fontsize=8)
        ax.set_yticks(range(len(outlets)), names, fontsize=8)
        for i, line in enumerate(counts):
            for j, n in enumerate(line):
                if n:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize=7)
        ax.set_xlabel("reprinted by")
        ax.set_ylabel("source (published first)")
    else:
        ax.text(0.5, 0.5, "no reprints in this archive", ha="center", va="center")
        ax.set_axis_off()
    fig.suptitle("Reprint network: who carries whose copy")
    fig.tight_layout()
    series = {f"{s} -> {o}": n for s, o, n in rows}
    return Chart("reprint_network", "Reprint network (source outlet to reprinting outlet)", fig, series)


CHARTS = (
    topic_timelines,
    volume_by_outlet,
    agency_shares,
    event_lead_lag,
    reprint_network,
)  # first: headline
