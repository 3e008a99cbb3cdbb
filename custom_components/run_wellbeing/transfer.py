"""Moving history in and out of a profile: import, export and the statistics backfill.

The reading happens in the importers (plain Python, in the executor); this
module hands their result to the coordinator and backfills Home Assistant's
long-term statistics. The actions that expose it, and the rules for which
files on the server may be read or written, live in `history_actions.py`.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from homeassistant.const import UnitOfLength
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util, ulid as ulid_util
from homeassistant.util.unit_conversion import DistanceConverter
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM

from .const import DOMAIN, LOGGER
from .coordinator import RunWellbeingCoordinator
from .core.models import (
    EARLIEST_DATE,
    FUTURE_TOLERANCE,
    MAX_DISTANCE_M,
    MAX_DURATION_S,
    Session,
)
from .core.stats import week_start_date
from .importers.readers import (
    ImportFileError,
    ImportResult,
    collect,
    read_export,
    write_export,
)


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


def _short(path: str) -> str:
    return path if len(path) <= 120 else "…" + path[-120:]


def _translate(err: ImportFileError) -> ServiceValidationError:
    return _error(err.translation_key, **err.placeholders)


async def async_import_file(
    hass: HomeAssistant,
    coordinator: RunWellbeingCoordinator,
    target: Path,
    fmt: str = "auto",
    context: Context | None = None,
) -> dict[str, Any]:
    """Import a file, folder or zip into a profile in one atomic write.

    The reading, the duplicate check and the statistics are computed in the
    executor; the event loop only keeps the result.
    """
    existing = list(coordinator.history.sessions.values())
    existing_ids = {
        *coordinator.history.sessions,
        *coordinator.history.moods,
        *coordinator.history.plans,
    }
    tz = dt_util.get_default_time_zone()
    now = dt_util.utcnow()
    imperial = hass.config.units is US_CUSTOMARY_SYSTEM

    def parse() -> ImportResult:
        return collect(
            read_export(target, fmt, tz, imperial=imperial),
            existing,
            existing_ids,
            new_id=ulid_util.ulid_now,
            earliest=datetime.combine(EARLIEST_DATE, time(), tz),
            latest=now + FUTURE_TOLERANCE,
            max_duration=MAX_DURATION_S,
            max_distance=MAX_DISTANCE_M,
        )

    try:
        result = await hass.async_add_executor_job(parse)
    except ImportFileError as err:
        raise _translate(err) from err
    except OSError as err:
        raise _error("path_not_found", path=_short(target.name)) from err
    except Exception as err:
        # A reader tripped over content no rule foresaw: still a refusal that
        # names the file, never an unknown error (and no content in the log).
        LOGGER.warning("Import of a file failed with %s", type(err).__name__)
        raise _error("import_bad_file", file=_short(target.name)) from err
    if result.sessions or result.moods or result.plans:
        await coordinator.async_add_records(
            result.sessions, result.moods, result.plans, context
        )
    LOGGER.debug(
        "Imported %d sessions, %d moods, %d plans; %d duplicates, %d skipped",
        len(result.sessions),
        len(result.moods),
        len(result.plans),
        result.duplicates,
        result.skipped,
    )
    if result.sessions:
        await async_backfill_statistics(hass, coordinator)
    sessions = result.sessions
    return {
        "imported": len(sessions) + len(result.moods) + len(result.plans),
        "sessions": len(sessions),
        "moods": len(result.moods),
        "plans": len(result.plans),
        "duplicates": result.duplicates,
        "skipped": result.skipped,
        "skipped_rows": [row.as_dict() for row in result.skipped_rows],
        "first": sessions[0].start.isoformat() if sessions else None,
        "last": sessions[-1].start.isoformat() if sessions else None,
    }


# Long-term statistics ----------------------------------------------------------

STATISTIC_KEYS = ("runs_this_week", "distance_this_week", "total_runs")
DENSE_HOURS = 2 * 366 * 24


def statistic_rows(  # noqa: PLR0917
    sessions: list[Session],
    counted: frozenset[Any],
    tz: Any,
    week_start: int,
    dense_from: datetime,
    until: datetime,
) -> dict[str, list[dict[str, Any]]]:
    """Return hourly statistics rows of the weekly and total sensors.

    One row for each hour in which a counted session starts, plus one for
    every hour from `dense_from` (when the profile's live statistics began)
    to `until`, so the sums run on without a jump into the recorder's own.
    """
    counted_sessions = sorted(
        (s for s in sessions if s.activity in counted), key=lambda s: s.start_ts
    )
    hours: list[datetime] = []
    for session in counted_sessions:
        hour = session.start.astimezone(dt_util.UTC).replace(
            minute=0, second=0, microsecond=0
        )
        if hour < until and (not hours or hours[-1] != hour):
            hours.append(hour)
    hour = max(
        dense_from.replace(minute=0, second=0, microsecond=0),
        until - timedelta(hours=DENSE_HOURS),
    )
    dense = []
    while hour < until:
        dense.append(hour)
        hour += timedelta(hours=1)
    all_hours = sorted({*hours, *dense})
    rows: dict[str, list[dict[str, Any]]] = {key: [] for key in STATISTIC_KEYS}
    starts = [s.start_ts for s in counted_sessions]
    total = 0
    distance_sum = 0.0
    week_runs = 0
    week_km = 0.0
    week: Any = None
    index = 0
    for hour in all_hours:
        end_ts = (hour + timedelta(hours=1)).timestamp()
        local = hour.astimezone(tz)
        this_week = week_start_date(local.date(), week_start)
        if this_week != week:
            week, week_runs, week_km = this_week, 0, 0.0
        stop = bisect_right(starts, end_ts - 1e-9)
        while index < stop:
            session = counted_sessions[index]
            index += 1
            km = (session.distance or 0.0) / 1000
            total += 1
            distance_sum += km
            session_week = week_start_date(
                session.start.astimezone(tz).date(), week_start
            )
            if session_week == week:
                week_runs += 1
                week_km += km
        reset = dt_util.as_utc(
            datetime.combine(week, datetime.min.time()).replace(tzinfo=tz)
        )
        rows["total_runs"].append({"start": hour, "state": total, "sum": total})
        rows["runs_this_week"].append(
            {"start": hour, "state": week_runs, "sum": total, "last_reset": reset}
        )
        rows["distance_this_week"].append(
            {
                "start": hour,
                "state": round(week_km, 3),
                "sum": round(distance_sum, 3),
                "last_reset": reset,
            }
        )
    return rows


async def async_backfill_statistics(
    hass: HomeAssistant, coordinator: RunWellbeingCoordinator
) -> None:
    """Rewrite the long-term statistics of the weekly and total sensors from history."""
    if "recorder" not in hass.config.components:
        return
    # The recorder is optional: imported only when it is loaded.
    from homeassistant.components.recorder.models import (  # noqa: PLC0415
        StatisticMetaData,
    )
    from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
        async_import_statistics,
    )

    registry = er.async_get(hass)
    entry = coordinator.config_entry
    settings = coordinator.stats.settings
    tz = dt_util.get_default_time_zone()
    until = dt_util.utcnow().replace(minute=0, second=0, microsecond=0)
    sessions = list(coordinator.history.sessions.values())
    rows = await hass.async_add_executor_job(
        statistic_rows,
        sessions,
        settings.counted_activities,
        tz,
        settings.week_start.weekday,
        entry.created_at,
        until,
    )
    fields = StatisticMetaData.__annotations__
    for key in STATISTIC_KEYS:
        entity_id = registry.async_get_entity_id(
            "sensor", DOMAIN, f"{entry.entry_id}_{key}"
        )
        if entity_id is None or not rows[key]:
            continue
        # The sensor's own unit (runs, km or mi): statistics in any other
        # unit raise the recorder's "unit has changed" repair issue.
        state = hass.states.get(entity_id)
        registered = registry.async_get(entity_id)
        unit: str | None = (
            state.attributes.get("unit_of_measurement") if state else None
        ) or (registered.unit_of_measurement if registered else None)
        unit_class: str | None = None
        data = rows[key]
        if key == "distance_this_week":
            unit = str(unit or UnitOfLength.KILOMETERS)
            unit_class = DistanceConverter.UNIT_CLASS
            if unit != UnitOfLength.KILOMETERS:
                factor = DistanceConverter.convert(1, UnitOfLength.KILOMETERS, unit)
                data = [
                    row | {"state": row["state"] * factor, "sum": row["sum"] * factor}
                    for row in data
                ]
        metadata: dict[str, Any] = {
            "has_sum": True,
            "name": None,
            "source": "recorder",
            "statistic_id": entity_id,
            "unit_of_measurement": unit,
        }
        # 2026.10 and later know mean_type and unit_class; older ones has_mean.
        if "mean_type" in fields:
            from homeassistant.components.recorder.models import (  # noqa: PLC0415
                StatisticMeanType,
            )

            metadata["mean_type"] = StatisticMeanType.NONE
        else:  # pragma: no cover - older Home Assistant
            metadata["has_mean"] = False
        if "unit_class" in fields:
            metadata["unit_class"] = unit_class
        async_import_statistics(hass, metadata, data)  # type: ignore[arg-type]


async def async_export_file(
    hass: HomeAssistant, coordinator: RunWellbeingCoordinator, target: Path, fmt: str
) -> dict[str, Any]:
    """Write every session, mood and plan of a profile (notes included) to a file."""
    history = coordinator.history
    sessions = sorted(history.sessions.values(), key=lambda s: s.start_ts)
    moods = sorted(history.moods.values(), key=lambda m: m.time_ts)
    plans = sorted(history.plans.values(), key=lambda p: p.start)
    try:
        await hass.async_add_executor_job(
            write_export, target, fmt, sessions, moods, plans
        )
    except OSError as err:
        raise _error("export_failed", path=_short(target.name)) from err
    return {
        "path": str(target),
        "sessions": len(sessions),
        "moods": len(moods),
        "plans": len(plans),
    }
