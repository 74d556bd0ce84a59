"""FileTokenStore: the protocol, plus what a file adds (mode 0600, atomic replace, damaged files)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from aceint_core.stores import FileTokenStore, TokenStoreError, token_store_from_url
from aceint_core.token_store import MemoryTokenStore, TokenStore
from tests.core.store_contract import KEY, SECRET_ACCESS, SECRET_REFRESH, TokenStoreContract, make_record


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "tokens.json"


@pytest.fixture
def store(path: Path) -> FileTokenStore:
    return FileTokenStore(path)


class TestFileStoreContract(TokenStoreContract):
    """The shared protocol tests on a FileTokenStore."""


def test_the_store_implements_the_protocol(store: FileTokenStore) -> None:
    assert isinstance(store, TokenStore)


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """The most permissive umask: a file made 0666 and then chmod-ed would show it."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_created_0600_even_with_umask_zero(
    store: FileTokenStore, path: Path, umask_zero: None
) -> None:
    store.compare_and_swap(KEY, None, make_record())
    with store.refresh_lock(KEY, lease=5, timeout=1) as acquired:
        assert acquired
    files = sorted(path.parent.iterdir())
    assert path in files and len(files) == 3  # tokens.json, its .lock and the key's refresh lock
    for file in files:
        assert _mode(file) == 0o600, file.name


def test_an_existing_wider_file_is_narrowed_on_write(store: FileTokenStore, path: Path) -> None:
    path.write_text("{}")
    path.chmod(0o644)
    store.compare_and_swap(KEY, None, make_record())
    assert _mode(path) == 0o600


def test_missing_directories_are_created_private(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b" / "tokens.json"
    store = FileTokenStore(nested)
    assert store.compare_and_swap(KEY, None, make_record()) is not None
    assert _mode(nested.parent) == 0o700
    assert _mode(nested) == 0o600


def test_every_write_replaces_the_file_and_leaves_no_temp_file(store: FileTokenStore, path: Path) -> None:
    first = store.compare_and_swap(KEY, None, make_record("one"))
    inode = path.stat().st_ino
    store.compare_and_swap(KEY, first.generation, make_record("two"))
    assert path.stat().st_ino != inode  # a new file renamed over the old, not rewritten in place
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert json.loads(path.read_text())["records"][KEY]["access_token"] == "two"


DAMAGED = {
    "empty": b"",
    "garbage": b"\x00\xff not json at all",
    "half-written": None,  # the first half of a valid file, filled in by the test
    "a list": b"[1, 2, 3]",
    "wrong version": b'{"version": 99, "records": {}}',
    "record missing a field": None,
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_file_is_a_miss_and_the_next_write_repairs_it(
    store: FileTokenStore, path: Path, damage: str
) -> None:
    old = store.compare_and_swap(KEY, None, make_record("before"))
    valid = path.read_bytes()
    if damage == "half-written":
        content = valid[: len(valid) // 2]
    elif damage == "record missing a field":
        data = json.loads(valid)
        del data["records"][KEY]["expires_at"]
        content = json.dumps(data).encode()
    else:
        content = DAMAGED[damage]
    path.write_bytes(content)

    assert store.load(KEY) is None
    assert store.delete(KEY) is False
    # A writer that saw the damage writes as if nothing were stored, and repairs the file.
    repaired = store.compare_and_swap(KEY, None, make_record("after"))
    assert repaired is not None
    assert repaired.generation > old.generation  # generations never repeat, even across repair
    assert store.load(KEY).access_token == "after"
    assert store.compare_and_swap(KEY, old.generation, make_record("stale")) is None
    assert json.loads(path.read_bytes())["version"] == 1


def test_a_damaged_file_does_not_break_the_refresh_lock(store: FileTokenStore, path: Path) -> None:
    path.write_bytes(b"{truncated")
    with store.refresh_lock(KEY, lease=5, timeout=1) as acquired:
        assert acquired
    assert store.load(KEY) is None


def test_a_deleted_file_restarts_above_the_old_generations(store: FileTokenStore, path: Path) -> None:
    old = store.compare_and_swap(KEY, None, make_record())
    path.unlink()
    fresh = store.compare_and_swap(KEY, None, make_record())
    assert fresh.generation > old.generation


def test_an_unusable_path_raises_a_store_error_naming_it_without_tokens(tmp_path: Path) -> None:
    directory = tmp_path / "is-a-directory"
    directory.mkdir()
    store = FileTokenStore(directory)
    with pytest.raises(TokenStoreError) as caught:
        store.compare_and_swap(KEY, None, make_record())
    message = str(caught.value)
    assert str(directory) in message
    assert SECRET_ACCESS not in message and SECRET_REFRESH not in message
    with pytest.raises(TokenStoreError):
        store.load(KEY)


def test_the_file_holds_the_tokens_but_the_repr_and_lease_do_not(store: FileTokenStore, path: Path) -> None:
    store.compare_and_swap(KEY, None, make_record())
    assert SECRET_ACCESS in path.read_text()  # unavoidable: that is what the store is for
    assert repr(store) == f"FileTokenStore(path={str(path)!r})"
    with store.refresh_lock(KEY, lease=5, timeout=1):
        lease = json.loads(path.read_text())["leases"][KEY]
        assert set(lease) == {"owner", "pid", "host", "until", "flock"}
        assert lease["pid"] == os.getpid() and lease["flock"] is True
    assert json.loads(path.read_text())["leases"] == {}


def test_an_expired_lease_in_the_file_is_taken_over(store: FileTokenStore, path: Path) -> None:
    """A lease whose deadline passed is free even while its owner still holds the flock."""
    other = FileTokenStore(path)  # a second handle: its own flock, as another process would have
    lease_entered = other.refresh_lock(KEY, lease=0.3, timeout=1)
    assert lease_entered.__enter__() is True
    try:
        with store.refresh_lock(KEY, lease=5, timeout=0.05) as acquired:
            assert acquired is False  # the lease is valid and its owner holds the flock
        with store.refresh_lock(KEY, lease=5, timeout=3) as acquired:
            assert acquired is True
            assert json.loads(path.read_text())["leases"][KEY]["flock"] is False
    finally:
        lease_entered.__exit__(None, None, None)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("memory", MemoryTokenStore),
        ("", MemoryTokenStore),
        ("{dir}/tokens.json", FileTokenStore),
        ("file://{dir}/tokens.json", FileTokenStore),
    ],
)
def test_token_store_from_url_picks_memory_or_file(tmp_path: Path, setting: str, expected: type) -> None:
    store = token_store_from_url(setting.format(dir=tmp_path))
    assert isinstance(store, expected)
    if isinstance(store, FileTokenStore):
        assert store.path == tmp_path / "tokens.json"


def test_token_store_from_url_refuses_unknown_schemes_with_a_masked_url() -> None:
    with pytest.raises(ValueError, match="unknown scheme") as caught:
        token_store_from_url("redis://user:hunter2@cache:6379/0")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(ValueError, match="local path"):
        token_store_from_url("file://otherhost/tokens.json")


def test_orphaned_temp_files_of_killed_writers_are_swept(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    orphan = path.with_name(f".{path.name}.12345.deadbeef.tmp")
    recent = path.with_name(f".{path.name}.12346.cafe.tmp")
    for temp in (orphan, recent):
        temp.write_text('{"half": ')
    old = os.stat(orphan).st_mtime - 3600
    os.utime(orphan, (old, old))
    FileTokenStore(path)
    assert not orphan.exists()
    assert recent.exists()  # it may belong to a writer at work right now


def test_deeply_nested_garbage_is_still_a_miss(store: FileTokenStore, path: Path) -> None:
    path.write_text("[" * 100_000)
    assert store.load(KEY) is None
    assert store.compare_and_swap(KEY, None, make_record()) is not None
