"""The benchmark inventory generator writes valid, deterministic policy repositories."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from benchgen import generator as load_generator

from zerotrust_audit.api import load
from zerotrust_audit.errors import InputError

SMALL = {"endpoints": 300, "users": 150, "groups": 20, "resources": 50, "rules": 40, "gateways": 2}
SECTIONS = ("users", "groups", "mfa_policies", "endpoints", "networks", "vpn_gateways", "resources", "access_rules")


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    module = load_generator()
    return module


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_generated_inventory_loads_and_counts_match(generator: ModuleType, tmp_path: Path, fmt: str) -> None:
    result = generator.generate(tmp_path, fmt=fmt, **SMALL)
    try:
        loaded = load([tmp_path])
    except InputError as exc:  # pragma: no cover - shows every problem on failure
        pytest.fail("generated inventory is invalid:\n" + "\n".join(str(p) for p in exc.problems))
    inventory = loaded.facts.inventory

    expected = {
        "users": SMALL["users"],
        "groups": SMALL["groups"],
        "endpoints": SMALL["endpoints"],
        "resources": SMALL["resources"],
        "access_rules": SMALL["rules"],
        "vpn_gateways": SMALL["gateways"],
        "networks": SMALL["gateways"] + 3,      # two offices, one pool per gateway, one cloud
    }
    actual = {section: len(inventory.section(section)) for section in SECTIONS}
    assert {k: actual[k] for k in expected} == expected
    assert 3 <= actual["mfa_policies"] <= 5
    assert {section: result[section] for section in SECTIONS} == actual
    assert inventory.organization is not None and str(inventory.organization.audit_date) == "2026-11-01"
    assert inventory.waivers == []

    written = sorted(p.relative_to(tmp_path).as_posix() for p in result["files"])
    assert written == sorted(_files(tmp_path))
    assert all(name.endswith("." + fmt) for name in written)
    assert f"identity/users-001.{fmt}" in written and f"devices/endpoints-001.{fmt}" in written
    assert f"access/rules-001.{fmt}" in written
    assert result["bytes"] == sum(len(data) for data in _files(tmp_path).values())


def test_yaml_and_json_describe_the_same_inventory(generator: ModuleType, tmp_path: Path) -> None:
    generator.generate(tmp_path / "yaml", fmt="yaml", **SMALL)
    generator.generate(tmp_path / "json", fmt="json", **SMALL)
    from_yaml = load([tmp_path / "yaml"]).facts.inventory
    from_json = load([tmp_path / "json"]).facts.inventory
    for section in SECTIONS:
        assert from_yaml.section(section) == from_json.section(section), section
    assert from_yaml.organization == from_json.organization


def test_generation_is_deterministic(generator: ModuleType, tmp_path: Path) -> None:
    for fmt in ("yaml", "json"):
        generator.generate(tmp_path / f"a-{fmt}", fmt=fmt, **SMALL)
        generator.generate(tmp_path / f"b-{fmt}", fmt=fmt, **SMALL)
        first, second = _files(tmp_path / f"a-{fmt}"), _files(tmp_path / f"b-{fmt}")
        assert first and first == second
    generator.generate(tmp_path / "other-seed", fmt="yaml", seed=2, **SMALL)
    assert _files(tmp_path / "other-seed") != _files(tmp_path / "a-yaml")


def test_chunking_and_regeneration_replace_stale_files(generator: ModuleType, tmp_path: Path) -> None:
    small = {**SMALL, "rules": 600, "endpoints": 10, "users": 5}
    result = generator.generate(tmp_path, **small)
    rules = sorted(p.name for p in (tmp_path / "access").iterdir())
    assert rules == ["rules-001.yaml", "rules-002.yaml", "rules-003.yaml"]
    assert len(result["files"]) == len(_files(tmp_path))

    # A smaller run in another format into the same folder leaves nothing behind.
    generator.generate(tmp_path, fmt="json", **{**small, "rules": 10})
    assert sorted(p.name for p in (tmp_path / "access").iterdir()) == ["rules-001.json"]
    assert all(name.endswith(".json") for name in _files(tmp_path))
    assert len(load([tmp_path]).facts.inventory.access_rules) == 10


def test_command_line(generator: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [str(tmp_path), "--endpoints", "40", "--groups", "8", "--resources", "12", "--rules", "9",
            "--gateways", "1", "--format", "json", "--seed", "3"]
    assert generator.main(argv) == 0
    assert "20 users" in capsys.readouterr().out       # users default to endpoints / 2
    assert len(load([tmp_path]).facts.inventory.endpoints) == 40
    with pytest.raises(SystemExit):
        generator.main([str(tmp_path), "--endpoints", "10", "--groups", "2"])
