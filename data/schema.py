"""The one place that names every field, dtype and allowed value.

Every other module imports column names and allowed values from here; no
column name is spelled as a string literal anywhere else. ``SCHEMA.md`` at
the repository root documents the same fields for users.

Record kinds
------------
incidents   shootings (one row per event)
evidence    items entered into NIBIN: scene casings and test fires
firearms    recovered guns
links       ballistic associations (incident-incident, or incident-firearm
            when the far side is a test fire)
boundaries  city limits, police districts, neighbourhoods (polygons)

Conventions
-----------
* Ids are strings, trimmed, leading zeros kept.
* Times are stored in UTC (``datetime64[ns, UTC]``); each city's IANA time
  zone comes from :mod:`geo.cities` (or the ``time_zone`` column for a city
  that is not in the registry), and filters work on the local date.
* Coordinates are WGS84 longitude/latitude (EPSG:4326).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

STORAGE_CRS = "EPSG:4326"

# ---------------------------------------------------------------- kinds
INCIDENTS = "incidents"
EVIDENCE = "evidence"
FIREARMS = "firearms"
LINKS = "links"
BOUNDARIES = "boundaries"
KINDS: tuple[str, ...] = (INCIDENTS, LINKS, EVIDENCE, FIREARMS, BOUNDARIES)

# ---------------------------------------------------------------- allowed values
INCIDENT_TYPES: tuple[str, ...] = ("homicide", "non_fatal_shooting", "shots_fired", "gunfire_alert")
INCIDENT_TYPE_LABELS: dict[str, str] = {
    "homicide": "Homicide",
    "non_fatal_shooting": "Non-fatal shooting",
    "shots_fired": "Shots fired / no injury",
    "gunfire_alert": "Gunfire alert",
}
LINK_STATUSES: tuple[str, ...] = ("lead", "hit", "pending", "excluded")
LINK_STATUS_LABELS: dict[str, str] = {
    "lead": "NIBIN lead (unconfirmed, investigative only)",
    "hit": "Hit (examiner-confirmed)",
    "pending": "Pending review",
    "excluded": "Excluded / not confirmed",
}
DEFAULT_LINK_STATUSES: tuple[str, ...] = ("lead", "hit")
# strongest first: where link rows disagree (merged duplicates, a pair's edge), the earliest here wins
STATUS_ORDER: tuple[str, ...] = ("hit", "lead", "pending", "excluded")
# rank of each status, higher = stronger (excluded 0 ... hit 3)
STATUS_RANK: dict[str, int] = {status: len(STATUS_ORDER) - 1 - i for i, status in enumerate(STATUS_ORDER)}
EVIDENCE_KINDS: tuple[str, ...] = ("casing", "test_fire")
BOUNDARY_LAYERS: tuple[str, ...] = ("city_limits", "police_districts", "neighbourhoods")
UNKNOWN_CALIBER = "unknown/other"
SEVERITIES: tuple[str, ...] = ("error", "warning")

LEAD_DISCLAIMER = (
    "A NIBIN lead is an unconfirmed investigative association, not an identification. "
    "Only hits are confirmed by a firearms examiner."
)
SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA - not real incidents or NIBIN links"

# ---------------------------------------------------------------- incident columns
INCIDENT_ID = "incident_id"
CITY = "city"
STATE = "state"
OCCURRED_AT = "occurred_at"
LATITUDE = "latitude"
LONGITUDE = "longitude"
LOCATION = "location"  # input only: "(lat, lon)", "[lat, lon]" or WKT "POINT (lon lat)"
INCIDENT_TYPE = "incident_type"
KILLED = "killed"
INJURED = "injured"
AGENCY = "agency"
CASE_NUMBER = "case_number"
ADDRESS = "address"
NARRATIVE = "narrative"
DISTRICT = "district"
NEIGHBOURHOOD = "neighbourhood"
TIME_ZONE = "time_zone"
IS_SYNTHETIC = "is_synthetic"
SOURCE_IMPORT_ID = "import_id"

# derived at load time (never imported): see data.frames
LOCAL_DATE = "local_date"  # datetime64[ns], midnight of the local calendar date
LOCAL_TIME = "local_time"  # datetime64[ns], naive local wall-clock time
CALIBER = "caliber"  # per incident: its casings' most frequent caliber, else its links', else UNKNOWN_CALIBER
FAR_FROM_CITY = "far_from_city"  # bool: the import warned the point lies outside its city

# ---------------------------------------------------------------- evidence columns
EVIDENCE_ID = "evidence_id"
EVIDENCE_KIND = "evidence_kind"
FIREARM_ID = "firearm_id"
ENTERED_AT = "entered_at"

# ---------------------------------------------------------------- firearm columns
MAKE = "make"
MODEL = "model"
SERIAL_NUMBER = "serial_number"
RECOVERED_AT = "recovered_at"

# ---------------------------------------------------------------- link columns
LINK_ID = "link_id"
INCIDENT_A = "incident_a"
INCIDENT_B = "incident_b"
EVIDENCE_A = "evidence_a"
EVIDENCE_B = "evidence_b"
STATUS = "status"
LEAD_NUMBER = "lead_number"
LEAD_DATE = "lead_date"
CONFIRMED_DATE = "confirmed_date"
SITE = "site"
ASSOCIATION_COUNT = "association_count"
NOTE = "note"

# ---------------------------------------------------------------- boundary columns
BOUNDARY_ID = "boundary_id"
NAME = "name"
LAYER = "layer"
GEOMETRY = "geometry"

# ---------------------------------------------------------------- series (derived by linking.series)
SERIES_ID = "series_id"  # on incidents: the series an incident belongs to (<NA> when unlinked)
SERIES_SIZE = "series_size"  # number of incidents
SERIES_LEADS = "leads"  # links with status lead in the series
SERIES_HITS = "hits"  # links with status hit
FIRST_DATE = "first_date"  # local date of the first shooting
LAST_DATE = "last_date"  # local date of the last shooting
SPAN_DAYS = "span_days"
SPAN_KM = "span_km"  # largest distance between two incidents, measured in a projected CRS
CITIES = "cities"  # "; "-joined sorted city names
AGENCIES = "agencies"
CROSS_CITY = "cross_city"  # bool: more than one city
CROSS_AGENCY = "cross_agency"
HAS_FIREARM = "has_firearm"  # bool: a recovered firearm's test fire links into the series
FIREARM_IDS = "firearm_ids"
DAYS_SINCE_LAST = "days_since_last"  # days from the last shooting to the reference date
INCIDENT_PATH = "incident_path"  # incident ids in time order, "; "-joined

# ---------------------------------------------------------------- field declarations
DType = Literal["string", "category", "datetime", "date", "float", "int", "bool", "geometry"]


@dataclass(frozen=True)
class Field:
    """One column of one record kind.

    Parameters
    ----------
    name : str
        Column name in frames, in the store and in mapping files.
    dtype : DType
        Logical type; readers parse source text into it.
    required : bool
        A row without a value here is rejected.
    allowed : tuple of str, optional
        The only values accepted (after the mapping's ``[values]`` table).
    sensitive : bool
        Left out of exports and hidden on screen unless asked for.
    description : str
        One line for SCHEMA.md and error messages.
    """

    name: str
    dtype: DType
    required: bool = False
    allowed: tuple[str, ...] | None = None
    sensitive: bool = False
    description: str = ""


@dataclass(frozen=True)
class RecordSchema:
    """All fields of one record kind, with its id column."""

    kind: str
    id_field: str
    fields: tuple[Field, ...] = field(default_factory=tuple)

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in declaration order."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        """Return the declaration of ``name``; raise ``KeyError`` naming the kind."""
        for declared in self.fields:
            if declared.name == name:
                return declared
        raise KeyError(f"{self.kind} has no field {name!r}; known fields: {', '.join(self.names)}")

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required fields."""
        return tuple(f.name for f in self.fields if f.required)

    @property
    def sensitive(self) -> tuple[str, ...]:
        """Names of the sensitive fields (left out of exports by default)."""
        return tuple(f.name for f in self.fields if f.sensitive)


INCIDENT_SCHEMA = RecordSchema(
    kind=INCIDENTS,
    id_field=INCIDENT_ID,
    fields=(
        Field(INCIDENT_ID, "string", True, description="Incident id (text; leading zeros kept)"),
        Field(CITY, "category", True, description="City name, e.g. Detroit"),
        Field(STATE, "string", description="Two-letter state code"),
        Field(OCCURRED_AT, "datetime", True, description="When it happened; stored in UTC"),
        Field(LATITUDE, "float", True, description="WGS84 latitude, -90..90"),
        Field(LONGITUDE, "float", True, description="WGS84 longitude, -180..180"),
        Field(INCIDENT_TYPE, "category", True, INCIDENT_TYPES, description="Kind of shooting"),
        Field(KILLED, "int", description="Number killed (default 0)"),
        Field(INJURED, "int", description="Number injured (default 0)"),
        Field(AGENCY, "string", description="Agency ORI code"),
        Field(CASE_NUMBER, "string", description="Agency case number"),
        Field(ADDRESS, "string", sensitive=False, description="Block-level address"),
        Field(NARRATIVE, "string", sensitive=True, description="Free-text narrative (sensitive)"),
        Field(DISTRICT, "string", description="Police district"),
        Field(NEIGHBOURHOOD, "string", description="Neighbourhood"),
        Field(TIME_ZONE, "string", description="IANA time zone, for a city outside the registry"),
        Field(IS_SYNTHETIC, "bool", description="True for generated demo data"),
    ),
)

EVIDENCE_SCHEMA = RecordSchema(
    kind=EVIDENCE,
    id_field=EVIDENCE_ID,
    fields=(
        Field(EVIDENCE_ID, "string", True, description="Exhibit id"),
        Field(EVIDENCE_KIND, "category", True, EVIDENCE_KINDS, description="casing or test_fire"),
        Field(INCIDENT_ID, "string", description="Incident the casing came from"),
        Field(FIREARM_ID, "string", description="Firearm the test fire came from"),
        Field(CALIBER, "string", description="Caliber, e.g. 9mm Luger"),
        Field(ENTERED_AT, "datetime", description="NIBIN entry date"),
        Field(IS_SYNTHETIC, "bool", description="True for generated demo data"),
    ),
)

FIREARM_SCHEMA = RecordSchema(
    kind=FIREARMS,
    id_field=FIREARM_ID,
    fields=(
        Field(FIREARM_ID, "string", True, description="Firearm id"),
        Field(MAKE, "string", description="Make"),
        Field(MODEL, "string", description="Model"),
        Field(CALIBER, "string", description="Caliber"),
        Field(SERIAL_NUMBER, "string", sensitive=True, description="Serial number (sensitive)"),
        Field(RECOVERED_AT, "datetime", description="Recovery date-time, UTC"),
        Field(CITY, "category", description="City of recovery"),
        Field(LATITUDE, "float", description="Recovery latitude"),
        Field(LONGITUDE, "float", description="Recovery longitude"),
        Field(AGENCY, "string", description="Recovering agency"),
        Field(IS_SYNTHETIC, "bool", description="True for generated demo data"),
    ),
)

LINK_SCHEMA = RecordSchema(
    kind=LINKS,
    id_field=LINK_ID,
    fields=(
        Field(LINK_ID, "string", True, description="Link id (derived from lead number and pair if absent)"),
        Field(INCIDENT_A, "string", True, description="One incident (or resolved from evidence_a)"),
        Field(INCIDENT_B, "string", description="Other incident (empty for a test-fire link)"),
        Field(FIREARM_ID, "string", description="Firearm, when the far side is a test fire"),
        Field(EVIDENCE_A, "string", description="Evidence id on side A"),
        Field(EVIDENCE_B, "string", description="Evidence id on side B"),
        Field(STATUS, "category", True, LINK_STATUSES, description="lead, hit, pending or excluded"),
        Field(LEAD_NUMBER, "string", description="NIBIN lead number"),
        Field(LEAD_DATE, "date", description="Date the lead was issued"),
        Field(CONFIRMED_DATE, "date", description="Date an examiner confirmed the hit"),
        Field(SITE, "string", description="NIBIN site that produced the lead"),
        Field(
            CALIBER, "string",
            description="Caliber named by the lead report, e.g. 9mm Luger; the incidents' caliber when no "
            "casing gives one",
        ),
        Field(ASSOCIATION_COUNT, "int", description="Evidence-pair associations merged into this link"),
        Field(NOTE, "string", description="Free-text note"),
        Field(IS_SYNTHETIC, "bool", description="True for generated demo data"),
    ),
)

BOUNDARY_SCHEMA = RecordSchema(
    kind=BOUNDARIES,
    id_field=BOUNDARY_ID,
    fields=(
        Field(BOUNDARY_ID, "string", True, description="Derived: layer/city/name"),
        Field(NAME, "string", True, description="Area name"),
        Field(CITY, "category", description="City the area belongs to"),
        Field(LAYER, "string", True, description="city_limits, police_districts, neighbourhoods, ..."),
        Field(GEOMETRY, "geometry", True, description="Polygon or MultiPolygon, stored in EPSG:4326"),
    ),
)

SCHEMAS: dict[str, RecordSchema] = {
    INCIDENTS: INCIDENT_SCHEMA,
    EVIDENCE: EVIDENCE_SCHEMA,
    FIREARMS: FIREARM_SCHEMA,
    LINKS: LINK_SCHEMA,
    BOUNDARIES: BOUNDARY_SCHEMA,
}

# Rejects report columns (data.validation writes it; the UI shows it)
REJECT_ROW = "row"
REJECT_FIELD = "field"
REJECT_VALUE = "value"
REJECT_REASON = "reason"
REJECT_SEVERITY = "severity"
REJECT_COLUMNS: tuple[str, ...] = (REJECT_ROW, REJECT_FIELD, REJECT_VALUE, REJECT_REASON, REJECT_SEVERITY)

# ---------------- more series columns (derived by linking.series)
SERIES_PENDING = "pending"  # links with status pending in the series (when the filter counts them)
SERIES_EXCLUDED = "excluded"  # links with status excluded in the series (when the filter counts them)
HIT_PARTS = "hit_parts"  # pieces the series falls into when only hits count (1 = hits alone hold it)
HIT_SERIES_ID = "hit_series_id"  # on incidents: the series when only hits count (<NA> if no hit)
IN_FILTER = "in_filter"  # on incidents: matches the filter itself; on series: how many of its shootings do
MERGED_INTO = "merged_into"  # a retired series id: the series it now belongs to

# ---------------- network measures (derived by linking.metrics)
DEGREE = "degree"  # linked incidents next to this one
LEAD_DEGREE = "lead_degree"
HIT_DEGREE = "hit_degree"
BETWEENNESS = "betweenness"  # share of shortest paths inside its series passing through it (0..1)
IS_ARTICULATION = "is_articulation"  # removing it splits its series (a bridging incident)
SHOOTINGS = "shootings"  # per city: incidents in the filter
LINKED_SHOOTINGS = "linked_shootings"  # per city: incidents in a series
SHARE_LINKED = "share_linked"  # linked_shootings / shootings (0..1)
LINK_COUNT = "links"  # per city: incident pairs touching the city (lead or hit ...)
LEADS_PER_100 = "leads_per_100"  # link_count per 100 shootings
SERIES_COUNT = "series_count"  # per city: series with an incident in the city
MEDIAN_SERIES_SIZE = "median_series_size"

# ---------------- lead events: each link's append-only history (data.lead_events, SCHEMA.md "Lead events")
LINK_EVENTS = "link_events"  # table name
EVENT_ID = "event_id"  # integer, in recording order
EVENT = "event"  # one of EVENT_KINDS
EVENT_STATUS = "event_status"  # the status the event asserts (imported: the file's; confirmed: hit; ...)
EVENT_DATE = "event_date"  # YYYY-MM-DD: when it happened (dissemination date, confirmation date, ...)
RECORDED_AT = "recorded_at"  # UTC ISO time the event was written
EVENT_BY = "event_by"  # who: analyst, examiner, or the import
EVENT_TO = "event_to"  # disseminated to: agency, unit or investigator
EVENT_NOTE = "event_note"  # exclusion reason or free text
EVENT_FILE = "file_name"  # imported: the file
EVENT_KINDS: tuple[str, ...] = ("imported", "reviewed", "disseminated", "confirmed", "excluded", "note")
ANALYST_EVENT_KINDS: tuple[str, ...] = EVENT_KINDS[1:]
EVENT_STATUS_OF: dict[str, str] = {"confirmed": "hit", "excluded": "excluded"}  # events that set status
OPEN_LEAD_STATUSES: tuple[str, ...] = ("lead", "pending")  # a lead in the queue until disseminated
# derived per lead by linking.leads (one row per NIBIN lead on one pair; see README "Lead desk")
LINK_IDS = "link_ids"  # the link rows of one lead, "; "-joined
LATER_INCIDENT = "later_incident_id"  # the later shooting of the pair: the shooting of the lead
SHOOTING_DATE = "shooting_date"  # local calendar date of the later shooting
ENTRY_DATE = "entry_date"  # local date its casing was entered into NIBIN
DISSEMINATED_DATE = "disseminated_date"  # first disseminated event
DISSEMINATED_TO = "disseminated_to"
CONFIRMED_ON = "confirmed_on"  # confirmed_date, else the first confirmed event
IS_OPEN = "is_open"  # lead or pending, not yet disseminated, not decided
LEAD_AGE_DAYS = "lead_age_days"  # days from lead_date to the reference date
SCORE = "score"  # triage score (linking.triage)
SCORE_COMPONENTS = "score_components"
