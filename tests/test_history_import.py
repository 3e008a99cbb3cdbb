"""Importing other services' exports and exporting the history back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import gzip
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.core.models import Activity, Session, Source
from custom_components.run_wellbeing.importers.readers import (
    is_own_export,
    map_activity,
)

from .conftest import ProfileFactory, state
from .history_exports import (
    Act,
    fit_bytes,
    gpx_bytes,
    tcx_bytes,
    write_apple_health,
    write_garmin,
    write_strava,
    zip_folder,
)

NOW = "2026-11-25T12:00:00+01:00"  # a Wednesday in Amsterdam
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def call(hass: HomeAssistant, action: str, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )


def sessions(entry: MockConfigEntry) -> list[Session]:
    return sorted(entry.runtime_data.history.sessions.values(), key=lambda s: s.start)


def acts(count: int, start: datetime, kind: str = "Run") -> list[Act]:
    return [
        Act(
            start + timedelta(days=2 * i, minutes=i),
            kind,
            1900.0 + i,
            1800.0 + i,
            5000.0 + i,
        )
        for i in range(count)
    ]


async def refused(hass: HomeAssistant, key: str, **data: Any) -> dict[str, str]:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "import_history", **data)
    assert err.value.translation_key == key
    assert str(err.value) != key  # a translated message
    return err.value.translation_placeholders or {}


async def test_strava_export_folder_and_zip(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    generated = acts(30, datetime(2025, 1, 5, 6, 0, tzinfo=UTC), "Run")
    generated[1] = Act(generated[1].start, "Virtual Ride", 3600, 3500, 30000)
    generated[2] = Act(generated[2].start, "Trail Run", 3600, 3500, 12000)
    generated[4] = Act(generated[4].start, "Kitesurf", 3600, 3500, 12000)
    write_strava(config / "strava", generated)

    response = await call(hass, "import_history", path="strava")

    assert response == {
        "imported": 30,
        "sessions": 30,
        "moods": 0,
        "plans": 0,
        "duplicates": 0,
        "skipped": 0,
        "skipped_rows": [],
        "first": generated[0].start.isoformat(),
        "last": generated[-1].start.isoformat(),
    }
    kept = sessions(alex)
    assert [s.start for s in kept] == [a.start for a in generated]
    for i, (session, act) in enumerate(zip(kept, generated, strict=True)):
        assert session.source is Source.IMPORT
        assert session.activity is map_activity(act.kind)
        assert session.mood_before is session.mood_after is session.effort is None
        assert session.note is None  # the private note is never taken
        assert len(session.id) == 26
        if i % 3 == 1:  # TCX: laps' timer time and distance
            assert session.duration == pytest.approx(act.moving)
            assert session.distance == pytest.approx(act.distance)
        elif i % 3 == 0:  # GPX: first to last point, summed distance
            assert session.duration == pytest.approx(act.elapsed)
            assert session.distance == pytest.approx(act.distance, rel=1e-6)
        else:  # FIT: timer time
            assert session.duration == pytest.approx(act.moving)
            assert session.distance == pytest.approx(act.distance)
    assert [s.activity for s in kept[:5]] == [
        Activity.RUN,
        Activity.CYCLE,
        Activity.RUN,
        Activity.RUN,
        Activity.OTHER,
    ]
    assert state(hass, "sensor.alex_total_runs") == "28"

    # The same export again, zipped this time, adds nothing.
    zip_folder(config / "strava", config / "export_1234.zip", "export_1234/")
    again = await call(hass, "import_history", path="export_1234.zip", format="strava")
    assert again == {
        "imported": 0,
        "sessions": 0,
        "moods": 0,
        "plans": 0,
        "duplicates": 30,
        "skipped": 0,
        "skipped_rows": [],
        "first": None,
        "last": None,
    }
    assert len(sessions(alex)) == 30


async def test_strava_csv_values_win_and_repeated_columns_read_by_position(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    generated = acts(3, datetime(2025, 6, 1, 22, 30, tzinfo=UTC))
    write_strava(config / "strava", generated, files="gpx", gz=False)
    # The track files are not needed when the CSV has every value.
    for file in (config / "strava" / "activities").iterdir():
        file.write_bytes(b"not a gpx")

    await call(hass, "import_history", path="strava/activities.csv")

    kept = sessions(alex)
    assert [(s.start, s.duration, s.distance) for s in kept] == [
        (a.start, a.moving, a.distance) for a in generated
    ]


async def test_strava_with_time_but_no_moving_time(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    folder = Path(hass.config.config_dir) / "old"
    folder.mkdir()
    (folder / "activities.csv").write_text(
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
        '1,"Mar 2, 2019, 7:05:00 PM",Evening Walk,Walk,1200,2.50\n'
        "\n"
    )
    await call(hass, "import_history", path="old")
    (session,) = sessions(alex)
    assert session.start == datetime(2019, 3, 2, 19, 5, tzinfo=UTC)
    assert (session.activity, session.duration, session.distance) == (
        Activity.WALK,
        1200,
        2500,
    )


async def test_garmin_local_times_dst_and_missing_values(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    path = Path(hass.config.config_dir) / "Activities.csv"
    rows = [
        ("Running", "2024-10-27 02:30:00", "5.01", "00:31:00", "00:30:00"),
        ("Treadmill Running", "2024-03-31 02:30:00", "--", "00:31:10.5", "--"),
        ("Pool Swim", "2024-07-01 18:00:00", "1,500", "00:40:00", "00:35:00"),
        ("Road Cycling", "2024-07-02 18:00:00", "123.4", "--", "--"),
        ("Strength Training", "2024-07-03 18:00:00", "--", "00:45:00", "00:40:00"),
        ("Hiking", "2024-07-04 09:00:00", "12.00", "04:00:00", "03:30:00"),
        ("Yoga", "2024-07-05 09:00:00", "0.00", "01:00:00", "--"),
    ]
    rows += [
        ("Running", f"2023-{m:02d}-{d:02d} 07:00:00", "5.00", "00:30:00", "00:29:00")
        for m in range(1, 13)
        for d in range(1, 29)
    ]
    write_garmin(path, rows)

    response = await call(
        hass, "import_history", path="Activities.csv", format="garmin"
    )

    assert response["imported"] == len(rows)
    by_start = {s.start: s for s in sessions(alex)}
    # The repeated hour when clocks go back is the first (summer time) one.
    fall = by_start[datetime(2024, 10, 27, 0, 30, tzinfo=UTC)]
    assert (fall.activity, fall.duration, fall.distance) == (Activity.RUN, 1800, 5010)
    # The hour skipped in spring is read as if the clock had not moved.
    spring = by_start[datetime(2024, 3, 31, 1, 30, tzinfo=UTC)]
    assert (spring.duration, spring.distance) == (1870.5, None)
    summer = datetime(2024, 7, 1, 16, 0, tzinfo=UTC)
    assert (by_start[summer].activity, by_start[summer].distance) == (
        Activity.SWIM,
        1500,
    )
    assert by_start[summer].duration == 2100
    ride = by_start[summer + timedelta(days=1)]
    assert (ride.activity, ride.distance, ride.duration) == (
        Activity.CYCLE,
        123400,
        None,
    )
    assert by_start[summer + timedelta(days=2)].activity is Activity.STRENGTH
    assert by_start[datetime(2024, 7, 4, 7, 0, tzinfo=UTC)].activity is Activity.HIKE
    assert by_start[datetime(2024, 7, 5, 7, 0, tzinfo=UTC)].distance == 0
    winter = by_start[datetime(2023, 1, 1, 6, 0, tzinfo=UTC)]
    assert winter.duration == 29 * 60


async def test_apple_health_zip_streamed_with_both_workout_forms(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    folder = config / "apple" / "apple_health_export"
    folder.mkdir(parents=True)
    kinds = [
        "HKWorkoutActivityTypeRunning",
        "HKWorkoutActivityTypeWalking",
        "HKWorkoutActivityTypeCycling",
        "HKWorkoutActivityTypeSwimming",
        "HKWorkoutActivityTypeYoga",
        "HKWorkoutActivityTypeHighIntensityIntervalTraining",
    ]
    workouts = [
        (Act(datetime(2020, 1, 1, 7, 0, tzinfo=AMS) + timedelta(hours=17 * i), "", 2000.0, 1800.5, 5000.0 + i), kinds[i % 6])
        for i in range(1200)
    ]  # fmt: skip
    with (folder / "export.xml").open("w") as out:
        write_apple_health(out, workouts, records_per_workout=3)
    zip_folder(config / "apple", config / "export.zip")

    response = await call(hass, "import_history", path="export.zip")

    assert response["imported"] == 1200
    kept = sessions(alex)
    expected = [Activity.RUN, Activity.WALK, Activity.CYCLE, Activity.SWIM, Activity.YOGA, Activity.OTHER]  # fmt: skip
    for i, (session, (act, _)) in enumerate(zip(kept, workouts, strict=True)):
        assert session.start == act.start
        assert session.activity is expected[i % 6]
        assert session.duration == pytest.approx(1800.5)
        assert session.distance == pytest.approx(act.distance)
    assert (await call(hass, "import_history", path="apple"))["duplicates"] == 1200


async def test_single_track_files_and_folders(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    run = Act(datetime(2025, 5, 1, 6, 0, tzinfo=UTC), "", 1800, 1700, 6000)
    ride = Act(datetime(2025, 5, 2, 6, 0, tzinfo=UTC), "", 3600, 3500, 30000)
    swim = Act(ride.start + timedelta(hours=1), "", 1200, 1100, 1000)
    (config / "run.gpx").write_bytes(gpx_bytes(run, 50, "9"))
    (config / "ride.tcx.gz").write_bytes(gzip.compress(tcx_bytes(ride, "Biking")))
    tracks = config / "tracks"
    tracks.mkdir()
    (tracks / "multi.fit").write_bytes(
        fit_bytes([(ride, "cycling"), (swim, "swimming")])
    )
    (tracks / "hike.gpx").write_bytes(
        gpx_bytes(Act(run.start + timedelta(days=9), "", 7200, 7200, 9000), 5, "hiking")
    )
    (tracks / "readme.txt").write_text("not a track")
    # A comment takes the careful path through expat callbacks; same result.
    late = Act(run.start + timedelta(days=20), "", 1800, 1800, 6000)
    (tracks / "late.gpx").write_bytes(
        gpx_bytes(late, 50).replace(b"<trkseg>", b"<!-- x --><trkseg>")
    )

    assert (await call(hass, "import_history", path="run.gpx"))["imported"] == 1
    assert (await call(hass, "import_history", path="ride.tcx.gz", format="tcx"))[
        "imported"
    ] == 1
    response = await call(hass, "import_history", path="tracks")
    assert (response["imported"], response["duplicates"]) == (3, 1)

    kept = sessions(alex)
    assert [(s.activity, s.start, s.duration) for s in kept] == [
        (Activity.RUN, run.start, 1800),
        (Activity.CYCLE, ride.start, 3500),
        (Activity.SWIM, swim.start, 1100),
        (Activity.HIKE, run.start + timedelta(days=9), 7200),
        (Activity.RUN, late.start, 1800),
    ]
    assert kept[4].distance == pytest.approx(kept[0].distance)
    assert kept[0].distance == pytest.approx(6000, rel=1e-6)
    assert kept[2].distance == 1000


async def test_duplicates_of_sessions_logged_by_hand(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    start = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    await hass.services.async_call(
        DOMAIN,
        "log_run",
        {"start": start.isoformat(), "note": "by hand"},
        blocking=True,
    )
    folder = Path(hass.config.config_dir) / "strava"
    write_strava(
        folder,
        [
            Act(start + timedelta(seconds=100), "Run", 60, 60, 100),  # same run
            Act(start + timedelta(seconds=110), "Walk", 60, 60, 100),  # other activity
            Act(start + timedelta(seconds=200), "Run", 60, 60, 100),  # 3 min later
            Act(start + timedelta(seconds=260), "Run", 60, 60, 100),  # same as previous
            Act(
                datetime(1969, 12, 31, 22, tzinfo=UTC), "Run", 60, 60, 100
            ),  # too early
            Act(datetime(2026, 12, 25, 7, tzinfo=UTC), "Run", 60, 60, 100),  # future
            Act(
                datetime(2026, 1, 1, 7, tzinfo=UTC), "Run", 90000, 90000, 100
            ),  # > 24 h
        ],
        files="none",
    )
    response = await call(hass, "import_history", path="strava")
    assert (response["imported"], response["duplicates"], response["skipped"]) == (
        2,
        2,
        3,
    )
    assert [s.note for s in sessions(alex)] == ["by hand", None, None]


@pytest.mark.parametrize(
    ("files", "path", "key", "placeholders"),
    [
        ({"strava/activities.csv": b"Activity ID,Activity Date,Activity Type\n1,yesterday,Run\n"}, "strava", "import_bad_line", {"file": "activities.csv", "line": "2"}),
        ({"strava/activities.csv": b"Activity ID,Name\n"}, "strava/activities.csv", "import_unknown_format", {"path": "activities.csv"}),
        ({"strava/1.gpx.gz": b"\x1f\x8b broken"}, "strava/1.gpx.gz", "import_bad_file", {"file": "1.gpx.gz"}),
        ({"strava/export.xml": b"<HealthData><Workout startDate='x'/></HealthData>"}, "strava/export.xml", "import_bad_line", {"file": "export.xml", "line": "1"}),
        ({"strava/export.xml": b"<HealthData><Record>\n<Workout </HealthData>"}, "strava/export.xml", "import_bad_line", {"file": "export.xml", "line": "2"}),
        ({"strava/a.gpx": b"<gpx><trk><trkseg><trkpt lat='x' lon='1'/></trkseg></trk></gpx>"}, "strava/a.gpx", "import_bad_element", {"file": "a.gpx", "element": "trkpt", "number": "1"}),
        ({"strava/bomb.gpx": b'<!DOCTYPE gpx [<!ENTITY a "aaaaaaaa">]><gpx>&a;</gpx>'}, "strava/bomb.gpx", "import_xml_entities", {"file": "bomb.gpx"}),
        ({"strava/bomb.tcx": b'<!DOCTYPE T [<!ENTITY a "aaaaaaaa">]><T>&a;</T>'}, "strava/bomb.tcx", "import_xml_entities", {"file": "bomb.tcx"}),
        ({"strava/cut.gpx": b"<gpx><trk>\n<trkseg>"}, "strava/cut.gpx", "import_bad_line", {"file": "cut.gpx", "line": "2"}),
        ({"strava/a.tcx": b"<TrainingCenterDatabase/>"}, "strava/a.tcx", "import_bad_file", {"file": "a.tcx"}),
        ({"strava/a.fit": b".FIT but not really"}, "strava/a.fit", "import_bad_file", {"file": "a.fit"}),
    ],
)  # fmt: skip
async def test_unreadable_files_refuse_the_whole_import(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    *,
    files: dict[str, bytes],
    path: str,
    key: str,
    placeholders: dict[str, str],
) -> None:
    config = Path(hass.config.config_dir)
    (config / "strava").mkdir()
    (config / "strava" / "0good.gpx").write_bytes(
        gpx_bytes(Act(datetime(2025, 1, 1, tzinfo=UTC), "", 60, 60, 100))
    )
    for name, data in files.items():
        (config / name).parent.mkdir(parents=True, exist_ok=True)
        (config / name).write_bytes(data)
    assert await refused(hass, key, path=path) == placeholders
    assert sessions(alex) == []


async def test_unreadable_tracks_in_a_folder_are_skipped_and_listed(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    folder = config / "tracks"
    folder.mkdir()
    good = Act(datetime(2025, 1, 1, tzinfo=UTC), "", 600, 600, 1000)
    (folder / "0good.gpx").write_bytes(gpx_bytes(good))
    (folder / "bomb.gpx").write_bytes(
        b'<!DOCTYPE gpx [<!ENTITY a "aaaaaaaa">]><gpx><trk><trkseg>'
        b'<trkpt lat="1" lon="1"><time>2025-02-01T00:00:00Z</time></trkpt>&a;</trkseg></trk></gpx>'
    )
    (folder / "a.fit").write_bytes(b".FIT but not really")
    response = await call(hass, "import_history", path="tracks")
    assert (response["imported"], response["skipped"]) == (1, 2)
    assert sorted(row["file"] for row in response["skipped_rows"]) == [
        "a.fit",
        "bomb.gpx",
    ]
    reasons = {row["file"]: row["reason"] for row in response["skipped_rows"]}
    assert reasons == {"a.fit": "bad_file", "bomb.gpx": "xml_entities"}
    assert [s.start for s in sessions(alex)] == [good.start]


async def test_paths_outside_the_config_folder_are_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await refused(hass, "path_not_allowed", path="/etc/passwd")
    await refused(hass, "path_not_found", path="nowhere.zip")
    (Path(hass.config.config_dir) / "x.docx").write_text("?")
    await refused(hass, "import_unknown_format", path="x.docx")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "export_history", path="/etc/run.csv")
    assert err.value.translation_key == "export_path_not_allowed"
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "export_history", path="run_wellbeing/exports/no/x.csv")
    assert err.value.translation_key == "path_not_writable"


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_round_trip_is_lossless(
    hass: HomeAssistant, add_profile: ProfileFactory, fmt: str
) -> None:
    alex = await add_profile("Alex")
    bo = await add_profile("Bo")

    async def act(action: str, **data: Any) -> None:
        await hass.services.async_call(
            DOMAIN, action, {"config_entry_id": alex.entry_id, **data}, blocking=True
        )

    await act("log_run", start="2026-11-20T07:00:00+01:00", duration=31.3333, distance=5.123456789, mood_before=3, mood_after=8, effort=6, note='Rain, "wind"\nand a second line')  # fmt: skip
    await act("log_run", activity="yoga", start="2026-11-21T18:00:00+01:00")
    await act("log_mood", mood=4, time="2026-11-22T21:00:00+01:00", note="tired, ok")
    await act("log_mood", mood=9)
    await act("plan_run", start="2026-12-01T07:00:00+01:00", duration=45, note="long")
    await act("plan_run", start="2026-12-02T07:00:00+01:00")
    folder = Path(hass.config.config_dir) / "run_wellbeing" / "exports"
    folder.mkdir(parents=True)
    folder_path = str(folder / f"alex.{fmt}")
    written = await hass.services.async_call(
        DOMAIN,
        "export_history",
        {"config_entry_id": alex.entry_id, "path": folder_path, "format": fmt},
        blocking=True,
        return_response=True,
    )
    assert written == {"path": folder_path, "sessions": 2, "moods": 2, "plans": 2}
    if fmt == "json":
        text = await hass.async_add_executor_job(Path(folder_path).read_text)
        assert json.loads(text)["format"] == "run_wellbeing"

    response = await call(
        hass, "import_history", config_entry_id=bo.entry_id, path=f"alex.{fmt}"
    )
    assert response["imported"] == 6
    a, b = alex.runtime_data.history, bo.runtime_data.history
    assert b.sessions == a.sessions
    assert b.moods == a.moods
    assert b.plans == a.plans
    assert next(iter(b.sessions.values())).note == 'Rain, "wind"\nand a second line'
    # Importing it again, or into the profile it came from, adds nothing.
    for entry in (alex, bo):
        again = await call(
            hass, "import_history", config_entry_id=entry.entry_id, path=folder_path
        )
        assert (again["imported"], again["duplicates"]) == (0, 6)


async def test_damaged_own_export_rows_are_skipped(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    config = Path(hass.config.config_dir)
    (config / "mine.csv").write_text(
        "record,id,activity,start,duration,distance,mood,mood_before,mood_after,effort,note,source\n"
        "session,1,run,2026-01-01T07:00:00+01:00,60.0,,,,,,,action\n"
        "session,2,run,2026-01-02T07:00:00,60.0,,,,,,,action\n"
    )
    response = await call(hass, "import_history", path="mine.csv")
    assert (response["imported"], response["skipped"]) == (1, 1)
    assert response["skipped_rows"] == [
        {"file": "mine.csv", "line": 3, "reason": "unreadable_value"}
    ]
    (config / "mine.json").write_text(
        '{"format": "run_wellbeing", "moods": [{"id": 1}]}'
    )
    assert await refused(hass, "import_bad_line", path="mine.json") == {
        "file": "mine.json",
        "line": "1",
    }
    (config / "other.json").write_text("[1, 2")
    assert await refused(hass, "import_bad_line", path="other.json") == {
        "file": "other.json",
        "line": "1",
    }
    (config / "other2.json").write_text("{}")
    await refused(hass, "import_unknown_format", path="other2.json")
    assert len(sessions(alex)) == 1


def test_activity_names_of_every_source() -> None:
    assert map_activity("E-Bike Ride") is Activity.CYCLE
    assert map_activity("Virtual Run") is Activity.RUN
    assert map_activity("HKWorkoutActivityTypeHiking") is Activity.HIKE
    assert map_activity("Weight Training") is Activity.STRENGTH
    assert map_activity("Dance") is Activity.DANCE
    assert map_activity("Open Water Swimming") is Activity.SWIM
    assert map_activity("") is Activity.OTHER
    assert map_activity("Kayaking") is Activity.OTHER


async def test_exports_say_they_are_ours_on_their_first_line(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    await hass.services.async_call(
        DOMAIN, "log_run", {"note": 'a, "quoted"\nnote'}, blocking=True
    )
    config = Path(hass.config.config_dir)
    for fmt in ("csv", "json"):
        response = await call(hass, "export_history", path=f"mine.{fmt}", format=fmt)
        path = Path(response["path"])
        data = await hass.async_add_executor_job(path.read_bytes)
        assert is_own_export(data.partition(b"\n")[0])
        # Read back into another profile's view: the same session and note.
        assert (await call(hass, "import_history", path=str(path)))["duplicates"] == 1
    assert not is_own_export(b"record,id,activity\n")
    assert not is_own_export(b'{"format": "run_wellbeing"}\n')
    (config / "old.json").write_text(
        '{"format": "run_wellbeing", "version": 1, "sessions": [], "moods": [], "plans": []}'
    )
    assert (await call(hass, "import_history", path="old.json"))["imported"] == 0
