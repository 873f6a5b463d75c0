"""Foreign environments (APPI Art. 28, guideline 10-7): the country register, where personal
data is stored or accessed, and country reviews on the foreign-environment catalogue."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date

from assessments import repository as assessment_repository
from assessments.model import Assessment
from auth import repository as auth_repository
from auth.model import Permission, Principal
from auth.permissions import requires
from contractors import country_repository, review_repository, schedule
from contractors.countries import alpha_3, country_name, is_country, load_seed
from contractors.country_model import (
    HOME_COUNTRY,
    CbprStatus,
    Country,
    CountryEntry,
    CountryExposure,
    DataMap,
    GdprAdequacy,
)
from contractors.model import DataLocation, LocationMode, SubjectKind
from core.errors import Conflict, Issue, NotFound, ValidationFailed
from org import repository as org_repository
from storage.db import Cursor, Database

CATALOGUE_URN = "urn:kansa:catalogue:foreign-environment"
MAX_TEXT = 5000


def _today(today: date | None) -> date:
    return today or date.today()


def _audit(cur: Cursor, actor: Principal, action: str, entity_id: str, **kw: object) -> None:
    auth_repository.append_audit(
        cur, actor=actor.username, action=action, entity="country", entity_id=entity_id, **kw
    )


def _code(code: str) -> str:
    cleaned = (code or "").strip().upper()
    if not is_country(cleaned):
        raise ValidationFailed(
            [Issue("country", 0, "code", f"{code!r} is not an ISO 3166-1 alpha-2 country code")]
        )
    return cleaned


def _view(country: Country) -> dict[str, object]:
    return {**asdict(country.entry), "verified_by": country.verified_by}


# --- the country register -----------------------------------------------------------------------


@requires(Permission.CONTRACTOR_READ)
def list_countries(db: Database, actor: Principal) -> list[Country]:
    with db.cursor() as cur:
        return country_repository.list_countries(cur)


@requires(Permission.CONTRACTOR_READ)
def get_country(db: Database, actor: Principal, code: str) -> Country:
    with db.cursor() as cur:
        found = country_repository.get_country(cur, (code or "").strip().upper())
    if found is None:
        raise NotFound(f"{code!r} is not in the country register.")
    return found


def _checked(entry: CountryEntry) -> CountryEntry:
    code = _code(entry.code)
    names = country_name(code)
    e = replace(
        entry,
        code=code,
        name_en=entry.name_en.strip() or names.en,
        name_ja=entry.name_ja.strip() or names.ja,
        source=entry.source.strip(),
        gdpr_adequacy=GdprAdequacy(entry.gdpr_adequacy),
        apec_cbpr=CbprStatus(entry.apec_cbpr),
    )
    issues: list[Issue] = []
    if not e.source:
        issues.append(Issue("country", 0, "source", "say where the information comes from"))
    if e.review_due < e.reviewed_on:
        issues.append(Issue("country", 0, "review_due", "the next review is before this one"))
    texts = (
        e.regime_en,
        e.regime_ja,
        e.government_access_en,
        e.government_access_ja,
        e.localisation_en,
        e.localisation_ja,
        e.source,
    )
    if any(len(t) > MAX_TEXT for t in texts) or any(
        len(g.note_en) > MAX_TEXT or len(g.note_ja) > MAX_TEXT for g in e.oecd_gaps
    ):
        issues.append(Issue("country", 0, "text", f"texts are limited to {MAX_TEXT} characters"))
    principles = [g.principle for g in e.oecd_gaps]
    if len(set(principles)) != len(principles):
        issues.append(Issue("country", 0, "oecd_gaps", "one gap per OECD principle"))
    if issues:
        raise ValidationFailed(issues)
    return e


@requires(Permission.CONTRACTOR_EDIT)
def save_country(
    db: Database, actor: Principal, entry: CountryEntry, *, expected_version: int | None
) -> Country:
    """Add a country (``expected_version`` None) or change it; either way the entry counts as
    checked by the actor (it is no longer unverified seed data)."""
    e = _checked(entry)
    with db.transaction() as cur:
        current = country_repository.get_country(cur, e.code)
        if expected_version is None:
            if current is not None:
                raise Conflict(f"{e.code} is already in the register; edit it instead.")
            country_repository.insert_country(
                cur, e, verified_by=actor.username, actor=actor.username
            )
        elif current is None:
            raise NotFound(f"{e.code} is not in the country register.")
        elif not country_repository.update_country(
            cur,
            e,
            expected_version=expected_version,
            verified_by=actor.username,
            actor=actor.username,
        ):
            raise Conflict(
                f"Not saved: {current.updated_by} changed {e.code} at {current.updated_at}. "
                "Reload and decide again."
            )
        saved = country_repository.get_country(cur, e.code)
        if saved is None:
            raise RuntimeError("country vanished")
        _audit(
            cur,
            actor,
            "country.save",
            e.code,
            before=None if current is None else _view(current),
            after=_view(saved),
        )
    return saved


@requires(Permission.CONTRACTOR_EDIT)
def remove_country(db: Database, actor: Principal, code: str, *, expected_version: int) -> None:
    """Take a country out of the register (refused while data is recorded there)."""
    cleaned = _code(code)
    with db.transaction() as cur:
        current = country_repository.get_country(cur, cleaned)
        if current is None:
            raise NotFound(f"{cleaned} is not in the country register.")
        used = country_repository.list_locations(cur, country_code=cleaned)
        if used:
            raise Conflict(
                f"{cleaned} is where {len(used)} recorded subject(s) keep or access personal "
                "data; it stays in the register."
            )
        if not country_repository.delete_country(cur, cleaned, expected_version):
            raise Conflict(f"{cleaned} changed meanwhile; reload and decide again.")
        _audit(cur, actor, "country.remove", cleaned, before=_view(current))


@requires(Permission.CONTRACTOR_EDIT)
def seed_countries(db: Database, actor: Principal) -> int:
    """Add the shipped seed entries for countries not yet in the register (as unverified data
    to re-check); returns how many were added. Existing entries are left alone."""
    entries = load_seed()
    with db.transaction() as cur:
        have = country_repository.country_codes(cur)
        added = [e for e in entries if e.code not in have]
        for e in added:
            country_repository.insert_country(cur, e, verified_by=None, actor=actor.username)
        if added:
            _audit(
                cur,
                actor,
                "country.seed",
                ",".join(e.code for e in added),
                after={"codes": [e.code for e in added], "source": added[0].source},
            )
    return len(added)


# --- where personal data sits -------------------------------------------------------------------


def _subject(cur: Cursor, kind: SubjectKind, subject_id: str) -> tuple[str, str, str | None]:
    """(stored subject id, display name, contractor id if a contractor)."""
    if kind == SubjectKind.CONTRACTOR:
        c = schedule.load_contractor(cur, subject_id)
        return c.id, c.name, c.id
    units = {u.code: u for u in org_repository.list_units(cur)}
    unit = units.get(subject_id.strip())
    if unit is None or unit.kind.value != kind.value:
        raise ValidationFailed(
            [Issue("location", 0, "subject_id", f"{subject_id!r} is not a {kind.value} of ours")]
        )
    return unit.code, unit.name_ja, None


@requires(Permission.CONTRACTOR_READ)
def list_data_locations(
    db: Database,
    actor: Principal,
    *,
    subject_kind: SubjectKind | str | None = None,
    subject_id: str | None = None,
    country_code: str | None = None,
) -> list[DataLocation]:
    kind = SubjectKind(subject_kind) if subject_kind else None
    with db.cursor() as cur:
        return country_repository.list_locations(
            cur,
            subject_kind=kind,
            subject_id=subject_id,
            country_code=country_code.strip().upper() if country_code else None,
        )


@requires(Permission.CONTRACTOR_EDIT)
def add_data_location(
    db: Database,
    actor: Principal,
    *,
    subject_kind: SubjectKind | str,
    subject_id: str,
    country_code: str,
    mode: LocationMode | str,
    note: str | None = None,
    today: date | None = None,
) -> DataLocation:
    """Record that a contractor, system or site stores or accesses personal data in a country.
    A contractor's tier is recomputed (data abroad is one of its factors)."""
    kind, how, code = SubjectKind(subject_kind), LocationMode(mode), _code(country_code)
    text = (note or "").strip()[:MAX_TEXT] or None
    with db.transaction() as cur:
        sid, name, contractor_id = _subject(cur, kind, subject_id)
        if country_repository.find_location(cur, kind, sid, code, how) is not None:
            raise Conflict(f"{name}: {how.value} in {code} is already recorded.")
        location = country_repository.insert_location(
            cur,
            subject_kind=kind,
            subject_id=sid,
            subject_name=name,
            country_code=code,
            mode=how,
            note=text,
            actor=actor.username,
        )
        if contractor_id is not None:
            schedule.refresh(cur, contractor_id, _today(today), actor.username)
        _audit(cur, actor, "location.add", code, after=asdict(location))
    return location


@requires(Permission.CONTRACTOR_EDIT)
def remove_data_location(
    db: Database, actor: Principal, location_id: str, *, today: date | None = None
) -> None:
    with db.transaction() as cur:
        location = country_repository.get_location(cur, location_id)
        if location is None:
            raise NotFound(f"No data location {location_id!r}.")
        country_repository.delete_location(cur, location.id)
        if location.subject_kind == SubjectKind.CONTRACTOR:
            schedule.refresh(cur, location.subject_id, _today(today), actor.username)
        _audit(cur, actor, "location.remove", location.country_code, before=asdict(location))


@requires(Permission.CONTRACTOR_READ)
def where_data_sits(db: Database, actor: Principal, today: date | None = None) -> DataMap:
    """Per country: how many contractors, systems and sites store or access personal data
    there, what the register says, and whether its review is stale (not in the register, seed
    data not yet re-checked, or past its review date). Japan is listed but never stale."""
    day = _today(today)
    with db.cursor() as cur:
        rows = country_repository.exposure_rows(cur, day)
    found: list[CountryExposure] = []
    for r in rows:
        code = str(r[0])
        names = country_name(code)
        found.append(
            CountryExposure(
                code=code,
                name_en=r[14] or names.en,
                name_ja=r[15] or names.ja,
                alpha_3=alpha_3(code),
                contractors=int(r[1]),
                systems=int(r[2]),
                sites=int(r[3]),
                stored=int(r[4]),
                accessed=int(r[5]),
                in_register=bool(r[6]),
                regime_exists=r[7],
                gdpr_adequacy=None if r[8] is None else GdprAdequacy(r[8]),
                apec_cbpr=None if r[9] is None else CbprStatus(r[9]),
                reviewed_on=r[10],
                review_due=r[11],
                verified=bool(r[12]),
                stale=bool(r[13]) and code != HOME_COUNTRY,
            )
        )
    return DataMap(day, tuple(found))


@requires(Permission.CONTRACTOR_EDIT)
def start_country_review(
    db: Database, actor: Principal, country_code: str, *, today: date | None = None
) -> Assessment:
    """Assess a country's regime on the foreign-environment catalogue (scope CTY-<code>);
    answer it with ``review_service.save_review_answers``."""
    code, day = _code(country_code), _today(today)
    with db.transaction() as cur:
        country = country_repository.get_country(cur, code)
        if country is None:
            raise NotFound(f"{code} is not in the country register; add it first.")
        if review_repository.open_country_review(cur, code) is not None:
            raise Conflict(f"A review of {code} is already under way.")
        catalogue_id = assessment_repository.latest_catalogue_id(cur, CATALOGUE_URN)
        if catalogue_id is None:
            raise NotFound(f"The catalogue {CATALOGUE_URN} is not stored; import it first.")
        assessment_id = assessment_repository.insert_assessment(
            cur,
            title=f"{country.entry.name_ja} 外国制度の確認 / {country.entry.name_en} regime review "
            f"{day.isoformat()}",
            catalogue_id=catalogue_id,
            scope_unit=f"CTY-{code}",
            period_start=day.isoformat(),
            period_end=None,
            lead_auditor=None,
            created_by=actor.username,
            members=[],
        )
        review_repository.insert_country_review(cur, assessment_id, code, actor.username, day)
        auth_repository.append_audit(
            cur,
            actor=actor.username,
            action="assessment.create",
            entity="assessment",
            entity_id=assessment_id,
            after={"country": code, "catalogue": catalogue_id},
        )
        created = assessment_repository.get_assessment(cur, assessment_id)
    if created is None:
        raise RuntimeError("created assessment not found")
    return created
