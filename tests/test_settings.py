"""Settings live in one typed place: etl/settings.py reads every ETL_* variable, and the README's table says
what it reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from etl.defs.resources import PathsResource
from etl.settings import PROJECT_ROOT, Settings, env_name

ROOT = Path(__file__).resolve().parent.parent
READS_ENV = re.compile(r"""(environ|getenv)\W[^\n]*["']ETL_""")


def test_no_module_but_settings_reads_an_etl_variable():
    readers = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "etl").rglob("*.py"))
        if READS_ENV.search(p.read_text(encoding="utf-8"))
    ]
    assert readers == [] or readers == ["etl/settings.py"], f"read ETL_* through Settings: {readers}"


def _readme_rows() -> dict[str, str]:
    """`ETL_*` variable -> its default cell, from the README's settings table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `(ETL_\w+)` \| ([^|]*) \|", text, flags=re.MULTILINE))


def test_readme_table_lists_every_setting_with_its_default():
    rows = _readme_rows()
    assert set(rows) == {env_name(f) for f in Settings.model_fields}
    defaults = Settings(
        _env_prefix="NO_SUCH_PREFIX_", warehouse_path=Settings.model_fields["warehouse_path"].default
    )
    for field in Settings.model_fields:
        value, cell = getattr(defaults, field), rows[env_name(field)].strip()
        if cell.startswith("`"):  # a literal default, paths relative to the project
            shown = str(value).removeprefix(str(PROJECT_ROOT) + "/")
            assert cell == f"`{shown}`", field
        else:  # "(none)", "number of cores", "(DuckDB's ...)": the setting's empty value stands for it
            assert not value, field


@pytest.mark.parametrize(
    ("env", "value", "message"),
    [
        ("ETL_LAKE_STORAGE_OPTIONS", "[1]", "ETL_LAKE_STORAGE_OPTIONS='[1]': must be a JSON object"),
        ("ETL_PARTITION_START", "2010", "ETL_PARTITION_START='2010'"),
        ("ETL_REJECT_RATE_WARN", "lots", "ETL_REJECT_RATE_WARN='lots'"),
        ("ETL_WORKERS", "-2", "ETL_WORKERS='-2'"),
    ],
)
def test_a_bad_value_names_its_variable(monkeypatch, env, value, message):
    monkeypatch.setenv(env, value)
    with pytest.raises(ValueError, match=re.escape(message)):
        Settings.from_env()


def test_variables_set_the_settings_and_empty_means_default(monkeypatch, tmp_path):
    monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("ETL_LAKE_STORAGE_OPTIONS", '{"endpoint_url": "http://127.0.0.1:9000"}')
    monkeypatch.setenv("ETL_WORKERS", " 3 ")
    monkeypatch.setenv("ETL_EXECUTOR", "")
    got = Settings.from_env()
    assert got.warehouse_path == str(tmp_path / "w.duckdb")
    assert got.lake_storage_options == {"endpoint_url": "http://127.0.0.1:9000"}
    assert (got.workers, got.executor) == (3, "multiprocess")


def test_the_paths_resource_takes_its_defaults_and_descriptions_from_settings():
    fields = PathsResource.model_fields
    for name in ("raw_dir", "lake_dir", "warehouse_path", "reports_dir"):
        assert env_name(name) in fields[name].description
        assert fields[name].default  # from Settings at import
