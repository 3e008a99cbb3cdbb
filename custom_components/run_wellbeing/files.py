"""Which files on the server `import_history` may read and `export_history` may write.

Exports are `.csv` or `.json` files in the integration's exports folder
(`<config>/run_wellbeing/exports/`, where a bare file name lands) or in an
`allowlist_external_dirs` folder; an existing file is replaced only when it
is an earlier export of the integration. Imports read the config folder's
ordinary places, the exports folder and allowlisted folders, never Home
Assistant's own files (`.storage/` and other hidden folders, `secrets.yaml`,
YAML, logs, databases). Symlinks and `..` are resolved before deciding.

The functions here touch the disk: call them in the executor. Every refusal
is a translated ``ServiceValidationError`` naming the file, shortened.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .importers.own import COLUMNS, JSON_FORMAT, is_own_export

EXPORTS_FOLDER = Path("run_wellbeing", "exports")
MAX_PATH_LENGTH = 4096
MAX_NAME_LENGTH = 255
SHOWN_PATH_LENGTH = 80
EXPORT_SUFFIXES = {"csv": ".csv", "json": ".json"}
# Names Home Assistant keeps for itself: never read by an import.
FORBIDDEN_SUFFIXES = (".yaml", ".yml", ".log", ".db", ".db-shm", ".db-wal", ".pem")
FORBIDDEN_NAMES = ("secrets.yaml", "home-assistant_v2.db", "home-assistant.log")
# How exports of the second edition began: the CSV header, or the JSON
# opening whose first key named the format (today's mark their first line).
CSV_EXPORT_START = ",".join(COLUMNS)
JSON_EXPORT_START = f'"format": "{JSON_FORMAT}"'
SNIFF_BYTES = 512


def short(path: str | Path) -> str:
    """Return a path as a message shows it: its end, at most 80 characters."""
    text = str(path).replace("\x00", "\\0")
    if len(text) <= SHOWN_PATH_LENGTH:
        return text
    return "…" + text[-(SHOWN_PATH_LENGTH - 1) :]


def refuse(key: str, path: str | Path) -> ServiceValidationError:
    """Return the translated refusal of a path."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={"path": short(path)},
    )


def _check_text(path: str) -> None:
    if "\x00" in path:
        raise refuse("path_invalid", path)
    if len(path) > MAX_PATH_LENGTH or any(
        len(part) > MAX_NAME_LENGTH for part in Path(path).parts
    ):
        raise refuse("path_too_long", path)
    if not path.strip():
        raise refuse("path_invalid", path)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def _resolve(path: Path, shown: str) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as err:  # a symlink loop, a name too long
        raise refuse("path_not_allowed", shown) from err


def _allowlisted(path: Path, allowlist: Iterable[str]) -> bool:
    for folder in allowlist:
        try:
            if _inside(path, Path(folder).resolve()):
                return True
        except OSError, RuntimeError:
            continue
    return False


def _home_assistant_own(path: Path, config_dir: Path) -> bool:
    """Return whether a path is one of Home Assistant's own files or folders."""
    name = path.name.lower()
    if name in FORBIDDEN_NAMES or name.endswith(FORBIDDEN_SUFFIXES):
        return True
    if ".log." in name or name.startswith("home-assistant_v2.db"):
        return True
    if _inside(config_dir, path):  # the config folder itself or one above it
        return True
    if path.is_relative_to(config_dir):
        # `.storage`, `.cloud`, `.ssh` and every other hidden place.
        return any(part.startswith(".") for part in path.relative_to(config_dir).parts)
    return False


def is_earlier_export(path: Path) -> bool:
    """Return whether an existing file begins as an export of this integration."""
    try:
        with path.open("rb") as file:
            start = file.read(SNIFF_BYTES)
    except OSError:
        return False
    if is_own_export(start.split(b"\n", 1)[0]):
        return True
    text = start.decode("utf-8", errors="replace")
    if text.startswith(CSV_EXPORT_START):
        return True
    lines = text.splitlines()
    return (
        len(lines) >= 2
        and lines[0] == "{"
        and lines[1].strip().startswith(JSON_EXPORT_START)
    )


def export_target(
    config_dir: str, allowlist: Iterable[str], path: str, fmt: str
) -> Path:
    """Return where an export may be written, creating the exports folder.

    A bare file name lands in the exports folder; a relative path is read
    from the config folder; the resolved file must lie in the exports
    folder or an allowlisted folder.
    """
    _check_text(path)
    config = Path(config_dir).resolve()
    exports = config / EXPORTS_FOLDER
    exports.mkdir(parents=True, exist_ok=True)
    given = Path(path)
    if not given.is_absolute() and len(given.parts) == 1:
        given = exports / given
    elif not given.is_absolute():
        given = config / given
    target = _resolve(given, path)
    if target.suffix.lower() != EXPORT_SUFFIXES[fmt]:
        raise refuse(f"export_not_{fmt}", path)
    if _home_assistant_own(target, config) or not (
        _inside(target, exports.resolve()) or _allowlisted(target, allowlist)
    ):
        raise refuse("export_path_not_allowed", path)
    if not target.parent.is_dir():
        raise refuse("path_not_writable", path)
    if (target.exists() or target.is_symlink()) and (
        not target.is_file() or not is_earlier_export(target)
    ):
        raise refuse("export_would_replace", path)
    return target


def import_source(config_dir: str, allowlist: Iterable[str], path: str) -> Path:
    """Return a file or folder an import may read.

    A relative path is read from the config folder, then from the exports
    folder; what it resolves to must lie in the config folder or an
    allowlisted folder and must not be one of Home Assistant's own files.
    """
    _check_text(path)
    config = Path(config_dir).resolve()
    given = Path(path)
    if not given.is_absolute():
        in_config = config / given
        in_exports = config / EXPORTS_FOLDER / given
        given = (
            in_exports if not in_config.exists() and in_exports.exists() else in_config
        )
    source = _resolve(given, path)
    if _home_assistant_own(source, config) or not (
        _inside(source, config) or _allowlisted(source, allowlist)
    ):
        raise refuse("path_not_allowed", path)
    if not source.exists():
        raise refuse("path_not_found", path)
    return source
