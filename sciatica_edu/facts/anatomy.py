"""Anatomy facts from ``data/``: body regions, movements, reflexes, nerve roots, disc rules.

Every file is validated on load by pydantic models (unknown keys, wrong types and ids that
do not resolve are errors), then exposed as frozen values. Facts carry source ids that
resolve in ``data/references.yaml``.

>>> compressed_roots("L4-L5", "paracentral")
('L5',)
>>> sorted(root("L5").dermatome)[:2]
['anterior_leg', 'big_toe']
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, model_validator

from sciatica_edu._errors import choose, pick, shown
from sciatica_edu.facts.loader import DataError, duplicate_ids, load_yaml

__all__ = [
    "CANONICAL_HOSTS",
    "PRIMARY_KINDS",
    "SIDES",
    "DataError",
    "Disagreement",
    "Movement",
    "Reference",
    "Reflex",
    "Region",
    "Root",
    "Zone",
    "cauda_equina_roots",
    "check_sources",
    "compressed_roots",
    "disagreements",
    "is_canonical",
    "movement",
    "movements",
    "parse_data",
    "patient_sources",
    "reference",
    "references",
    "reflex",
    "reflexes",
    "region",
    "regions",
    "root",
    "roots",
    "roots_below",
    "zone",
    "zones",
]

SIDES = ("left", "right")


M = TypeVar("M", bound=BaseModel)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


SourceKind = Literal[
    "guideline",
    "systematic review",
    "trial",
    "cohort",
    "narrative review",
    "standard",
    "textbook",
    "official patient information",
    "secondary",
]
#: Kinds of source that may support a statement a patient reads (``secondary`` never may alone).
PRIMARY_KINDS = tuple(k for k in get_args(SourceKind) if k != "secondary")


#: Hosts a displayed source link may point to: DOI and PubMed/PMC, publishers, guideline and standards bodies,
#: national health services. A link anywhere else (a blog, a mirror, a syndicated copy) is refused at load.
CANONICAL_HOSTS = (
    "doi.org", "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov",
    # guideline, standards and government bodies
    "nice.org.uk", "gov.uk", "gov.scot", "ahrq.gov", "asia-spinalinjury.org", "gettingitrightfirsttime.co.uk",
    # national health services
    "nhs.uk", "nhs.scot", "nhsinform.scot", "nhsinform.co.uk", "nhslothian.scot", "hscni.net",
    # publishers and journals
    "bmj.com", "nejm.org", "acpjournals.org", "annals.org", "cochranelibrary.com", "statpearls.com", "lww.com",
    "springer.com", "biomedcentral.com", "springeropen.com", "nature.com", "wiley.com", "elsevier.com",
    "sciencedirect.com", "thespinejournalonline.com", "ajemjournal.com", "jospt.org", "plos.org",
    "plosone.org", "msdmanuals.com", "tandfonline.com", "taylorfrancis.com", "sagepub.com", "oup.com",
    "jmir.org", "thieme-connect.com", "karger.com", "mdpi.com", "frontiersin.org", "jamanetwork.com",
    "aafp.org", "ijssurgery.com", "e-hipandpelvis.org", "hipandpelvis.or.kr", "archivesofphysiotherapy.com",
    "ajnr.org", "nmji.in", "jssm.org", "sciendo.com", "aaos.org", "scholars.northwestern.edu",
    "scielo.br", "surgicalneurologyint.com", "brieflands.com",
    "futuremedicine.com",
)


def is_canonical(url: str) -> bool:
    """True when ``url`` is on one of :data:`CANONICAL_HOSTS` (or a subdomain of one)."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in CANONICAL_HOSTS)


class Reference(_Frozen):
    """One source: its citation, its kind, and its canonical identifiers (DOI, PMID, PMCID or the address of the
    publisher, guideline body or health service). ``read_at`` (where a copy was read) is provenance, never shown."""

    id: str = Field(pattern=r"^S\d+[a-z]?$")
    citation: str = Field(min_length=10)
    year: int | None = Field(default=None, ge=1900, le=2100)
    kind: SourceKind
    secondary_type: str | None = None
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    pmid: str | None = Field(default=None, pattern=r"^\d{5,9}$")
    pmcid: str | None = Field(default=None, pattern=r"^PMC\d+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    read_at: tuple[str, ...] = ()
    evidence: str | None = None
    note: str | None = None
    #: A book or chapter whose title or authors were never confirmed (no identifier, no findable citation): kept as
    #: a lead for the team, but a reader could not look it up, so it supports nothing a patient reads on its own.
    unidentified: bool = False

    @model_validator(mode="after")
    def _secondary_says_what(self) -> Reference:
        if (self.kind == "secondary") != (self.secondary_type is not None):
            raise ValueError(f"{self.id}: secondary_type goes with kind 'secondary' (and only with it)")
        if self.url is not None and not is_canonical(self.url):
            raise ValueError(f"{self.id}: url {self.url[:60]!r} is not a publisher, guideline body or health service; "
                             "keep a copy's address under read_at")
        return self

    @property
    def primary(self) -> bool:
        """True when this source may support a statement a patient reads on its own: a primary kind, and a source a
        reader can find (not ``unidentified``)."""
        return self.kind in PRIMARY_KINDS and not self.unidentified

    @property
    def link(self) -> str | None:
        """The one address shown for this source: its DOI, else PubMed, else PMC, else its canonical url."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.pmcid:
            return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/"
        return self.url


class Region(_Frozen):
    """A body region: ``id`` from the fixed vocabulary, plain ``label``, anatomical ``term``."""

    id: str
    label: str
    term: str
    views: frozenset[Literal["front", "back"]]


class Movement(_Frozen):
    """A movement that may weaken; ``noticed_at`` is the region where a person notices it."""

    id: str
    label: str
    term: str
    test: str
    noticed_at: str


class Reflex(_Frozen):
    """A tendon reflex a clinician may test."""

    id: str
    label: str
    term: str


class AlsoReported(_Frozen):
    region: str
    sources: tuple[str, ...]
    note: str


class Root(_Frozen):
    """A nerve root and its typical territory (a teaching map: real patterns vary and overlap)."""

    name: str
    label: str
    usually_hit_by: str
    dermatome: frozenset[str] = Field(min_length=1)
    also_reported: tuple[AlsoReported, ...] = ()
    key_sensory_point: str
    key_sensory_description: str
    weakness: tuple[str, ...] = ()
    reflex: str | None = None
    other_reflexes: tuple[str, ...] = ()
    pain_course: tuple[str, ...] = Field(min_length=1)
    symptom_words: tuple[str, ...] = ()
    cramp_regions: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)

    @property
    def all_reflexes(self) -> tuple[str, ...]:
        """The usual reflex (if any) followed by those some sources add."""
        return ((self.reflex,) if self.reflex else ()) + self.other_reflexes


class Position(_Frozen):
    claim: str
    sources: tuple[str, ...] = Field(min_length=1)


class Disagreement(_Frozen):
    """Where sources disagree, and how this kit handles it."""

    id: str
    topic: str
    positions: tuple[Position, ...] = Field(min_length=2)
    handling: str


class Zone(_Frozen):
    """Where on the disc the bulge points (central, paracentral, foraminal, far lateral)."""

    id: str
    label: str
    description: str
    sources: tuple[str, ...] = Field(min_length=1)


class _Vocabulary(_Frozen):
    regions: tuple[Region, ...]
    movements: tuple[Movement, ...]
    reflexes: tuple[Reflex, ...]


class _RootsFile(_Frozen):
    roots: tuple[Root, ...]
    disagreements: tuple[Disagreement, ...]


class _DiscsFile(_Frozen):
    discs: tuple[str, ...]
    zones: tuple[Zone, ...]
    rules: dict[str, dict[str, tuple[str, ...]]]
    cauda_equina_roots: tuple[str, ...]

    @model_validator(mode="after")
    def _rules_complete(self) -> _DiscsFile:
        zone_ids = {z.id for z in self.zones}
        if set(self.rules) != set(self.discs):
            raise ValueError(f"rules must cover exactly the discs {self.discs}")
        for disc, by_zone in self.rules.items():
            if set(by_zone) != zone_ids:
                raise ValueError(f"rules for {disc} must cover exactly the zones {sorted(zone_ids)}")
        return self


class _ReferencesFile(BaseModel):
    model_config = ConfigDict(frozen=True)
    items: tuple[Reference, ...]


def parse_data(model: type[BaseModel], name: str, payload: object = None) -> BaseModel:
    """Validate ``data/<name>`` (or an already parsed ``payload``) with a pydantic ``model``.

    Schema errors become one ``DataError`` naming the file, so every data file reports the
    same way. Used by every module that owns a data file. The file itself is read by
    ``_data.load_yaml``, which refuses repeated keys, repeated ids (with their line) and unknown
    source ids; an id repeated in a ``payload`` given here is refused too (after the schema).
    """
    if payload is None:
        payload = load_yaml(name)
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        raise DataError(f"data/{name} does not match its schema:\n{exc}") from None
    repeated = duplicate_ids(payload)
    if repeated:
        raise DataError(f"data/{name} repeats ids: {', '.join(repeated[:5])}")
    return parsed


@cache
def _list_file(item: type[BaseModel], key: str) -> type[BaseModel]:
    """The schema of a data file that is one non-empty list of ``item`` entries under ``key`` (no other keys)."""
    field = (tuple[item, ...], Field(min_length=1))
    return create_model(f"{item.__name__}File", __config__=ConfigDict(frozen=True, extra="forbid"), **{key: field})


def parse_list(item: type[M], key: str, name: str, payload: object = None) -> tuple[M, ...]:
    """Validate ``data/<name>`` (or an already parsed ``payload``): a mapping whose only key ``key`` holds a
    non-empty list of ``item`` entries, each checked by ``item``'s schema (see :func:`parse_data`)."""
    return getattr(parse_data(_list_file(item, key), name, payload), key)


def check_sources(name: str, ids: Iterable[str]) -> None:
    """Raise a ``DataError`` if any source id cited in ``data/<name>`` is not in references.yaml."""
    refs = _anatomy().references
    missing = sorted({i for i in ids if i not in refs})
    if missing:
        raise DataError(f"data/{name} cites unknown sources: {missing}")


class _Anatomy:
    """All anatomy data, parsed and cross-checked once."""

    def __init__(self) -> None:
        refs = parse_data(_ReferencesFile, "references.yaml", {"items": load_yaml("references.yaml")})
        vocab = parse_data(_Vocabulary, "vocabulary.yaml")
        rootfile = parse_data(_RootsFile, "roots.yaml")
        discfile = parse_data(_DiscsFile, "discs.yaml")
        self.references = {r.id: r for r in refs.items}
        self.regions = {r.id: r for r in vocab.regions}
        self.movements = {m.id: m for m in vocab.movements}
        self.reflexes = {r.id: r for r in vocab.reflexes}
        self.roots = {r.name: r for r in rootfile.roots}
        self.disagreements = rootfile.disagreements
        self.discs = discfile.discs
        self.zones = {z.id: z for z in discfile.zones}
        self.rules = discfile.rules
        self.cauda_equina_roots = discfile.cauda_equina_roots
        self._check()

    def _check(self) -> None:
        problems: list[str] = []

        def need(ids, table, what, where):
            for i in ids:
                if i not in table:
                    problems.append(f"{where}: unknown {what} {i!r}")

        for m in self.movements.values():
            need([m.noticed_at], self.regions, "region", f"movement {m.id}")
        for r in self.roots.values():
            where = f"root {r.name}"
            need(r.dermatome, self.regions, "region", where)
            need([r.key_sensory_point], self.regions, "region", where)
            need(r.pain_course, self.regions, "region", where)
            need(r.cramp_regions, self.regions, "region", where)
            need(r.weakness, self.movements, "movement", where)
            need(r.all_reflexes, self.reflexes, "reflex", where)
            need(r.sources, self.references, "source", where)
            for extra in r.also_reported:
                need([extra.region], self.regions, "region", where)
                need(extra.sources, self.references, "source", where)
        for d in self.disagreements:
            for p in d.positions:
                need(p.sources, self.references, "source", f"disagreement {d.id}")
        for z in self.zones.values():
            need(z.sources, self.references, "source", f"zone {z.id}")
        for disc, by_zone in self.rules.items():
            for roots in by_zone.values():
                need(roots, self.roots, "root", f"disc rule {disc}")
        need(self.cauda_equina_roots, self.roots, "root", "cauda_equina_roots")
        if problems:
            raise DataError("data/ has ids that do not resolve:\n" + "\n".join(problems))


@cache
def _anatomy() -> _Anatomy:
    return _Anatomy()


def __getattr__(name: str):
    """``anatomy.DISCS`` and ``anatomy.ZONES``: read from data/discs.yaml on first use, not at import."""
    if name == "DISCS":
        return _anatomy().discs
    if name == "ZONES":
        return tuple(_anatomy().zones)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def roots() -> tuple[Root, ...]:
    """All roots, from the top of the spine down (L2 ... S5)."""
    return tuple(_anatomy().roots.values())


def root(name: str) -> Root:
    """One root by name, e.g. ``root("L5")``; unknown names raise a ValueError listing the allowed ones."""
    return pick(_anatomy().roots, name, "root")


def regions() -> tuple[Region, ...]:
    """All body regions, in the fixed vocabulary's order (back, then thigh, leg, ankle, foot)."""
    return tuple(_anatomy().regions.values())


def region(region_id: str) -> Region:
    """One region by id, e.g. ``region("dorsum_foot").label == "top of the foot"``."""
    return pick(_anatomy().regions, region_id, "region")


def movements() -> tuple[Movement, ...]:
    """All movements that a root lesion may weaken."""
    return tuple(_anatomy().movements.values())


def movement(movement_id: str) -> Movement:
    """One movement by id, e.g. ``movement("big_toe_extension").label == "lifting the big toe"``."""
    return pick(_anatomy().movements, movement_id, "movement")


def reflexes() -> tuple[Reflex, ...]:
    """The reflexes: knee, ankle, medial hamstring."""
    return tuple(_anatomy().reflexes.values())


def reflex(reflex_id: str) -> Reflex:
    """One reflex by id."""
    return pick(_anatomy().reflexes, reflex_id, "reflex")


def zones() -> tuple[Zone, ...]:
    """The disc zones, from the middle of the canal outwards."""
    return tuple(_anatomy().zones.values())


def zone(zone_id: str) -> Zone:
    """One zone by id."""
    return pick(_anatomy().zones, zone_id, "zone")


def compressed_roots(disc: str, zone: str) -> tuple[str, ...]:
    """The roots a bulge of ``disc`` in ``zone`` usually presses on, e.g. ``("L5",)`` for L4-L5 paracentral.

    Paracentral bulges press the traversing root (one level down); foraminal and far-lateral
    ones the exiting root; central ones several roots (see ``cauda_equina_roots`` for severe).
    """
    data = _anatomy()
    disc = choose(disc, data.discs, "disc")
    zone = choose(zone, data.zones, "zone")
    return data.rules[disc][zone]


def cauda_equina_roots() -> tuple[str, ...]:
    """The sacral roots that serve the saddle area, bladder and bowel (S2-S5): squeezed in cauda equina syndrome."""
    return _anatomy().cauda_equina_roots


def roots_below(disc: str) -> tuple[str, ...]:
    """Every root from the one a disc's bulge meets first down to S5, e.g. L4 ... S5 for L3-L4.

    A severe central bulge below the end of the spinal cord squeezes the whole bundle of roots
    (the cauda equina) at its level: every root that still runs down past the disc [S13, S13b, S30].
    """
    data = _anatomy()
    disc = choose(disc, data.discs, "disc")
    first = data.rules[disc]["paracentral"][0]  # the traversing root, one level down
    order = list(data.roots)
    return tuple(order[order.index(first):])


def disagreements() -> tuple[Disagreement, ...]:
    """Where the sources disagree (big toe L4/L5, dorsiflexion L4/L5, the L5 reflex, ...)."""
    return _anatomy().disagreements


def references() -> dict[str, Reference]:
    """Every source, by id."""
    return dict(_anatomy().references)


def reference(ref_id: str) -> Reference:
    """One source by id, e.g. ``reference("S20")`` (Lee, McPhee & Stringer 2008)."""
    table = _anatomy().references
    if not isinstance(ref_id, str) or ref_id not in table:
        raise ValueError(f"unknown reference {shown(ref_id)}; ids look like S20 and are listed in data/references.yaml")
    return table[ref_id]


def patient_sources(ids: Iterable[str]) -> tuple[str, ...]:
    """The source ids a patient may see for a statement cited with ``ids``: the primary ones, in order, repeats dropped.

    Secondary sources (blogs, study notes, quiz and AI-summary sites, clinic pages) stay beside the primary ones in
    data/ as extra reading for students; a patient's page, handout and session view cite only the primary ones.
    Unknown ids are a ValueError, and so is a list with no primary source: a patient statement must never be left
    citing nothing."""
    if isinstance(ids, str) or not isinstance(ids, Iterable):
        raise ValueError(f"ids must be a list or tuple of source ids, not {type(ids).__name__} {shown(ids)}")
    refs = [reference(i) for i in dict.fromkeys(ids)]
    kept = tuple(r.id for r in refs if r.primary)
    if not kept:
        given = ", ".join(f"{r.id} ({r.kind})" for r in refs) or "none"
        raise ValueError(f"no primary source among [{given}]; a statement a patient reads needs one of the kinds "
                         f"{', '.join(PRIMARY_KINDS)}")
    return kept
