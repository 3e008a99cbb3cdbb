"""Files on the server: which files `export_history` writes and `import_history` reads.

Tried as a hostile household member and as an admin who mistypes: Home
Assistant's own files, another profile's journal, escapes and symlinks are
refused with a translated message naming the file, and left byte-for-byte
unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, MockUser

from custom_components.run_wellbeing.const import DOMAIN

from .conftest import ProfileFactory

# What a config folder holds that no action may touch, with recognisable bytes.
HOME_ASSISTANT_FILES = {
    "configuration.yaml": b"homeassistant:\n  name: Home\n",
    "automations.yaml": b"[]\n",
    "secrets.yaml": b"password: hunter2\n",
    "home-assistant.log": b"2026-11-25 INFO started\n",
    "home-assistant_v2.db": b"SQLite format 3\x00",
    ".storage/core.config_entries": b'{"version": 1, "data": {}}',
    ".storage/notes.csv": b"record,id\n",
    "notes.csv": b"my own notes, not an export\n",
    "run_wellbeing/exports/notes.json": b'{"mine": true}\n',
}


@pytest.fixture
async def alex_user(hass: HomeAssistant, hass_owner_user: MockUser) -> User:
    """Return Alex's own user: not an administrator."""
    return await hass.auth.async_create_user("Alex", group_ids=["system-users"])


@pytest.fixture
async def profiles(
    hass: HomeAssistant, add_profile: ProfileFactory, alex_user: User
) -> tuple[MockConfigEntry, MockConfigEntry]:
    """Return Alex's profile (linked to Alex's user) and Bo's, each with a run."""
    assert await async_setup_component(
        hass,
        "person",
        {"person": [{"id": "alex", "name": "Alex", "user_id": alex_user.id}]},
    )
    alex = await add_profile("Alex", person="person.alex")
    bo = await add_profile("Bo")
    for entry in (alex, bo):
        await hass.services.async_call(
            DOMAIN,
            "log_run",
            {"config_entry_id": entry.entry_id, "duration": 30, "note": "Secret"},
            blocking=True,
        )
    await hass.async_block_till_done()
    return alex, bo


@pytest.fixture
async def config_files(hass: HomeAssistant) -> dict[Path, bytes]:
    """Write Home Assistant's files and return every file of the config folder."""
    config = Path(hass.config.config_dir)

    def write() -> dict[Path, bytes]:
        for name, data in HOME_ASSISTANT_FILES.items():
            (config / name).parent.mkdir(parents=True, exist_ok=True)
            (config / name).write_bytes(data)
        (config / "run_wellbeing/exports/yaml.csv").symlink_to(
            config / "configuration.yaml"
        )
        (config / "run_wellbeing/exports/out.csv").symlink_to(
            config.parent / "outside.csv"
        )
        (config / "run_wellbeing/exports/storage").symlink_to(config / ".storage")
        return snapshot(config)

    return await hass.async_add_executor_job(write)


def snapshot(config: Path) -> dict[Path, bytes]:
    """Return the bytes of every file under the config folder and beside it."""
    return {
        path: path.read_bytes()
        for path in sorted(config.parent.rglob("*"))
        if path.is_file()
        and not path.name.endswith((".journal", ".tmp"))
        and ".storage/run_wellbeing" not in str(path)
    }


async def call(
    hass: HomeAssistant, action: str, data: dict[str, Any], user: User | None
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=None if user is None else user.id),
    )


def journal(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    return str(entry.runtime_data.store.journal_path)


def export_paths(hass: HomeAssistant, bo: MockConfigEntry) -> list[tuple[str, str]]:
    """Return (path, format) of every export the rules refuse."""
    config = hass.config.config_dir
    return [
        ("configuration.yaml", "csv"),
        ("automations.yaml", "json"),
        ("secrets.yaml", "csv"),
        ("home-assistant.log", "csv"),
        ("home-assistant_v2.db", "csv"),
        (".storage/core.config_entries", "json"),
        (".storage/notes.csv", "csv"),
        (".storage/new.json", "json"),
        (journal(hass, bo), "json"),
        (f"{config}/configuration.yaml", "csv"),
        ("run_wellbeing/../notes.csv", "csv"),
        (f"{config}/notes.csv", "csv"),
        ("new.csv", "json"),
        ("run_wellbeing/exports/notes.json", "json"),
        ("run_wellbeing/exports/../../notes.csv", "csv"),
        ("run_wellbeing/exports/../../configuration.yaml", "csv"),
        ("../outside.csv", "csv"),
        ("run_wellbeing/exports/yaml.csv", "csv"),
        ("run_wellbeing/exports/out.csv", "csv"),
        ("run_wellbeing/exports/storage/notes.csv", "csv"),
        ("/etc/passwd.csv", "csv"),
        ("run\x00.csv", "csv"),
        ("x" * 5000 + ".csv", "csv"),
    ]


def import_paths(hass: HomeAssistant, bo: MockConfigEntry) -> list[str]:
    """Return every path an import must not read."""
    return [
        ".storage/core.config_entries",
        ".storage",
        journal(hass, bo),
        "secrets.yaml",
        "configuration.yaml",
        "home-assistant_v2.db",
        "home-assistant.log",
        ".",
        "..",
        "../outside.csv",
        "run_wellbeing/exports/storage/notes.csv",
        "run_wellbeing/exports/yaml.csv",
        "/etc/passwd",
        "run\x00.csv",
        "x" * 5000,
    ]


@pytest.mark.parametrize("admin", [True, False])
async def test_exports_never_touch_home_assistant_files(
    hass: HomeAssistant,
    *,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    config_files: dict[Path, bytes],
    alex_user: User,
    hass_admin_user: MockUser,
    admin: bool,
) -> None:
    alex, bo = profiles
    config = Path(hass.config.config_dir)
    user = hass_admin_user if admin else alex_user
    for path, fmt in export_paths(hass, bo):
        data = {"config_entry_id": alex.entry_id, "path": path, "format": fmt}
        if admin:
            with pytest.raises(ServiceValidationError) as caught:
                await call(hass, "export_history", data, user)
            assert caught.value.translation_domain == DOMAIN, path
            assert caught.value.translation_key != "unknown_error"
            shown = caught.value.translation_placeholders["path"]
            assert len(shown) <= 80
            assert shown.endswith(path[-20:].replace("\x00", "\\0"))
        else:
            with pytest.raises(Unauthorized):
                await call(hass, "export_history", data, user)
    assert await hass.async_add_executor_job(snapshot, config) == config_files
    assert bo.runtime_data.history.sessions  # the other profile is untouched
    assert await hass.config_entries.async_reload(bo.entry_id)
    assert len(bo.runtime_data.history.sessions) == 1


@pytest.mark.parametrize(
    ("path", "fmt", "key"),
    [
        ("configuration.yaml", "csv", "export_not_csv"),
        ("alex.csv", "json", "export_not_json"),
        (".storage/new.json", "json", "export_path_not_allowed"),
        ("../outside.csv", "csv", "export_path_not_allowed"),
        ("run_wellbeing/../notes.csv", "csv", "export_path_not_allowed"),
        ("run_wellbeing/exports/notes.json", "json", "export_would_replace"),
        ("run_wellbeing/exports/yaml.csv", "csv", "export_not_csv"),
        ("run\x00.csv", "csv", "path_invalid"),
        ("x" * 5000 + ".csv", "csv", "path_too_long"),
    ],
)
async def test_export_refusals_say_why(
    hass: HomeAssistant,
    *,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    config_files: dict[Path, bytes],
    path: str,
    fmt: str,
    key: str,
) -> None:
    alex, _ = profiles
    data = {"config_entry_id": alex.entry_id, "path": path, "format": fmt}
    with pytest.raises(ServiceValidationError) as caught:
        await call(hass, "export_history", data, None)
    assert caught.value.translation_key == key
    assert "\x00" not in str(caught.value)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("admin", [True, False])
async def test_imports_never_read_home_assistant_files(
    hass: HomeAssistant,
    *,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    config_files: dict[Path, bytes],
    alex_user: User,
    hass_admin_user: MockUser,
    admin: bool,
) -> None:
    alex, bo = profiles
    user = hass_admin_user if admin else alex_user
    before = alex.runtime_data.history.as_dict()
    for path in import_paths(hass, bo):
        data = {"config_entry_id": alex.entry_id, "path": path}
        if admin:
            with pytest.raises(ServiceValidationError) as caught:
                await call(hass, "import_history", data, user)
            assert caught.value.translation_key in {
                "path_not_allowed",
                "path_invalid",
                "path_too_long",
            }, path
        else:
            with pytest.raises(Unauthorized):
                await call(hass, "import_history", data, user)
    assert alex.runtime_data.history.as_dict() == before
    config = Path(hass.config.config_dir)
    assert await hass.async_add_executor_job(snapshot, config) == config_files


async def test_an_export_can_be_repeated_and_read_back(
    hass: HomeAssistant,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    hass_admin_user: MockUser,
) -> None:
    """A bare name lands in the exports folder; the next export replaces it."""
    alex, bo = profiles
    exports = Path(hass.config.config_dir) / "run_wellbeing" / "exports"
    for fmt in ("csv", "json"):
        data = {"config_entry_id": alex.entry_id, "path": f"alex.{fmt}", "format": fmt}
        first = await call(hass, "export_history", data, hass_admin_user)
        assert first["path"] == str((exports / f"alex.{fmt}").resolve())
        await hass.services.async_call(
            DOMAIN,
            "log_mood",
            {"config_entry_id": alex.entry_id, "mood": 7},
            blocking=True,
        )
        again = await call(hass, "export_history", data, None)
        assert again["moods"] == first["moods"] + 1
        imported = await call(
            hass,
            "import_history",
            {"config_entry_id": bo.entry_id, "path": f"alex.{fmt}"},
            hass_admin_user,
        )
        assert imported["imported"] >= 1
    names = await hass.async_add_executor_job(
        lambda: sorted(p.name for p in exports.iterdir())
    )
    assert names == ["alex.csv", "alex.json"]


async def test_exports_go_to_allowlisted_folders(
    hass: HomeAssistant,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    tmp_path: Path,
) -> None:
    alex, _ = profiles
    folder = tmp_path / "backups"
    await hass.async_add_executor_job(folder.mkdir)
    target = str(folder / "alex.json")
    data = {"config_entry_id": alex.entry_id, "path": target, "format": "json"}
    with pytest.raises(ServiceValidationError):
        await call(hass, "export_history", data, None)
    hass.config.allowlist_external_dirs.add(str(folder))
    written = await call(hass, "export_history", data, None)
    resolved = await hass.async_add_executor_job(folder.resolve)
    assert written["path"] == str(resolved / "alex.json")
    response = await call(
        hass,
        "import_history",
        {"config_entry_id": alex.entry_id, "path": target},
        None,
    )
    assert response["duplicates"] == 1


async def test_non_admins_may_not_import_into_any_profile(
    hass: HomeAssistant,
    profiles: tuple[MockConfigEntry, MockConfigEntry],
    alex_user: User,
) -> None:
    """Not into someone else's profile, and not another person's export into theirs."""
    alex, bo = profiles
    await call(hass, "export_history", {"config_entry_id": bo.entry_id, "path": "bo.csv"}, None)  # fmt: skip
    for entry in (bo, alex):
        with pytest.raises(Unauthorized):
            await call(
                hass,
                "import_history",
                {"config_entry_id": entry.entry_id, "path": "bo.csv"},
                alex_user,
            )
    assert len(alex.runtime_data.history.sessions) == 1
    assert len(bo.runtime_data.history.sessions) == 1


async def test_a_path_of_another_type_is_refused(
    hass: HomeAssistant, profiles: tuple[MockConfigEntry, MockConfigEntry]
) -> None:
    alex, _ = profiles
    for action in ("import_history", "export_history"):
        with pytest.raises(ServiceValidationError) as caught:
            await call(
                hass, action, {"config_entry_id": alex.entry_id, "path": [1]}, None
            )
        assert caught.value.translation_key == "path_invalid"
