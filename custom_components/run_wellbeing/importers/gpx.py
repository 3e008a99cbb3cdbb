"""GPX tracks: one activity per track, first to last point, distances summed.

The file is read in chunks. Each chunk is checked by expat (well formed, no
entity declarations) and, for the common shape (one track, one segment,
plain markup), scanned with regular expressions: a Strava export holds
thousands of GPX files with a point a second. Anything unusual (namespaced
tags, comments, several tracks) is read again with expat callbacks.
Strava writes numeric type codes (`vocab.STRAVA_GPX_CODES`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
import math
import re
from xml.parsers import expat

from ..core.models import Activity
from .base import (
    LIMIT_TRACK,
    ExportSource,
    Found,
    bad_element,
    bad_file,
    bad_line,
    chunks,
    entities,
    map_activity,
    positive,
    xml_time,
)
from .vocab import STRAVA_GPX_CODES

_EARTH_RADIUS_M = 6_371_008.8
_MAX_CARRY = 4 << 20
_RAD = math.pi / 180
_SHORT = 0.01  # radians (64 km): longer steps are measured with the haversine
_RESCALE = 2e-5  # radians of latitude (130 m) before the cosine is recomputed


def _haversine_rad(p1: float, l1: float, p2: float, l2: float) -> float:
    """Return the central angle between two points given in radians."""
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin((l2 - l1) / 2) ** 2
    )
    return 2 * math.asin(min(1.0, math.sqrt(h)))


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the distance in metres between two points on the Earth."""
    return _EARTH_RADIUS_M * _haversine_rad(
        lat1 * _RAD, lon1 * _RAD, lat2 * _RAD, lon2 * _RAD
    )


def gpx_activity(text: str | None) -> Activity:
    """Return the activity of a GPX `<type>`: a name or a Strava code."""
    text = (text or "").strip()
    if text.isdigit():
        return STRAVA_GPX_CODES.get(text.lstrip("0") or "0", Activity.OTHER)
    return map_activity(text)


class _RefuseError(Exception):
    """An entity declaration was met."""


def _refuse_entities(*_args: object) -> int:
    raise _RefuseError


def checked_parser(name: str) -> expat.XMLParserType:
    """Return an expat parser that refuses entity declarations and references."""
    parser = expat.ParserCreate()
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.ExternalEntityRefHandler = _refuse_entities
    return parser


def feed(
    parser: expat.XMLParserType, name: str, data: bytes, *, final: bool = False
) -> None:
    """Feed expat a chunk, turning its errors into refusals naming the file."""
    try:
        parser.Parse(data, final)
    except _RefuseError as err:
        raise entities(name) from err
    except expat.ExpatError as err:
        raise bad_line(name, err.lineno) from err


_POINT = re.compile(rb'<trkpt\s+lat="([^"]*)"\s+lon="([^"]*)"\s*/?>')
_TIME = re.compile(rb"<time>([^<]*)</time>")
_TYPE = re.compile(rb"<type>([^<]*)</type>")


@dataclass(slots=True)
class _Scan:
    tracks: int = 0
    segments: int = 0
    points: int = 0
    unusual: bool = False
    kind: bytes | None = None
    first: bytes | None = None
    last: bytes | None = None
    previous: tuple[float, float] | None = None  # radians
    scale: float = 1.0  # cosine of the latitude `scaled_at`
    scaled_at: float = 10.0  # radians; 10 is no latitude: compute first
    distance: float = 0.0

    def _walk(self, points: list[tuple[bytes, bytes]]) -> float:
        """Return the metres walked through `points` after the previous one.

        Steps are short (a point a second), so each is measured on the plane
        tangent at its mid latitude, as gpxpy does; that latitude's cosine
        is computed again only when it has moved by 2e-5 rad, 130 m (an
        error below 0.01 % short of 80 degrees). A step longer than 0.01 rad
        (64 km) is measured with the haversine. This loop is most of the time a Strava export takes.
        """
        previous = self.previous
        scale, scaled_at = self.scale, self.scaled_at
        total = 0.0
        hypot, cos = math.hypot, math.cos
        for lat_text, lon_text in points:
            lat = float(lat_text) * _RAD
            lon = float(lon_text) * _RAD
            if previous is not None:
                d_lat = lat - previous[0]
                d_lon = lon - previous[1]
                if -_SHORT < d_lat < _SHORT and -_SHORT < d_lon < _SHORT:
                    middle = lat - d_lat / 2
                    if not -_RESCALE < middle - scaled_at < _RESCALE:
                        scale, scaled_at = cos(middle), middle
                    total += hypot(d_lat, d_lon * scale)
                else:
                    total += _haversine_rad(previous[0], previous[1], lat, lon)
            previous = (lat, lon)
        self.previous = previous
        self.scale, self.scaled_at = scale, scaled_at
        return total * _EARTH_RADIUS_M

    def region(self, data: bytes) -> None:
        """Read a piece of the file that ends just before a start tag."""
        self.tracks += data.count(b"<trk>") + data.count(b"<trk ")
        self.segments += data.count(b"<trkseg")
        if b"<!--" in data or b"<![CDATA[" in data or self.tracks > 1:
            self.unusual = True
            return
        if self.kind is None and (kind := _TYPE.search(data)):
            self.kind = kind.group(1)
        body = 0 if self.points else data.find(b"<trkpt")
        points = _POINT.findall(data)
        count = len(points)
        if points:
            self.distance += self._walk(points)
        if count != data.count(b"<trkpt"):
            self.unusual = True
            return
        self.points += count
        if body >= 0 and self.points:
            times = _TIME.findall(data, body)
            if times:
                self.first = self.first or times[0]
                self.last = times[-1]


def _cut(buffer: bytes) -> int:
    """Return where a buffer can be cut: before its last start tag."""
    at = buffer.rfind(b"<")
    while at > 0 and buffer[at + 1 : at + 2] == b"/":
        at = buffer.rfind(b"<", 0, at)
    if at <= 0 and len(buffer) > _MAX_CARRY:
        return len(buffer)
    return max(at, 0)


def _scan(source: ExportSource, name: str) -> Found | None:
    """Read the common GPX shape; None when the callbacks must read it."""
    checker = checked_parser(name)
    scan = _Scan()
    buffer = b""
    with source.open(name, LIMIT_TRACK) as stream:
        for data in chunks(stream):
            feed(checker, name, data)
            if scan.unusual:
                continue
            buffer += data
            at = _cut(buffer)
            region, buffer = buffer[:at], buffer[at:]
            try:
                scan.region(region)
            except ValueError:
                scan.unusual = True  # the callbacks name the point that is wrong
        feed(checker, name, b"", final=True)
    if not scan.unusual:
        try:
            scan.region(buffer)
        except ValueError:
            scan.unusual = True
    if scan.unusual or scan.tracks != 1 or scan.segments != 1 or scan.first is None:
        return None
    assert scan.last is not None
    try:
        first = xml_time(scan.first.decode())
        last = xml_time(scan.last.decode())
    except ValueError, UnicodeDecodeError:
        return None
    return Found(
        first,
        gpx_activity(scan.kind.decode(errors="replace") if scan.kind else None),
        positive((last - first).total_seconds()),
        scan.distance,
        name,
    )


class _Callbacks:
    """Expat callbacks that follow a GPX file's tracks (any shape)."""

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
                self.distance += haversine(previous[0], previous[1], lat, lon)
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
        if self._text is not None and len(self._text) < 64:
            self._text.append(text)

    def end(self, tag: str) -> None:
        if self._text is not None:
            text = "".join(self._text).strip()
            self._text = None
            if self._field == "time":
                self.first = self.first or text
                self.last = text
            else:
                self.activity = gpx_activity(text)
            return
        tag = tag.rpartition(":")[2]
        if tag == "trkpt":
            self._in_point = False
        elif tag == "trk" and self.first is not None and self.last is not None:
            try:
                first = xml_time(self.first)
                last = xml_time(self.last)
            except ValueError as err:
                raise bad_element(self.name, "trkpt", self.points) from err
            self.found.append(
                Found(
                    first,
                    self.activity,
                    positive((last - first).total_seconds()),
                    self.distance,
                    self.name,
                    self.tracks,
                )
            )


def read_gpx(source: ExportSource, name: str) -> Iterator[Found]:
    """Yield one activity per track of a GPX file."""
    if (fast := _scan(source, name)) is not None:
        yield fast
        return
    reader = _Callbacks(name)
    parser = checked_parser(name)
    parser.buffer_text = True
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.data
    with source.open(name, LIMIT_TRACK) as stream:
        for data in chunks(stream):
            feed(parser, name, data)
        feed(parser, name, b"", final=True)
    if not reader.tracks or not reader.found:
        raise bad_file(name)
    yield from reader.found


def prescan_gpx(head: bytes) -> tuple[datetime, Activity] | None:
    """Return a GPX file's start and type from its first bytes, if they hold them."""
    body = head.find(b"<trkpt")
    if body < 0 or (time := _TIME.search(head, body)) is None:
        return None
    kind = _TYPE.search(head, 0, body)
    try:
        start = xml_time(time.group(1).decode())
    except ValueError, UnicodeDecodeError:
        return None
    return start, gpx_activity(kind.group(1).decode(errors="replace") if kind else None)
