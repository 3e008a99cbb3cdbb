"""Read activity exports of other services and write and read our own export.

Plain Python with no Home Assistant imports: the parsers run in the
executor, stream their files (an Apple Health export may be gigabytes) and
keep only the sessions they find. A file that cannot be read raises
`ImportFileError`, naming the file and the line or element.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
import csv
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
import gzip
import io
import json
import math
import os
from pathlib import Path, PurePosixPath
import re
from typing import IO, Any
from xml.parsers import expat
import zipfile

from defusedxml import ElementTree as SafeET
import fitdecode

from ..core.models import METRES_PER_UNIT, Activity, MoodEntry, Plan, Session, Source

FORMATS = ("auto", "strava", "garmin", "apple_health", "gpx", "tcx", "fit")
EXPORT_FORMATS = ("csv", "json")
EXPORT_COLUMNS = (
    "record",
    "id",
    "activity",
    "start",
    "duration",
    "distance",
    "mood",
    "mood_before",
    "mood_after",
    "effort",
    "note",
    "source",
)
JSON_FORMAT = "run_wellbeing"
JSON_VERSION = 1
MAX_NAME = 120

type Record = Session | MoodEntry | Plan


class ImportFileError(Exception):
    """A file that cannot be imported; the key names a translated message."""

    def __init__(self, translation_key: str, **placeholders: str) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(translation_key, placeholders)
        self.translation_key = translation_key
        self.placeholders = {
            key: value if len(value) <= MAX_NAME else "…" + value[-MAX_NAME:]
            for key, value in placeholders.items()
        }


def bad_line(file: str, line: int) -> ImportFileError:
    """Return the error for a line of a text file that cannot be read."""
    return ImportFileError("import_bad_line", file=file, line=str(line))


def bad_element(file: str, element: str, number: int) -> ImportFileError:
    """Return the error for an XML element that cannot be read."""
    return ImportFileError(
        "import_bad_element", file=file, element=element, number=str(number)
    )


def bad_file(file: str) -> ImportFileError:
    """Return the error for a file that cannot be read at all."""
    return ImportFileError("import_bad_file", file=file)


# Activity names of every source, lower case, without spaces or underscores.
_ACTIVITY_NAMES: dict[str, Activity] = {}
for _activity, _names in {
    Activity.RUN: (
        "run trailrun treadmill treadmillrunning virtualrun running trailrunning "
        "streetrunning trackrunning indoorrunning ultrarun obstaclerun "
        "hkworkoutactivitytyperunning 1 9"
    ),
    Activity.WALK: (
        "walk walking indoorwalking casualwalking speedwalking "
        "hkworkoutactivitytypewalking 11 10"
    ),
    Activity.HIKE: "hike hiking mountaineering hkworkoutactivitytypehiking 4",
    Activity.CYCLE: (
        "ride virtualride ebikeride emountainbikeride mountainbikeride gravelride "
        "handcycle velomobile cycling biking bike roadcycling mountainbiking "
        "gravelcycling indoorcycling virtualcycling ebikefitness ebikemountain "
        "bmx cyclocross trackcycling hkworkoutactivitytypecycling "
        "hkworkoutactivitytypehandcycling 2"
    ),
    Activity.SWIM: (
        "swim swimming lapswimming poolswim poolswimming openwaterswimming "
        "openwaterswim hkworkoutactivitytypeswimming 5"
    ),
    Activity.YOGA: "yoga hkworkoutactivitytypeyoga hkworkoutactivitytypemindandbody",
    Activity.DANCE: (
        "dance dancing hkworkoutactivitytypedance "
        "hkworkoutactivitytypesocialdance hkworkoutactivitytypecardiodance"
    ),
    Activity.STRENGTH: (
        "weighttraining strengthtraining strength crossfit workout training "
        "hkworkoutactivitytypetraditionalstrengthtraining "
        "hkworkoutactivitytypefunctionalstrengthtraining "
        "hkworkoutactivitytypecrosstraining"
    ),
}.items():
    for _name in _names.split():
        _ACTIVITY_NAMES[_name] = _activity


def map_activity(name: str | None) -> Activity:
    """Return the activity a source's type name means, `other` when unknown."""
    if not name:
        return Activity.OTHER
    key = re.sub(r"[\s_\-/()]", "", name).lower()
    return _ACTIVITY_NAMES.get(key, Activity.OTHER)


@dataclass(frozen=True, slots=True)
class Found:
    """An activity read from a source, before it becomes a session."""

    start: datetime
    activity: Activity
    duration: float | None
    distance: float | None


class Source_:  # noqa: N801
    """A folder, a zip file or a single file, read the same way."""

    def __init__(self, path: Path) -> None:
        """Open a zip lazily; a folder or file is read from disk."""
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as err:
                raise bad_file(path.name) from err

    def close(self) -> None:
        """Close the zip file, if any."""
        if self.zip is not None:
            self.zip.close()

    def names(self) -> list[str]:
        """Return every file below the source, relative, with forward slashes."""
        if self.zip is not None:
            return [n for n in self.zip.namelist() if not n.endswith("/")]
        if self.path.is_dir():
            return sorted(
                p.relative_to(self.path).as_posix()
                for p in self.path.rglob("*")
                if p.is_file()
            )
        return [self.path.name]

    def open(self, name: str) -> IO[bytes]:
        """Open a file of the source for reading bytes, un-gzipping `.gz` files."""
        try:
            raw: IO[bytes]
            if self.zip is not None:
                raw = self.zip.open(name)
            elif self.path.is_dir():
                target = (self.path / name).resolve()
                if not target.is_relative_to(self.path.resolve()):
                    raise bad_file(name)
                raw = target.open("rb")
            else:
                raw = self.path.open("rb")
        except (KeyError, OSError, zipfile.BadZipFile) as err:
            raise ImportFileError("import_missing_file", file=name) from err
        if name.lower().endswith(".gz"):
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw


def _read_text(source: Source_, name: str) -> Iterator[list[str]]:
    """Yield the rows of a CSV file of the source, decoding UTF-8 (with BOM)."""
    with source.open(name) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error, OSError, EOFError) as err:
            raise bad_line(name, reader.line_num + 1) from err


def _number(text: str) -> float | None:
    """Return a number written with optional thousands separators; None if missing."""
    text = text.strip().replace(",", "")
    if not text or text == "--":
        return None
    value = float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(text)
    return value


def _clock(text: str) -> float | None:
    """Return the seconds of `h:mm:ss`, `mm:ss` or `h:mm:ss.s`; None if missing."""
    text = text.strip()
    if not text or text == "--":
        return None
    seconds = 0.0
    for part in text.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def _positive(value: float | None) -> float | None:
    return value if value else None


# Strava ------------------------------------------------------------------


STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S")


def _strava_date(text: str) -> datetime:
    # Newer exports put a narrow no-break space before AM/PM.
    text = text.strip().replace("\u202f", " ")
    for fmt in STRAVA_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    raise ValueError(text)


def read_strava(source: Source_, csv_name: str) -> Iterator[Found]:
    """Yield the activities of a Strava bulk export's `activities.csv`.

    The columns repeat (a "Distance" in the athlete's unit, later one in
    metres), so they are found by position. Strava's dates are UTC. The
    named GPX, TCX or FIT file is read only when the row lacks the start,
    the time or the distance.
    """
    rows = _read_text(source, csv_name)
    header = next(rows, None)
    if header is None:
        raise bad_line(csv_name, 1)
    positions: dict[str, list[int]] = {}
    for index, column in enumerate(header):
        positions.setdefault(column.strip(), []).append(index)
    try:
        date_at = positions["Activity Date"][0]
        type_at = positions["Activity Type"][0]
    except KeyError as err:
        raise bad_line(csv_name, 1) from err
    elapsed_at = positions.get("Elapsed Time", [])
    moving_at = positions.get("Moving Time", [])
    distance_at = positions.get("Distance", [])
    file_at = positions.get("Filename", [])
    folder = PurePosixPath(csv_name).parent
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            start = _strava_date(row[date_at])
            activity = map_activity(row[type_at])
            duration = None
            for at in (moving_at[:1] or []) + elapsed_at[-1:] + elapsed_at[:1]:
                if at < len(row) and (duration := _positive(_number(row[at]))):
                    break
            distance = None
            if len(distance_at) > 1 and distance_at[1] < len(row):
                distance = _number(row[distance_at[1]])  # metres
            elif distance_at and distance_at[0] < len(row):
                km = _number(row[distance_at[0]])
                distance = None if km is None else km * 1000
            filename = row[file_at[0]].strip() if file_at else ""
        except (ValueError, IndexError) as err:
            raise bad_line(csv_name, line) from err
        if filename and (duration is None or distance is None):
            name = str(folder / filename) if str(folder) != "." else filename
            for found in read_track(source, name):
                yield Found(
                    start=start,
                    activity=activity,
                    duration=duration or found.duration,
                    distance=distance if distance is not None else found.distance,
                )
                break
            continue
        yield Found(start, activity, duration, distance)


# Garmin Connect -------------------------------------------------------------


def read_garmin(
    source: Source_, csv_name: str, tz: tzinfo, *, imperial: bool = False
) -> Iterator[Found]:
    """Yield the activities of Garmin Connect's `Activities.csv`.

    Times are local (Home Assistant's zone); "--" means missing. Distances
    are in the account's unit: kilometres (miles when `imperial`), swims in
    metres (yards).
    """
    rows = _read_text(source, csv_name)
    header = [column.strip() for column in next(rows, [])]
    try:
        type_at = header.index("Activity Type")
        date_at = header.index("Date")
    except ValueError as err:
        raise bad_line(csv_name, 1) from err
    distance_at = header.index("Distance") if "Distance" in header else None
    times = [
        header.index(c) for c in ("Moving Time", "Time", "Elapsed Time") if c in header
    ]
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            naive = datetime.fromisoformat(row[date_at].strip())
            if naive.tzinfo is not None:
                raise ValueError(row[date_at])
            activity = map_activity(row[type_at])
            duration = None
            for at in times:
                if duration := _positive(_clock(row[at])):
                    break
            distance = None
            if distance_at is not None:
                value = _number(row[distance_at])
                if value is not None:
                    if activity is Activity.SWIM:
                        factor = 0.9144 if imperial else 1.0
                    else:
                        factor = METRES_PER_UNIT["mi" if imperial else "km"]
                    distance = value * factor
        except (ValueError, IndexError) as err:
            raise bad_line(csv_name, line) from err
        yield Found(local_instant(naive, tz), activity, duration, distance)


def local_instant(naive: datetime, tz: tzinfo) -> datetime:
    """Return the instant a wall-clock time means in a zone.

    In the repeated hour when clocks go back the first (summer) one is meant;
    a time in the hour skipped in spring is read as if the clock had not moved.
    """
    return naive.replace(tzinfo=tz).astimezone(UTC)


# Apple Health ----------------------------------------------------------------

_APPLE_DURATION = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0}
_APPLE_DISTANCE = {
    "m": 1.0,
    "km": METRES_PER_UNIT["km"],
    "cm": 0.01,
    "mi": METRES_PER_UNIT["mi"],
    "yd": 0.9144,
    "ft": 0.3048,
}


def _apple_date(text: str) -> datetime:
    """Read `2024-03-31 07:15:00 +0200`, the only form Apple writes."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z")


def read_apple_health(source: Source_, xml_name: str) -> Iterator[Found]:
    """Yield the workouts of an Apple Health `export.xml`, streaming it.

    Elements are cleared as soon as they are read, so memory does not grow
    with the file; the distance may be an attribute or a child
    `WorkoutStatistics` element.
    """
    number = 0
    with source.open(xml_name) as raw:
        root = None
        depth = 0
        try:
            for event, element in SafeET.iterparse(raw, events=("start", "end")):
                if event == "start":
                    if root is None:
                        root = element
                    depth += 1
                    continue
                depth -= 1
                if depth != 1:
                    continue
                if element.tag == "Workout":
                    number += 1
                    try:
                        yield _apple_workout(element)
                    except (ValueError, KeyError) as err:
                        raise bad_element(xml_name, "Workout", number) from err
                # Keep nothing of what was read: a 1 GB export is mostly Records.
                assert root is not None
                root.clear()
        except SafeET.ParseError as err:
            raise bad_line(xml_name, err.position[0]) from err
        except (OSError, EOFError, zipfile.BadZipFile) as err:
            raise bad_file(xml_name) from err


def _apple_workout(element: Any) -> Found:
    attrs = element.attrib
    start = _apple_date(attrs["startDate"])
    duration = None
    if (value := attrs.get("duration")) is not None:
        duration = float(value) * _APPLE_DURATION[attrs.get("durationUnit", "min")]
    elif (end := attrs.get("endDate")) is not None:
        duration = (_apple_date(end) - start).total_seconds()
    distance = None
    if (value := attrs.get("totalDistance")) is not None:
        distance = float(value) * _APPLE_DISTANCE[attrs.get("totalDistanceUnit", "km")]
    else:
        for child in element.iter("WorkoutStatistics"):
            if child.get("type", "").startswith("HKQuantityTypeIdentifierDistance"):
                distance = (
                    float(child.attrib["sum"])
                    * _APPLE_DISTANCE[child.get("unit", "km")]
                )
                break
    if duration is not None and not math.isfinite(duration):
        raise ValueError(duration)
    if distance is not None and not (math.isfinite(distance) and distance >= 0):
        raise ValueError(distance)
    return Found(
        start,
        map_activity(attrs.get("workoutActivityType")),
        _positive(duration),
        distance,
    )


# GPX, TCX and FIT --------------------------------------------------------------

_EARTH_RADIUS_M = 6_371_008.8


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1 = math.radians(lat1)
    p2 = math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _xml_time(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _refuse_entities(*_args: object) -> int:
    """Refuse entity declarations: the XML bombs `defusedxml` guards against."""
    msg = "entities are not allowed"
    raise ValueError(msg)


class _GpxReader:
    """Expat callbacks that follow a GPX file's tracks.

    GPX files are read with bare expat callbacks rather than an element tree:
    a Strava export has thousands of them with a point a second, and only
    each point's position and the first and last time are needed.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[Found] = []
        self.tracks = 0
        self.points = 0
        self._reset()
        self._previous: tuple[float, float] | None = None
        self._in_point = False
        self._text: list[str] | None = None
        self._field = ""

    def _reset(self) -> None:
        self.activity = Activity.OTHER
        self.first: str | None = None
        self.last: str | None = None
        self.distance = 0.0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = tag.rpartition(":")[2]
        if tag == "trkpt":
            self.points += 1
            self._in_point = True
            try:
                lat = float(attrs["lat"])
                lon = float(attrs["lon"])
            except (KeyError, ValueError) as err:
                raise bad_element(self.name, "trkpt", self.points) from err
            if (previous := self._previous) is not None:
                self.distance += _haversine(previous[0], previous[1], lat, lon)
            self._previous = (lat, lon)
        elif tag == "time" and self._in_point:
            self._text, self._field = [], "time"
        elif tag == "type" and self.tracks:
            self._text, self._field = [], "type"
        elif tag == "trk":
            self.tracks += 1
            self._reset()
        elif tag == "trkseg":
            self._previous = None

    def data(self, text: str) -> None:
        if self._text is not None:
            self._text.append(text)

    def end(self, tag: str) -> None:
        if self._text is not None:
            text = "".join(self._text).strip()
            self._text = None
            if self._field == "time":
                self.first = self.first or text
                self.last = text
            else:
                self.activity = map_activity(text)
            return
        tag = tag.rpartition(":")[2]
        if tag == "trkpt":
            self._in_point = False
        elif tag == "trk" and self.first is not None and self.last is not None:
            try:
                first = _xml_time(self.first)
                last = _xml_time(self.last)
            except ValueError as err:
                raise bad_element(self.name, "trkpt", self.points) from err
            self.found.append(
                Found(
                    first,
                    self.activity,
                    _positive((last - first).total_seconds()),
                    self.distance,
                )
            )


# Two lists of bytes rather than a tuple per point: bytes are not tracked by
# the garbage collector, so a million points cause no collections that would
# hold the interpreter lock (and the event loop) for long.
_GPX_LAT = re.compile(rb'<trkpt\s+lat="([^"]*)"\s+lon="[^"]*"\s*>')
_GPX_LON = re.compile(rb'<trkpt\s+lat="[^"]*"\s+lon="([^"]*)"\s*>')
_GPX_TIME = re.compile(rb"<time>([^<]*)</time>")
_GPX_TYPE = re.compile(rb"<type>([^<]*)</type>")


def _gpx_fast(data: bytes) -> Found | None:
    """Read the common GPX (one track, one segment, plain markup) with regexes.

    Only after expat has checked the file is well formed; anything unusual
    (namespaced tags, comments, several tracks) returns None for the callbacks.
    """
    if (
        data.count(b"<trk>") != 1
        or data.count(b"<trkseg>") != 1
        or b"<!--" in data
        or b"<![CDATA[" in data
    ):
        return None
    lats = _GPX_LAT.findall(data)
    count = len(lats)
    if count != data.count(b"<trkpt") or not count:
        return None
    lons = _GPX_LON.findall(data)
    body = data.index(b"<trkpt")
    times = _GPX_TIME.findall(data, body)
    if not times:
        return None
    kind = _GPX_TYPE.search(data)
    distance = 0.0
    lat1, lon1 = float(lats[0]), float(lons[0])
    for index in range(1, count):
        lat2, lon2 = float(lats[index]), float(lons[index])
        distance += _haversine(lat1, lon1, lat2, lon2)
        lat1, lon1 = lat2, lon2
    first = _xml_time(times[0].decode())
    last = _xml_time(times[-1].decode())
    return Found(
        first,
        map_activity(kind.group(1).decode() if kind else None),
        _positive((last - first).total_seconds()),
        distance,
    )


def read_gpx(source: Source_, name: str) -> Iterator[Found]:
    """Yield one activity per track of a GPX file: first to last point, summed distance."""
    data = _read_all(source, name)
    checker = expat.ParserCreate()
    checker.EntityDeclHandler = _refuse_entities
    checker.UnparsedEntityDeclHandler = _refuse_entities
    checker.ExternalEntityRefHandler = _refuse_entities
    try:
        checker.Parse(data, True)
    except expat.ExpatError as err:
        raise bad_line(name, err.lineno) from err
    except ValueError as err:
        raise bad_file(name) from err
    try:
        fast = _gpx_fast(data)
    except ValueError:
        fast = None  # the callbacks name the point that is wrong
    if fast is not None:
        yield fast
        return
    reader = _GpxReader(name)
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_entities
    # Well formed and free of entities: checked above.
    parser.Parse(data, True)
    if not reader.tracks:
        raise bad_file(name)
    yield from reader.found


def _read_all(source: Source_, name: str) -> bytes:
    """Return a small file's bytes (a TCX or FIT file of one activity)."""
    with source.open(name) as raw:
        try:
            return raw.read()
        except (OSError, EOFError, zipfile.BadZipFile) as err:
            raise bad_file(name) from err


_TCX_SPORTS = {"running": Activity.RUN, "biking": Activity.CYCLE}


def read_tcx(source: Source_, name: str) -> Iterator[Found]:
    """Yield each `Activity` of a TCX file: its laps' timer time and distance summed."""
    # Strava writes its TCX files with blanks before the XML declaration.
    data = _read_all(source, name).lstrip()
    with io.BytesIO(data) as raw:
        activities = 0
        start: datetime | None = None
        duration = 0.0
        distance: float | None = None
        sport = Activity.OTHER
        depth_in_lap = 0
        try:
            for event, element in SafeET.iterparse(raw, events=("start", "end")):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "Activity":
                        activities += 1
                        start, duration, distance = None, 0.0, None
                        sport = _TCX_SPORTS.get(
                            element.get("Sport", "").lower(), Activity.OTHER
                        )
                    elif tag == "Lap":
                        depth_in_lap = 0
                        if start is None and element.get("StartTime"):
                            start = _xml_time(element.attrib["StartTime"])
                    elif tag == "Track":
                        depth_in_lap += 1
                    continue
                try:
                    if tag == "Id" and start is None and element.text:
                        start = _xml_time(element.text)
                    elif tag == "TotalTimeSeconds" and element.text:
                        duration += float(element.text)
                    elif tag == "DistanceMeters" and not depth_in_lap and element.text:
                        distance = (distance or 0.0) + float(element.text)
                    elif tag == "Track":
                        depth_in_lap -= 1
                        element.clear()
                    elif tag == "Activity":
                        if start is None:
                            raise ValueError("no start")
                        yield Found(start, sport, _positive(duration), distance)
                        element.clear()
                except ValueError as err:
                    raise bad_element(name, tag, activities) from err
        except SafeET.ParseError as err:
            raise bad_line(name, err.position[0]) from err
        except (OSError, EOFError, zipfile.BadZipFile) as err:
            raise bad_file(name) from err
        if not activities:
            raise bad_file(name)


_FIT_SPORTS = {
    "running": Activity.RUN,
    "walking": Activity.WALK,
    "hiking": Activity.HIKE,
    "cycling": Activity.CYCLE,
    "e_biking": Activity.CYCLE,
    "swimming": Activity.SWIM,
    "training": Activity.STRENGTH,
    "dance": Activity.DANCE,
}


def read_fit(source: Source_, name: str) -> Iterator[Found]:
    """Yield each session of a FIT file (multisport files hold several)."""
    sessions = 0
    data = _read_all(source, name)
    try:
        with fitdecode.FitReader(
            io.BytesIO(data), check_crc=fitdecode.CrcCheck.ENABLED
        ) as fit:
            for frame in fit:
                if (
                    not isinstance(frame, fitdecode.FitDataMessage)
                    or frame.name != "session"
                ):
                    continue
                sessions += 1
                start = frame.get_value("start_time", fallback=None)
                if not isinstance(start, datetime):
                    raise bad_element(name, "session", sessions)
                sport = frame.get_value("sport", fallback=None)
                timer = frame.get_value("total_timer_time", fallback=None)
                elapsed = frame.get_value("total_elapsed_time", fallback=None)
                distance = frame.get_value("total_distance", fallback=None)
                yield Found(
                    start if start.tzinfo else start.replace(tzinfo=UTC),
                    _FIT_SPORTS.get(str(sport), map_activity(str(sport))),
                    _positive(timer) or _positive(elapsed),
                    None if distance is None else float(distance),
                )
    except (fitdecode.FitError, ValueError, TypeError, EOFError) as err:
        raise bad_file(name) from err
    if not sessions:
        raise bad_file(name)


_TRACK_READERS: dict[str, Callable[[Source_, str], Iterator[Found]]] = {
    "gpx": read_gpx,
    "tcx": read_tcx,
    "fit": read_fit,
}


def track_kind(name: str) -> str | None:
    """Return `gpx`, `tcx` or `fit` for a track file name (gzipped or not)."""
    lower = name.lower().removesuffix(".gz")
    kind = lower.rpartition(".")[2]
    return kind if kind in _TRACK_READERS else None


def read_track(source: Source_, name: str, kind: str | None = None) -> Iterator[Found]:
    """Yield the activities of one GPX, TCX or FIT file."""
    kind = kind or track_kind(name)
    if kind is None:
        raise ImportFileError("import_unknown_format", path=name)
    return _TRACK_READERS[kind](source, name)


# Our own export --------------------------------------------------------------------


def _opt(text: str) -> str | None:
    return text if text != "" else None


def _opt_float(text: str) -> float | None:
    return None if text == "" else float(text)


def _opt_int(text: str) -> int | None:
    return None if text == "" else int(text)


def read_own_csv(source: Source_, name: str) -> Iterator[Record]:
    """Yield the sessions, moods and plans of a Run Wellbeing CSV export."""
    rows = _read_text(source, name)
    if tuple(next(rows, ())) != EXPORT_COLUMNS:
        raise bad_line(name, 1)
    for line, row in enumerate(rows, start=2):
        try:
            values = dict(zip(EXPORT_COLUMNS, row, strict=True))
            yield _own_record(values)
        except (ValueError, TypeError, KeyError) as err:
            raise bad_line(name, line) from err


def _own_record(values: dict[str, str]) -> Record:
    kind = values["record"]
    start = datetime.fromisoformat(values["start"])
    if start.tzinfo is None:
        raise ValueError(values["start"])
    if kind == "session":
        return Session(
            id=values["id"],
            start=start,
            activity=Activity(values["activity"]),
            duration=_opt_float(values["duration"]),
            distance=_opt_float(values["distance"]),
            mood_before=_opt_int(values["mood_before"]),
            mood_after=_opt_int(values["mood_after"]),
            effort=_opt_int(values["effort"]),
            note=_opt(values["note"]),
            source=Source(values["source"]),
        )
    if kind == "mood":
        return MoodEntry(
            id=values["id"],
            time=start,
            mood=int(values["mood"]),
            note=_opt(values["note"]),
        )
    if kind == "plan":
        return Plan(
            id=values["id"],
            start=start,
            duration=_opt_float(values["duration"]),
            note=_opt(values["note"]),
        )
    raise ValueError(kind)


def read_own_json(source: Source_, name: str) -> Iterator[Record]:
    """Yield the sessions, moods and plans of a Run Wellbeing JSON export."""
    with source.open(name) as raw:
        try:
            data = json.load(raw)
        except (ValueError, UnicodeDecodeError) as err:
            line = getattr(err, "lineno", 1)
            raise bad_line(name, line) from err
    if not isinstance(data, dict) or data.get("format") != JSON_FORMAT:
        raise ImportFileError("import_unknown_format", path=name)
    for key, build in (
        ("sessions", Session.from_dict),
        ("moods", MoodEntry.from_dict),
        ("plans", Plan.from_dict),
    ):
        for number, item in enumerate(data.get(key, []), start=1):
            try:
                yield build(item)
            except (ValueError, TypeError, KeyError, AttributeError) as err:
                raise bad_element(name, key, number) from err


# Detection and the one entry point ------------------------------------------------


def _csv_header(source: Source_, name: str) -> list[str]:
    try:
        return [column.strip() for column in next(_read_text(source, name), [])]
    except ImportFileError:
        return []


def _detect(source: Source_, names: list[str]) -> tuple[str, str | None]:
    """Return the format and the main file of a source."""
    by_base = {PurePosixPath(n).name.lower(): n for n in sorted(names, key=len)}
    if source.zip is None and len(names) == 1 and not source.path.is_dir():
        name = names[0]
        lower = name.lower()
        if kind := track_kind(name):
            return kind, None
        if lower.endswith(".json"):
            return "own_json", name
        if lower.endswith(".xml"):
            return "apple_health", name
        if lower.endswith(".csv"):
            header = _csv_header(source, name)
            if tuple(header) == EXPORT_COLUMNS:
                return "own_csv", name
            if "Activity ID" in header:
                return "strava", name
            if "Activity Type" in header and "Date" in header:
                return "garmin", name
        raise ImportFileError("import_unknown_format", path=name)
    if "activities.csv" in by_base and "Activity ID" in _csv_header(
        source, by_base["activities.csv"]
    ):
        return "strava", by_base["activities.csv"]
    if "export.xml" in by_base:
        return "apple_health", by_base["export.xml"]
    for name in names:
        if name.lower().endswith(".csv"):
            header = _csv_header(source, name)
            if "Activity Type" in header and "Date" in header:
                return "garmin", name
            if tuple(header) == EXPORT_COLUMNS:
                return "own_csv", name
    if any(track_kind(name) for name in names):
        return "tracks", None
    raise ImportFileError("import_unknown_format", path=source.path.name)


def _main_file(names: list[str], wanted: str, fallback_suffix: str) -> str:
    for name in sorted(names, key=len):
        if PurePosixPath(name).name.lower() == wanted:
            return name
    for name in sorted(names, key=len):
        if name.lower().endswith(fallback_suffix):
            return name
    raise ImportFileError("import_missing_file", file=wanted)


def read_export(
    path: Path, fmt: str, tz: tzinfo, *, imperial: bool = False
) -> Iterator[Found | Record]:
    """Yield what a file, folder or zip holds, in the given or detected format."""
    with ExitStack() as stack:
        source = Source_(path)
        stack.callback(source.close)
        names = source.names()
        main: str | None
        if fmt == "auto":
            fmt, main = _detect(source, names)
        elif fmt in {"strava", "garmin"}:
            main = _main_file(names, "activities.csv", ".csv")
        elif fmt == "apple_health":
            main = _main_file(names, "export.xml", ".xml")
        else:
            main = None
        if fmt == "strava":
            assert main is not None
            yield from read_strava(source, main)
        elif fmt == "garmin":
            assert main is not None
            yield from read_garmin(source, main, tz, imperial=imperial)
        elif fmt == "apple_health":
            assert main is not None
            yield from read_apple_health(source, main)
        elif fmt == "own_csv":
            assert main is not None
            yield from read_own_csv(source, main)
        elif fmt == "own_json":
            assert main is not None
            yield from read_own_json(source, main)
        else:
            wanted = None if fmt == "tracks" else fmt
            tracks = [
                n for n in names if (kind := track_kind(n)) and wanted in (None, kind)
            ]
            if not tracks:
                raise ImportFileError("import_unknown_format", path=path.name)
            for name in tracks:
                yield from read_track(source, name)


# Export ----------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def export_rows(
    sessions: Iterable[Session], moods: Iterable[MoodEntry], plans: Iterable[Plan]
) -> Iterator[tuple[str, ...]]:
    """Yield the rows of a CSV export, header first; floats keep every digit."""
    yield EXPORT_COLUMNS
    for s in sessions:
        yield tuple(
            _cell(v)
            for v in (
                "session",
                s.id,
                s.activity.value,
                s.start.isoformat(),
                s.duration,
                s.distance,
                None,
                s.mood_before,
                s.mood_after,
                s.effort,
                s.note,
                s.source.value,
            )
        )
    for m in moods:
        yield (
            "mood", m.id, "", m.time.isoformat(), "", "", str(m.mood),
            "", "", "", _cell(m.note), "",
        )  # fmt: skip
    for p in plans:
        yield (
            "plan", p.id, "", p.start.isoformat(), _cell(p.duration), "", "",
            "", "", "", _cell(p.note), "",
        )  # fmt: skip


def write_export(
    path: Path,
    fmt: str,
    sessions: list[Session],
    moods: list[MoodEntry],
    plans: list[Plan],
) -> None:
    """Write an export atomically: a half-written file never replaces a good one."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        with temp.open("w", encoding="utf-8", newline="") as file:
            if fmt == "json":
                json.dump(
                    {
                        "format": JSON_FORMAT,
                        "version": JSON_VERSION,
                        "exported": datetime.now(UTC).isoformat(),
                        "sessions": [s.as_dict() for s in sessions],
                        "moods": [m.as_dict() for m in moods],
                        "plans": [p.as_dict() for p in plans],
                    },
                    file,
                    ensure_ascii=False,
                    indent=1,
                )
            else:
                csv.writer(file).writerows(export_rows(sessions, moods, plans))
            file.flush()
            os.fsync(file.fileno())
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


@dataclass(slots=True)
class ImportResult:
    """What an import found, after duplicates and impossible records were set aside."""

    sessions: list[Session]
    moods: list[MoodEntry]
    plans: list[Plan]
    duplicates: int
    skipped: int


def collect(
    records: Iterable[Found | Record],
    existing: Iterable[Session],
    existing_ids: set[str],
    *,
    new_id: Callable[[], str],
    earliest: datetime,
    latest: datetime,
    max_duration: float,
    max_distance: float,
    window: timedelta = timedelta(minutes=2),
) -> ImportResult:
    """Turn what was read into new records, setting aside duplicates.

    A duplicate is a session of the same activity starting within `window`
    of an existing one or of one earlier in the same import, or a record
    whose id is already kept. A record that cannot be a session (outside
    the allowed dates, longer than a day) is skipped.
    """
    starts: dict[Activity, list[float]] = {}
    for session in existing:
        starts.setdefault(session.activity, []).append(session.start_ts)
    for values in starts.values():
        values.sort()
    seen = set(existing_ids)
    span = window.total_seconds()
    result = ImportResult([], [], [], 0, 0)
    for record in records:
        if isinstance(record, MoodEntry | Plan):
            moment = record.time if isinstance(record, MoodEntry) else record.start
            if record.id in seen:
                result.duplicates += 1
            elif isinstance(record, MoodEntry) and not earliest <= moment <= latest:
                result.skipped += 1
            else:
                seen.add(record.id)
                if isinstance(record, MoodEntry):
                    result.moods.append(record)
                else:
                    result.plans.append(record)
            continue
        if isinstance(record, Found):
            session = Session(
                id=new_id(),
                start=record.start,
                activity=record.activity,
                duration=record.duration,
                distance=record.distance,
                source=Source.IMPORT,
            )
        else:
            session = record
        if session.id in seen:
            result.duplicates += 1
            continue
        if (
            not earliest <= session.start <= latest
            or (session.duration is not None and session.duration > max_duration)
            or (session.distance is not None and session.distance > max_distance)
        ):
            result.skipped += 1
            continue
        times = starts.setdefault(session.activity, [])
        ts = session.start_ts
        at = bisect_left(times, ts - span)
        if at < len(times) and times[at] <= ts + span:
            result.duplicates += 1
            continue
        insort(times, ts)
        seen.add(session.id)
        result.sessions.append(session)
    result.sessions.sort(key=lambda s: s.start_ts)
    return result
