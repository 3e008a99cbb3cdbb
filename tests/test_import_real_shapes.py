"""What real phones and watches export: localized, broken and odd files import."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import itertools
import math
from pathlib import Path
from typing import Any
import zipfile

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.run_wellbeing.const import DOMAIN
from custom_components.run_wellbeing.core.models import Activity, Session

from .history_exports import (
    APPLE_HEAD,
    Act,
    apple_date,
    fit_bytes,
    fit_records_bytes,
    gpx_bytes,
    tcx_bytes,
)

NOW = "2026-11-25T12:00:00+01:00"


@pytest.fixture(autouse=True)
def frozen(freezer: FrozenDateTimeFactory) -> FrozenDateTimeFactory:
    freezer.move_to(NOW)
    return freezer


async def call(hass: HomeAssistant, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN, "import_history", data, blocking=True, return_response=True
    )


def sessions(entry: MockConfigEntry) -> list[Session]:
    return sorted(entry.runtime_data.history.sessions.values(), key=lambda s: s.start)


def write(hass: HomeAssistant, name: str, data: bytes | str) -> Path:
    path = Path(hass.config.config_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    path.write_bytes(data)
    return path


GARMIN_DA = (
    "Aktivitetstype,Dato,Favorit,Titel,Distance,Kalorier,Tid,Tid i bevægelse\n"
    'Løb,2025-03-01 07:00:00,false,Morgenløb,"5,20",300,00:30:00,--:--:--\n'
    "Cykling,2025-03-02 08:00:00,false,Tur,--,500,01:00:00,00:55:00\n"
    "Løb,i går,false,Forkert,3,100,00:20:00,--\n"
    'Løb,2025-03-03 07:00:00,false,Løb,"1.234,5",9,--:--,--:--:--\n'
)


async def test_garmin_missing_values_and_danish_headers(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    write(hass, "garmin/Activities.csv", GARMIN_DA)

    response = await call(hass, path="garmin")

    assert (response["imported"], response["skipped"]) == (2, 2)
    # The unreadable date and the 1,234.5 km run (too far) are listed.
    assert response["skipped_rows"] == [
        {"file": "Activities.csv", "line": 4, "reason": "unreadable_value"},
        {"file": "Activities.csv", "line": 5, "reason": "too_far"},
    ]
    run, ride = sessions(alex)
    assert (run.activity, run.duration, run.distance) == (Activity.RUN, 1800, 5200)
    # Copenhagen's winter time is Amsterdam's: 07:00 local is 06:00 UTC.
    assert run.start == datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    assert (ride.activity, ride.duration, ride.distance) == (
        Activity.CYCLE,
        3300,
        None,
    )


@pytest.mark.parametrize(
    ("header", "date", "run", "distance"),
    [
        ("Aktivitäts-ID,Aktivitätsdatum,Aktivitätsname,Aktivitätsart,Verstrichene Zeit,Distanz", "1. Feb. 2025, 07:00:00", "Lauf", "5,5"),
        ("Activiteits-ID,Activiteitsdatum,Activiteitnaam,Activiteitstype,Verstreken tijd,Afstand", "1 feb 2025, 07:00:00", "Hardloopsessie", "5,5"),
        ("ID de l'activité,Date de l'activité,Nom,Type d'activité,Temps écoulé,Distance", "1 févr. 2025, 07:00:00", "Course à pied", "5,5"),
        ("ID de la actividad,Fecha de la actividad,Nombre,Tipo de actividad,Tiempo transcurrido,Distancia", "1 feb 2025, 7:00:00", "Carrera", "5,5"),
        ("Aktivitets-ID,Aktivitetsdato,Navn,Aktivitetstype,Forløbet tid,Distance", "1. feb. 2025 07:00:00", "Løb", "5,5"),
        ("ID attività,Data attività,Nome,Tipo di attività,Tempo trascorso,Distanza", "1 feb 2025, 07:00:00", "Corsa", "5,5"),
        ("ID da atividade,Data da atividade,Nome,Tipo de atividade,Tempo decorrido,Distância", "1 de fev. de 2025, 07:00:00", "Corrida", "5,5"),
        ("Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance", "Feb 1, 2025, 7:00:00 AM", "Run", "5.5"),
    ],
)  # fmt: skip
async def test_strava_csv_in_every_language(
    hass: HomeAssistant,
    alex: MockConfigEntry,
    *,
    header: str,
    date: str,
    run: str,
    distance: str,
) -> None:
    write(
        hass,
        "strava/activities.csv",
        f'{header}\n1,"{date}",x,{run},1800,"{distance}"\n',
    )
    response = await call(hass, path="strava")
    assert response["imported"] == 1, response
    (session,) = sessions(alex)
    assert session.start == datetime(2025, 2, 1, 7, 0, tzinfo=UTC)
    assert session.duration == 1800
    assert session.distance == pytest.approx(5500)
    assert session.activity is (
        Activity.OTHER if run == "Hardloopsessie" else Activity.RUN
    )


async def test_strava_gpx_type_codes(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    start = datetime(2025, 6, 1, 6, 0, tzinfo=UTC)
    for day, code in enumerate(("1", "9", "17", "4", "99")):
        act = Act(start + timedelta(days=day), "", 600, 600, 1000)
        write(hass, f"tracks/{day}.gpx", gpx_bytes(act, 5, code))
    response = await call(hass, path="tracks")
    assert response["imported"] == 5
    assert [s.activity for s in sessions(alex)] == [
        Activity.CYCLE,
        Activity.RUN,
        Activity.CYCLE,
        Activity.HIKE,
        Activity.OTHER,
    ]


def track_gpx(points: list[tuple[float, float]], start: datetime) -> str:
    """Return a plain GPX track (the fast reading path) through `points`, 1 Hz."""
    rows = "".join(
        f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><time>'
        f"{(start + timedelta(seconds=i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time></trkpt>\n"
        for i, (lat, lon) in enumerate(points)
    )
    return (
        '<?xml version="1.0"?>\n<gpx version="1.1" creator="test">\n'
        f"<trk><type>running</type><trkseg>\n{rows}</trkseg></trk>\n</gpx>\n"
    )


def haversine_m(points: list[tuple[float, float]]) -> float:
    """Return the reference: great-circle steps summed."""
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        h = (
            math.sin((p2 - p1) / 2) ** 2
            + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        )
        total += 2 * 6_371_008.8 * math.asin(math.sqrt(h))
    return total


async def test_track_distance_matches_the_great_circle(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    """A winding run near the pole, a GPS jump and the date line add up right."""
    start = datetime(2025, 6, 1, 6, 0, tzinfo=UTC)
    loop = [
        (78.2 + 0.004 * math.sin(i / 150), 15.6 + 0.02 * math.cos(i / 150))
        for i in range(1800)
    ]
    jump = [(52.37, 4.89), (52.371, 4.891), (48.85, 2.35), (48.851, 2.351)]
    date_line = [(-16.5, 179.9995 + 0.0001 * i) for i in range(10)]
    date_line = [(lat, lon - 360 if lon > 180 else lon) for lat, lon in date_line]
    tracks = (loop, jump, date_line)
    for day, points in enumerate(tracks):
        write(hass, f"tracks/{day}.gpx", track_gpx(points, start + timedelta(days=day)))
    assert (await call(hass, path="tracks"))["imported"] == 3
    distances = [s.distance or 0.0 for s in sessions(alex)]
    for distance, points in zip(distances, tracks, strict=True):
        assert distance == pytest.approx(haversine_m(points), rel=1e-4)
    assert 50 < distances[2] < 150  # across the date line, not around the Earth


def apple_xml(body: str, doctype: str = "") -> str:
    head = APPLE_HEAD
    if doctype:
        start = head.index("<!DOCTYPE")
        end = head.index("]>") + 2
        head = head[:start] + doctype + head[end:]
    return head + body + "</HealthData>\n"


INTERVALS = (
    ' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="45" '
    'durationUnit="min" startDate="2025-04-01 07:00:00 +0200" '
    'endDate="2025-04-01 07:45:00 +0200">\n'
    '  <WorkoutActivity uuid="a" startDate="2025-04-01 07:00:00 +0200" duration="8">\n'
    '   <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
    'sum="1.51" unit="km"/>\n'
    "  </WorkoutActivity>\n"
    '  <WorkoutActivity uuid="b" startDate="2025-04-01 07:08:00 +0200" duration="8">\n'
    '   <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
    'sum="1.49" unit="km"/>\n'
    "  </WorkoutActivity>\n"
    '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
    'sum="8.7" unit="km"/>\n'
    " </Workout>\n"
)
# iOS 16 wrote a DTD whose declarations do not parse; other readers skip it.
BROKEN_DTD = (
    "<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n"
    "<!ATTLIST Workout\n  workoutActivityType CDATA #REQUIRED\n  duration CDATA\n"
    "<!ELEMENT WorkoutActivity (WorkoutStatistics*)\n]>"
)


@pytest.mark.parametrize("name", ["导出.xml", "eksport.xml", "exportar.xml"])
async def test_apple_export_named_in_the_phones_language_with_ios16_dtd(
    hass: HomeAssistant, alex: MockConfigEntry, name: str
) -> None:
    path = Path(hass.config.config_dir) / "export.zip"
    with zipfile.ZipFile(path, "w") as zipped:
        zipped.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
        zipped.writestr(f"apple_health_export/{name}", apple_xml(INTERVALS, BROKEN_DTD))
    response = await call(hass, path="export.zip")
    assert response["imported"] == 1
    (workout,) = sessions(alex)
    # The workout's own total, not its first interval's 1.51 km.
    assert workout.distance == pytest.approx(8700)
    assert workout.duration == 45 * 60
    assert workout.start == datetime(2025, 4, 1, 5, 0, tzinfo=UTC)


async def test_apple_intervals_without_a_total_are_summed(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    body = INTERVALS.replace(
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        'sum="8.7" unit="km"/>\n',
        "",
    )
    write(hass, "export.xml", apple_xml(body))
    await call(hass, path="export.xml")
    assert sessions(alex)[0].distance == pytest.approx(3000)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE HealthData [\n<!ENTITY lol "lol">\n<!ENTITY lol2 "&lol;&lol;&lol;">\n]>',
        '<!DOCTYPE HealthData [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>',
    ],
)
async def test_apple_entity_declarations_are_refused(
    hass: HomeAssistant, alex: MockConfigEntry, doctype: str
) -> None:
    write(
        hass,
        "export.xml",
        apple_xml(INTERVALS.replace('uuid="a"', 'uuid="&lol2;"'), doctype),
    )
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, path="export.xml")
    assert err.value.translation_key == "import_xml_entities"
    assert err.value.translation_placeholders == {"file": "export.xml"}
    assert sessions(alex) == []


async def test_apple_workout_that_cannot_be_read_is_skipped(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    bad = INTERVALS.replace("2025-04-01 07:00:00 +0200", "9999-99-99", 1)
    write(hass, "export.xml", apple_xml(bad + INTERVALS))
    response = await call(hass, path="export.xml")
    assert (response["imported"], response["skipped"]) == (1, 1)
    assert response["skipped_rows"] == [
        {"file": "export.xml", "line": 1, "reason": "unreadable_workout"}
    ]


async def test_fit_without_session_or_truncated_yields_its_records(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    ride = Act(datetime(2025, 7, 1, 6, 0, tzinfo=UTC), "", 3600, 3600, 20000)
    run = Act(datetime(2025, 7, 2, 6, 0, tzinfo=UTC), "", 1800, 1800, 5000)
    write(hass, "ride.fit", fit_records_bytes(ride, "cycling"))
    # Cut without the CRC, the last record and part of the one before: the
    # last whole record is the end.
    write(hass, "run.fit", fit_records_bytes(run, "running", 31)[:-13])
    assert (await call(hass, path="ride.fit"))["imported"] == 1
    assert (await call(hass, path="run.fit"))["imported"] == 1
    first, second = sessions(alex)
    assert (first.activity, first.duration, first.distance) == (
        Activity.CYCLE,
        3600,
        pytest.approx(20000),
    )
    assert second.activity is Activity.RUN
    assert second.duration == pytest.approx(1680)  # 28 of 30 intervals


async def test_damaged_fit_content_is_refused(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    data = bytearray(
        fit_bytes([(Act(datetime(2025, 1, 1, tzinfo=UTC), "", 1, 1, 1), "running")])
    )
    data[16] = 0x4F  # a definition message of a layout never defined
    write(hass, "bad.fit", bytes(data[:20]))
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, path="bad.fit")
    assert err.value.translation_key == "import_bad_file"
    assert sessions(alex) == []


async def test_typeless_track_is_the_typed_session_it_starts_with(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    ride = Act(datetime(2025, 8, 1, 6, 0, tzinfo=UTC), "", 3600, 3500, 30000)
    write(hass, "both/ride.fit", fit_bytes([(ride, "cycling")]))
    converted = Act(ride.start + timedelta(seconds=90), "", 3600, 3500, 30000)
    write(hass, "both/ride.gpx", gpx_bytes(converted, 20, ""))
    response = await call(hass, path="both")
    assert (response["imported"], response["duplicates"]) == (1, 1)
    assert [s.activity for s in sessions(alex)] == [Activity.CYCLE]
    # A type-less track later on is compared with the kept ride too.
    write(hass, "later.gpx", gpx_bytes(converted, 20, ""))
    assert (await call(hass, path="later.gpx"))["duplicates"] == 1


async def test_reimport_finds_duplicates_before_reading_tracks(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    start = datetime(2025, 9, 1, 6, 0, tzinfo=UTC)
    for i in range(6):
        act = Act(start + timedelta(days=i), "", 1800, 1800, 5000)
        data = (
            gpx_bytes(act, 200, "9"),
            tcx_bytes(act),
            fit_bytes([(act, "running")]),
        )[i % 3]
        write(hass, f"tracks/{i}.{('gpx', 'tcx', 'fit')[i % 3]}", data)
    assert (await call(hass, path="tracks"))["imported"] == 6
    # Damage every track past its first bytes: a re-import that parsed the
    # tracks would skip them as unreadable; one that reads only their
    # starts finds them all duplicates.
    for path in (Path(hass.config.config_dir) / "tracks").iterdir():
        data = path.read_bytes()
        keep = 200 if path.suffix == ".fit" else len(data) // 2
        path.write_bytes(data[:keep] + b"\x00garbage")
    response = await call(hass, path="tracks")
    assert (response["imported"], response["duplicates"], response["skipped"]) == (
        0,
        6,
        0,
    )


async def test_nul_bytes_and_impossible_dates_are_skipped_rows(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    write(
        hass,
        "strava/activities.csv",
        "Activity ID,Activity Date,Activity Type,Elapsed Time,Distance\n"
        '1,"Feb 1, 2025, 7:00:00 AM",Run,1800,5\n'
        '2,"Feb 30, 2025, 7:00:00 AM",Run,1800,5\n'
        '3,"Feb 3, 2025, 7:00:00 AM",Run,18\x0000,5\n'
        '4,"Feb 4, 9999, 7:00:00 AM",Run,1800,5\n',
    )
    response = await call(hass, path="strava")
    assert (response["imported"], response["skipped"]) == (1, 3)
    assert [(r["line"], r["reason"]) for r in response["skipped_rows"]] == [
        (3, "unreadable_value"),
        (4, "nul_byte"),
        (5, "outside_dates"),
    ]


async def test_only_the_first_ten_skipped_rows_are_listed(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    rows = "".join(f'{i},"bad",Run,1800,5\n' for i in range(25))
    write(
        hass,
        "strava/activities.csv",
        "Activity ID,Activity Date,Activity Type,Elapsed Time,Distance\n"
        '1,"Feb 1, 2025, 7:00:00 AM",Run,1800,5\n' + rows,
    )
    response = await call(hass, path="strava")
    assert (response["imported"], response["skipped"]) == (1, 25)
    assert [r["line"] for r in response["skipped_rows"]] == list(range(3, 13))


async def test_csv_lines_are_capped(hass: HomeAssistant, alex: MockConfigEntry) -> None:
    # One 3 MB line: refused at that line, never read whole.
    line = "Activity ID,Activity Date,Activity Type\n1," + "x" * 3_000_000 + "\n"
    write(hass, "long/activities.csv", line)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, path="long/activities.csv")
    assert err.value.translation_key == "import_line_too_long"
    assert err.value.translation_placeholders == {"file": "activities.csv", "line": "2"}


async def test_apple_workouts_in_a_big_export_keep_their_dates(
    hass: HomeAssistant, alex: MockConfigEntry
) -> None:
    day = datetime(2025, 5, 5, 6, 0, tzinfo=UTC)
    body = (
        "".join(
            f' <Record type="HKQuantityTypeIdentifierHeartRate" startDate="{apple_date(day)}" value="60"/>\n'
            for _ in range(2000)
        )
        + INTERVALS
    )
    write(hass, "export.xml", apple_xml(body))
    assert (await call(hass, path="export.xml"))["imported"] == 1
