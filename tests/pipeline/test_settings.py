"""Settings come from dlt config (`[sources.trackstar]`, SOURCES__TRACKSTAR__*); secrets hidden."""

from __future__ import annotations

import pendulum
import pytest

from pipelines.extract import (
    ConfigurationError,
    _configured_workers,
    extract,
    load_source_settings,
    parse_access_tokens,
)

PREFIX = "SOURCES__TRACKSTAR__"


@pytest.fixture
def env(monkeypatch):
    for name in ("API_KEY", "ACCESS_TOKENS", "BASE_URL", "LAG_SECONDS", "START_DATE"):
        monkeypatch.setenv(PREFIX + name, "")

    def set_(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(PREFIX + name.upper(), value)

    return set_


def test_missing_api_key_says_how_to_set_it(env):
    with pytest.raises(ConfigurationError) as info:
        load_source_settings()
    message = str(info.value)
    assert "secrets.toml" in message and "SOURCES__TRACKSTAR__API_KEY" in message
    assert "make demo" in message


def test_extract_without_api_key_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigurationError, match="SOURCES__TRACKSTAR__API_KEY"):
        extract(api_key="", duckdb_path=tmp_path / "w.duckdb")


def test_settings_from_environment(env):
    env(
        api_key="key-123456",
        access_tokens='{"conn_a": "token-aaaaaa", "conn_b": "token-bbbbbb"}',
        base_url="http://127.0.0.1:8000",
        lag_seconds="7200",
        start_date="2025-06-01",
        pages_per_package="7",
        windows="3",
        rate_per_second="0",
    )
    settings = load_source_settings()
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.access_tokens == {"conn_a": "token-aaaaaa", "conn_b": "token-bbbbbb"}
    assert settings.lag_seconds == 7200
    assert settings.pages_per_package == 7
    assert settings.windows == 3
    assert settings.as_kwargs()["rate_per_second"] is None  # 0: requests are not paced
    assert settings.start_date == pendulum.datetime(2025, 6, 1, tz="UTC")
    assert sorted(settings.secrets()) == ["key-123456", "token-aaaaaa", "token-bbbbbb"]
    assert set(settings.as_kwargs()) == {
        "base_url",
        "api_key",
        "access_tokens",
        "lag_seconds",
        "start_date",
        "fallback_lag_seconds",
        "packs",
        "packs_max_requests",
        "pages_per_package",
        "windows",
        "rate_per_second",
    }
    assert "key-123456" not in repr(settings) and "token-aaaaaa" not in repr(settings)


def test_defaults(env):
    env(api_key="key-123456")
    settings = load_source_settings()
    assert settings.lag_seconds == 3600
    assert settings.as_kwargs()["rate_per_second"] == 10  # Trackstar's limit per access token
    assert settings.start_date is None and settings.access_tokens is None
    assert settings.base_url.startswith("https://")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('["t1", "t2"]', ["t1", "t2"]),
        ("t1, t2", ["t1", "t2"]),
        ({"c1": "t1"}, {"c1": "t1"}),
        (["t1"], ["t1"]),
        ("", None),
        (None, None),
    ],
)
def test_access_tokens_forms(value, expected):
    assert parse_access_tokens(value) == expected


def test_bad_values_are_configuration_errors(env):
    env(api_key="key-123456", lag_seconds="an hour")
    with pytest.raises(ConfigurationError, match="lag_seconds"):
        load_source_settings()
    env(lag_seconds="60", start_date="yesterday-ish")
    with pytest.raises(ConfigurationError, match="start_date"):
        load_source_settings()
    env(start_date="", access_tokens='["unterminated"')
    with pytest.raises(ConfigurationError, match="access_tokens"):
        load_source_settings()
    env(access_tokens="", base_url="trackstar.example.com")
    with pytest.raises(ConfigurationError, match="base_url must be an http"):
        load_source_settings()


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_extract_workers_must_be_a_positive_integer(monkeypatch, value):
    monkeypatch.setenv("EXTRACT__WORKERS", value)
    with pytest.raises(ConfigurationError, match="EXTRACT__WORKERS"):
        _configured_workers(10)
    monkeypatch.setenv("EXTRACT__WORKERS", "3")
    assert _configured_workers(10) == 3
