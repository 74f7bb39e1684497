"""The loader: safe parsing, YAML 1.2 scalars, positions, limits and discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zerotrust_audit.load import Limits, load_paths
from zerotrust_audit.load.yaml_reader import read_text


def test_yaml_1_1_surprises_stay_strings() -> None:
    docs, problems = read_text("a: NO\nb: yes\nc: on\nd: 2026-11-01\ne: 010\nf: 0x1F\ng: 1_000\nh: 1:30\ni: True\nj: ~\n", "t.yaml")
    assert problems == []
    assert docs[0].data == {"a": "NO", "b": "yes", "c": "on", "d": "2026-11-01", "e": 10, "f": 31, "g": "1_000", "h": "1:30", "i": True, "j": None}


def test_positions_are_one_based_for_values_and_keys() -> None:
    docs, _ = read_text("version: 1\nusers:\n  - name: ana\n    type: employee\n", "t.yaml")
    positions = docs[0].positions
    assert (positions.value(("users", 0)).line, positions.value(("users", 0)).column) == (3, 5)
    assert (positions.value(("users", 0, "type")).line, positions.value(("users", 0, "type")).column) == (4, 11)
    assert (positions.key(("users", 0, "type")).line, positions.key(("users", 0, "type")).column) == (4, 5)


def test_duplicate_key_names_both_lines() -> None:
    _, problems = read_text("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert [str(p) for p in problems] == ["t.yaml:3:1: duplicate key 'a' (first defined at line 1)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object/apply:os.system ['id']\n", "t.yaml:1:4: tag '!!python/object/apply:os.system' is not allowed"),
        ("a: !custom x\n", "t.yaml:1:4: tag '!custom' is not allowed"),
        ("<<: {a: 1}\n", "t.yaml:1:1: merge keys ('<<') are not supported"),
        ("1: x\n", "t.yaml:1:1: mapping key '1' must be a string"),
        ("a: [1,\n", "t.yaml:2:1: YAML syntax error"),
    ],
)
def test_refused_constructs(text: str, expected: str) -> None:
    _, problems = read_text(text, "t.yaml")
    assert str(problems[0]).startswith(expected)


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    _, problems = read_text("\n".join(lines) + "\n", "bomb.yaml", Limits(max_nodes=100_000))
    assert "through aliases" in problems[0].message


def test_aliases_within_budget_share_values() -> None:
    docs, problems = read_text("x: &v [1, 2]\ny: *v\n", "t.yaml")
    assert problems == [] and docs[0].data == {"x": [1, 2], "y": [1, 2]}


def test_deep_nesting_is_refused() -> None:
    _, problems = read_text("a: " + "[" * 100 + "]" * 100 + "\n", "t.yaml", Limits(max_depth=20))
    assert "nesting deeper than 20" in problems[0].message


def test_discovery_skips_hidden_folders_and_refuses_escaping_symlinks(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / ".git" / "x.yaml").write_text("version: 1\n")
    (tmp_path / "repo" / "a.yaml").write_text("version: 1\n---\nversion: 1\n")
    (tmp_path / "repo" / "b.json").write_text('{"version": 1}')
    (tmp_path / "outside.yaml").write_text("version: 1\n")
    os.symlink(tmp_path / "outside.yaml", tmp_path / "repo" / "link.yaml")
    result = load_paths([tmp_path / "repo"])
    assert [f.path for f in result.files] == ["a.yaml", "b.json"]
    assert [d.index for d in result.documents] == [0, 1, 0]
    assert [p.message for p in result.problems] == ["link.yaml: path leaves the scanned repository; refused"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("version: 1\n".encode("utf-16"), "file is UTF-16 encoded"),
        (b"version: 1\nname: caf\xe9\n", "invalid UTF-8 byte 0xe9"),
        (b"", "file is empty"),
    ],
)
def test_bad_encodings_are_errors_with_positions(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "x.yaml").write_bytes(content)
    (tmp_path / "ok.yaml").write_text("version: 1\n")
    result = load_paths([tmp_path])
    assert [p.message.split(":")[0] for p in result.problems] == [expected.split(":")[0]]
    assert [d.path for d in result.documents] == ["ok.yaml"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"\xef\xbb\xbfversion: 1\n")
    result = load_paths([tmp_path])
    assert result.problems == [] and result.documents[0].data == {"version": 1}


def test_json_inventories_keep_positions(tmp_path: Path) -> None:
    """Machine-generated JSON inventories get the same positions and checks as YAML."""
    (tmp_path / "inv.json").write_text('{\n  "version": 1,\n  "users": [\n    {"name": "a", "name": "b"}\n  ]\n}\n')
    result = load_paths([tmp_path])
    assert [str(p) for p in result.problems] == ["inv.json:4:19: duplicate key 'name' (first defined at line 4)"]
    assert (result.documents[0].positions.value(("users", 0)).line) == 4


def test_positions_come_from_libyaml_not_the_pure_python_parser() -> None:
    """The C parser composes the node graph; a silent fallback would be ~20 times slower."""
    from zerotrust_audit.load import yaml_parser

    assert yaml_parser.EventParser.__module__ == "yaml._yaml"


def test_parallel_reading_gives_the_same_documents_and_positions(tmp_path: Path, monkeypatch) -> None:
    """Large repositories are read by two processes; the result must not change."""
    import shutil

    import zerotrust_audit.load as load_module
    from zerotrust_audit.load.positions import JsonPath

    example = Path(__file__).resolve().parents[1] / "policies" / "acme"
    shutil.copytree(example, tmp_path / "repo")
    (tmp_path / "repo" / "broken.yaml").write_text("version: 1\nusers: [\n")
    (tmp_path / "repo" / "alias.yaml").write_text("version: 1\ngroups:\n  - &g {name: a1}\nx: [*g, *g]\n")
    sequential = load_paths([tmp_path / "repo"])
    monkeypatch.setattr(load_module, "PARALLEL_MIN_BYTES", 0)
    parallel = load_paths([tmp_path / "repo"])

    def paths_of(data: object, prefix: JsonPath = ()) -> list[JsonPath]:
        out = [prefix]
        if isinstance(data, dict):
            for k, v in data.items():
                out += paths_of(v, (*prefix, k))
        elif isinstance(data, list):
            for i, v in enumerate(data):
                out += paths_of(v, (*prefix, i))
        return out

    assert [f.path for f in parallel.files] == [f.path for f in sequential.files]
    assert [str(p) for p in parallel.problems] == [str(p) for p in sequential.problems]
    assert len(parallel.documents) == len(sequential.documents)
    for a, b in zip(sequential.documents, parallel.documents):
        assert (a.path, a.index, a.data) == (b.path, b.index, b.data)
        for path in paths_of(a.data):
            assert a.positions.value(path) == b.positions.value(path)
            assert a.positions.key(path) == b.positions.key(path)
