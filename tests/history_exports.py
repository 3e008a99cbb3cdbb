"""Generate realistic exports of Strava, Garmin Connect, Apple Health and GPX/TCX/FIT.

Shared by the tests and the import benchmark; nothing is downloaded.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import gzip
import io
import math
from pathlib import Path
import struct
from typing import IO
import zipfile


@dataclass(frozen=True)
class Act:
    """An activity as the generator means it, to compare what was imported."""

    start: datetime  # aware, UTC
    kind: str  # the source's type name
    elapsed: float  # s
    moving: float  # s
    distance: float  # m


STRAVA_HEADER = [
    "Activity ID", "Activity Date", "Activity Name", "Activity Type",
    "Activity Description", "Elapsed Time", "Distance", "Max Heart Rate",
    "Relative Effort", "Commute", "Activity Private Note", "Activity Gear",
    "Filename", "Athlete Weight", "Bike Weight", "Elapsed Time", "Moving Time",
    "Distance", "Max Speed", "Average Speed", "Elevation Gain", "Elevation Loss",
]  # fmt: skip


def strava_date(moment: datetime) -> str:
    """Write a time as Strava's CSV does (UTC, English month, 12-hour clock)."""
    return moment.astimezone(UTC).strftime("%b %-d, %Y, %-I:%M:%S %p")


def gpx_bytes(act: Act, points: int = 20, gpx_type: str = "running") -> bytes:
    """Return a GPX track of `points` points along a line of the activity's length."""
    out = io.StringIO()
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" '
        'version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n'
        f" <metadata><time>{act.start.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        f"</metadata>\n <trk><name>Morning Run</name><type>{gpx_type}</type>"
        "<trkseg>\n"
    )
    # Along a meridian: one degree of latitude is R * pi / 180 metres.
    step = act.distance / (points - 1) / (6_371_008.8 * math.pi / 180)
    for i in range(points):
        when = act.start + timedelta(seconds=act.elapsed * i / (points - 1))
        out.write(
            f'  <trkpt lat="{52.0 + step * i:.9f}" lon="4.9000000">'
            f"<ele>1.0</ele><time>{when.strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
            "</trkpt>\n"
        )
    out.write(" </trkseg></trk>\n</gpx>\n")
    return out.getvalue().encode()


def tcx_bytes(act: Act, sport: str = "Running", laps: int = 2) -> bytes:
    """Return a TCX activity of `laps` laps, with the blanks Strava puts first."""
    lap_time = act.moving / laps
    lap_distance = act.distance / laps
    body = "".join(
        f'<Lap StartTime="{(act.start + timedelta(seconds=lap_time * i)).isoformat()}">'
        f"<TotalTimeSeconds>{lap_time}</TotalTimeSeconds>"
        f"<DistanceMeters>{lap_distance}</DistanceMeters>"
        "<Track><Trackpoint><DistanceMeters>1.0</DistanceMeters></Trackpoint></Track>"
        "</Lap>"
        for i in range(laps)
    )
    return (
        '          <?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        'TrainingCenterDatabase/v2"><Activities>'
        f'<Activity Sport="{sport}"><Id>{act.start.isoformat()}</Id>{body}</Activity>'
        "</Activities></TrainingCenterDatabase>"
    ).encode()


_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
FIT_EPOCH = 631065600
FIT_SPORTS = {"running": 1, "cycling": 2, "swimming": 5, "walking": 11, "hiking": 17}


def fit_crc(data: bytes, crc: int = 0) -> int:
    """Return the FIT CRC-16 of some bytes."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = (crc >> 4) & 0x0FFF
        crc = crc ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def fit_bytes(acts: list[tuple[Act, str]]) -> bytes:
    """Return a FIT activity file with one session message per activity."""
    ts = int(acts[0][0].start.timestamp()) - FIT_EPOCH
    # file_id: type (enum), time_created (uint32)
    records = bytes([0x40, 0, 0]) + struct.pack("<HB", 0, 2)
    records += bytes([0, 1, 0x00, 4, 4, 0x86])
    records += bytes([0x00, 4]) + struct.pack("<I", ts)
    # session: start_time, sport, total_elapsed_time, total_timer_time,
    # total_distance, timestamp
    records += bytes([0x41, 0, 0]) + struct.pack("<HB", 18, 6)
    for num, size, base in ((2, 4, 0x86), (5, 1, 0x00), (7, 4, 0x86), (8, 4, 0x86), (9, 4, 0x86), (253, 4, 0x86)):  # fmt: skip
        records += bytes([num, size, base])
    for act, sport in acts:
        start = int(act.start.timestamp()) - FIT_EPOCH
        records += bytes([0x01]) + struct.pack(
            "<IBIIII",
            start,
            FIT_SPORTS[sport],
            round(act.elapsed * 1000),
            round(act.moving * 1000),
            round(act.distance * 100),
            start + int(act.elapsed),
        )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(records), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    body = header + records
    return body + struct.pack("<H", fit_crc(body))


def write_strava(
    folder: Path,
    acts: list[Act],
    *,
    files: str = "mixed",
    gz: bool = True,
    blank: bool | None = None,
    points: int = 20,
) -> Path:
    """Write a Strava bulk export: activities.csv and the track files it names.

    With `files="mixed"` rows rotate through GPX, TCX and FIT files and
    leave the CSV's distance and times empty where a file carries them
    (`blank` decides that for the other kinds).
    """
    (folder / "activities").mkdir(parents=True, exist_ok=True)
    with (folder / "activities.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(STRAVA_HEADER)
        for i, act in enumerate(acts):
            kind = ("gpx", "tcx", "fit")[i % 3] if files == "mixed" else files
            filename = ""
            if kind in {"gpx", "tcx", "fit"}:
                suffix = ".gz" if gz else ""
                filename = f"activities/{1000 + i}.{kind}{suffix}"
                if kind == "gpx":
                    data = gpx_bytes(act, points)
                elif kind == "tcx":
                    data = tcx_bytes(act)
                else:
                    data = fit_bytes([(act, "running")])
                (folder / filename).write_bytes(gzip.compress(data) if gz else data)
                empty = files == "mixed" if blank is None else blank
            else:
                empty = False
            km = f"{act.distance / 1000:.2f}"
            writer.writerow(
                [
                    str(1000 + i), strava_date(act.start), "Morning Run", act.kind,
                    "", "" if empty else str(int(act.elapsed)), "" if empty else km,
                    "171.0", "45", "false", "secret note", "Shoes", filename, "",
                    "", "" if empty else f"{act.elapsed:.1f}",
                    "" if empty else f"{act.moving:.1f}",
                    "" if empty else f"{act.distance:.6f}", "4.2", "3.1", "12.0", "11.0",
                ]
            )  # fmt: skip
    return folder


GARMIN_HEADER = [
    "Activity Type", "Date", "Favorite", "Title", "Distance", "Calories", "Time",
    "Avg HR", "Max HR", "Aerobic TE", "Avg Run Cadence", "Max Run Cadence",
    "Avg Pace", "Best Pace", "Total Ascent", "Total Descent", "Avg Stride Length",
    "Moving Time", "Elapsed Time", "Min Elevation", "Max Elevation",
]  # fmt: skip


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def write_garmin(path: Path, rows: list[tuple[str, str, str, str, str]]) -> Path:
    """Write Garmin Connect's Activities.csv from (type, local date, distance, time, moving)."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(GARMIN_HEADER)
        for kind, date, distance, time, moving in rows:
            writer.writerow(
                [kind, date, "false", "Amsterdam Running", distance, "512", time,
                 "150", "171", "3.1", "170", "184", "5:30", "4:01", "--", "--",
                 "1.08", moving, time, "--", "--"]
            )  # fmt: skip
    return path


APPLE_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary)*)>
<!ATTLIST HealthData locale CDATA #REQUIRED>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate value CDATA #REQUIRED>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
]>
<HealthData locale="en_NL">
 <ExportDate value="2026-11-30 10:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01"/>
"""


def apple_date(moment: datetime) -> str:
    """Write a time as Apple Health does, with the offset of the time."""
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def apple_workout(act: Act, activity_type: str, *, old_style: bool) -> str:
    """Return a Workout element; the old form has totalDistance, the new statistics."""
    end = act.start + timedelta(seconds=act.elapsed)
    common = (
        f'workoutActivityType="{activity_type}" duration="{act.moving / 60!r}" '
        f'durationUnit="min" sourceName="Apple Watch" '
        f'creationDate="{apple_date(end)}" startDate="{apple_date(act.start)}" '
        f'endDate="{apple_date(end)}"'
    )
    if old_style:
        return (
            f' <Workout {common} totalDistance="{act.distance / 1000!r}" '
            'totalDistanceUnit="km" totalEnergyBurned="300" '
            'totalEnergyBurnedUnit="kcal">\n'
            '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n </Workout>\n'
        )
    return (
        f" <Workout {common}>\n"
        '  <WorkoutEvent type="HKWorkoutEventTypePause" '
        f'date="{apple_date(act.start)}"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
        f'startDate="{apple_date(act.start)}" endDate="{apple_date(end)}" '
        'sum="300" unit="kcal"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        f'startDate="{apple_date(act.start)}" endDate="{apple_date(end)}" '
        f'sum="{act.distance / 1609.344!r}" unit="mi"/>\n'
        " </Workout>\n"
    )


def write_apple_health(
    out: IO[str],
    workouts: list[tuple[Act, str]],
    *,
    records_per_workout: int = 20,
    target_bytes: int = 0,
) -> None:
    """Write an export.xml: many Records around the workouts, as a real one has.

    With `target_bytes`, Records are added until the file is about that big.
    """
    out.write(APPLE_HEAD)
    written = len(APPLE_HEAD)
    per_workout = records_per_workout
    record = (
        ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" '
        'sourceVersion="10.1" device="&lt;&lt;HKDevice: 0x283b2c370&gt;, name:Apple '
        'Watch&gt;" unit="count/min" creationDate="{d}" startDate="{d}" '
        'endDate="{d}" value="{v}">\n'
        '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
        " </Record>\n"
    )
    sample = len(record.format(d=apple_date(datetime.now(UTC)), v=70))
    if target_bytes and workouts:
        per_workout = max(1, (target_bytes - written) // sample // len(workouts))
    for i, (act, activity_type) in enumerate(workouts):
        d = apple_date(act.start)
        chunk = record.format(d=d, v=60 + i % 40) * per_workout
        out.write(chunk)
        written += len(chunk)
        text = apple_workout(act, activity_type, old_style=i % 2 == 0)
        out.write(text)
        written += len(text)
    out.write("</HealthData>\n")


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """Zip a folder's files, each under `prefix`."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def fit_records_bytes(act: Act, sport: str, points: int = 30) -> bytes:
    """Return a FIT file with a sport message and records, but no session message.

    Cut it short (`data[:-n]`) for a file truncated at the end, as a phone
    app leaves it when it stops mid-write.
    """
    ts = int(act.start.timestamp()) - FIT_EPOCH
    records = bytes([0x40, 0, 0]) + struct.pack("<HB", 0, 2)
    records += bytes([0, 1, 0x00, 4, 4, 0x86])
    records += bytes([0x00, 4]) + struct.pack("<I", ts)
    # sport (12): sport (enum)
    records += bytes([0x41, 0, 0]) + struct.pack("<HB", 12, 1) + bytes([0, 1, 0x00])
    records += bytes([0x01, FIT_SPORTS[sport]])
    # record (20): timestamp, distance (cm)
    records += bytes([0x42, 0, 0]) + struct.pack("<HB", 20, 2)
    records += bytes([253, 4, 0x86, 5, 4, 0x86])
    for i in range(points):
        records += bytes([0x02]) + struct.pack(
            "<II",
            ts + round(act.elapsed * i / (points - 1)),
            round(act.distance * 100 * i / (points - 1)),
        )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(records), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    body = header + records
    return body + struct.pack("<H", fit_crc(body))
