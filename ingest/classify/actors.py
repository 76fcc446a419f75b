"""Actor mentions in a sentence: registry aliases (names, capitals, demonyms, bodies,
officials), plus organisations the registry does not know yet, reported by name.

"Iraqi government spokesperson" is one mention of IRQ (the demonym stretches over the
title words after it); "Iran-backed" is a sponsor, not an actor on stage; "in Baghdad" is
a place, not the Iraqi state acting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.classify.alias_matching import Match, find_matches
from ingest.classify.lexicon import Registry

SPONSOR_SUFFIX = re.compile(
    r"-(?:backed|aligned|linked|allied|affiliated|supported|sponsored|based|led|funded|"
    r"trained|armed|made|owned|run|controlled|held)\b"
)
# "Iraqi militia claims attack", "Syrian rebel allies": irregular fighters of that
# nationality, not the state
IRREGULAR_AFTER = re.compile(
    r"\s+(?:Shia\s+|Shiite\s+|Sunni\s+|Islamist\s+)?(?:militias?|militiamen|militants?|"
    r"rebels?|insurgents?|gunmen|jihadists?|tribesmen|protesters|demonstrators)\b",
    re.IGNORECASE,
)
# "on the Syrian border", "the Turkish city of Kilis", "from Iraqi territory": where
PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:border|borders|frontier|territory|territories|soil|airspace|waters|coast|"
    r"city|town|village|province|capital|port|mainland)\b",
    re.IGNORECASE,
)
# "a group calling itself the Ghaliboun": a new group, named as it names itself
SELF_NAMED = re.compile(
    r"\bcall(?:ing|s|ed)\s+(?:it|them)sel(?:f|ves)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'-]+(?:\s+(?:of|al-|[A-Z])[\w'-]*){0,4})"
)
# "Iran-backed Iraqi militias", "Tehran-aligned Shiite factions", "pro-Iran fighters": a
# sponsor and an armed-group noun name the sponsor's unnamed proxies, whatever the
# combination (the registry needs no alias for each one).
PROXY_SUFFIX = re.compile(r"-(?:backed|aligned|allied|linked|affiliated|supported|sponsored)\b")
PROXY_NOUN = re.compile(
    r"(?:\s+(?:Iraqi|Syrian|Lebanese|Yemeni|Palestinian|Afghan|Pakistani|Shia|Shiite|"
    r"Shi'ite|Sunni|armed|militant|paramilitary|proxy|local|tribal)){0,2}"
    r"\s+(?:militia\s+groups?|militias?|militiamen|groups?|factions?|fighters|proxies|forces|"
    r"militants|gunmen|rebels|insurgents|allies|cells)\b"
)
TITLE_WORDS = (
    "government|military|army|security|defen[cs]e|foreign|interior|prime|deputy|caretaker|"
    "minister|ministry|president|presidential|spokes(?:person|man|woman)|official|officials|"
    "secretary|envoy|commander|chief|general|gen\\.|maj\\.|leader|supreme|ambassador|"
    "senior|state|media|office|forces|troops|soldiers|navy|air force"
)
TITLE_RUN = re.compile(rf"(?:\s+(?:{TITLE_WORDS}))+", re.IGNORECASE)
# Nouns that make a demonym an actor on stage even inside "of ...": "a battalion of
# Turkish soldiers arrived".
FORCE_NOUN = re.compile(
    r"\s+(?:\w+\s+)?(?:troops|soldiers|forces|army|military|warplanes|jets|aircraft|drones?|"
    r"marines|personnel|militants|fighters|militiamen|navy|artillery|tanks|officials?|"
    r"government|leaders?|convoy|battalion|units?)\b",
    re.IGNORECASE,
)
FORCE_NOUN_END = re.compile(FORCE_NOUN.pattern.replace(r"\s+(?:\w+\s+)?", r"\s", 1) + "$", re.I)
LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|into|to|at|near|from|across|inside|outside|throughout|around|toward|towards|"
    r"within|of|via|through|leaving|left|departing|quitting)\s+(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|"
    r"east|west|north-?east(?:ern)?|north-?west(?:ern)?|south-?east(?:ern)?|"
    r"south-?west(?:ern)?)\s+)?$",
    re.IGNORECASE,
)
ORG_HEAD = (
    r"Brigades?|Front|Army|Movement|Party|Group|Militia|Battalions?|Council|Organi[sz]ation|"
    r"Committee|Units|Resistance|Forces|Guards?|Corps|Legion|Division"
)
UNKNOWN_ORG = re.compile(
    rf"\b(?:(?:Jaish|Liwa|Kataib|Kata'ib|Harakat|Saraya|Ansar|Asaib|Jabhat|Hayat)"
    rf"(?:\s+(?:al-|al\s|[A-Z])[\w'-]+){{1,3}}"
    rf"|(?:[A-Z][\w'-]+\s+){{1,4}}(?:{ORG_HEAD})"
    # "the Democratic Party of Iranian Kurdistan": the name goes on after "of"
    rf"(?P<of>\s+of\s+(?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){{0,2}})?)\b"
)


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    code: str
    text: str
    sponsor: bool = False  # "Iran-backed", "pro-Iran": names a backer, not the actor
    locative: bool = False  # "to Iraq", "in Baghdad": a place here
    force: bool = False  # "Turkish soldiers", "US troops": forces on stage
    known: bool = True  # False: an organisation not (yet) in the registry
    after_of: bool = False  # object of a preposition ("of", "for", "with"...)
    city_name: bool = False  # a capital used as a name ("the Ankara attack": where, not who)
    country_name: bool = False  # "Syria" as written ("the Syria offensive": where, not who)


PREP_BEFORE = re.compile(
    r"\b(?:of|for|with|about|over|against|on|to|from|by|toward|towards|between|among|"
    r"including|like|than)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|more\s+|additional\s+|"
    r"other\s+)*$",
    re.IGNORECASE,
)


def find_actor_mentions(sentence: str, low: str, registry: Registry) -> list[ActorMention]:
    mentions: list[ActorMention] = []
    matches = find_matches(sentence, low, registry.actor_automaton)
    place_keys = _place_aliases(registry)
    covered: list[tuple[int, int]] = []
    # a state's name inside a longer place name is that place ("Jersey" in "New Jersey",
    # "Guinea" in "Papua New Guinea"), not the state
    longer_places = [
        (p.start, p.end)
        for p in find_matches(sentence, low, registry.place_automaton)
        if p.key not in registry.actors
    ]
    for m in matches:
        if any(
            ps <= m.start and m.end <= pe and pe - ps > m.end - m.start for ps, pe in longer_places
        ):
            continue
        if any(cs <= m.start < ce for cs, ce in covered):
            continue  # a word inside a proxy phrase: "Iraqi" in "Iran-backed Iraqi militias"
        proxies = _proxy_phrase(sentence, m, registry, mentions)
        if proxies is not None:
            mentions.append(proxies)
            covered.append((proxies.start, proxies.end))
            continue
        after = sentence[m.end : m.end + 14]
        before = sentence[max(0, m.start - 40) : m.start]
        if m.text.islower() and re.search(r"\b(?:a|an)\s+$", before, re.IGNORECASE):
            continue  # "a coalition of militias": a common noun here, not the coalition
        state = registry.is_state(m.key)
        sponsor = bool(SPONSOR_SUFFIX.match(after)) or before.lower().endswith(("pro-", "anti-"))
        # the fighters of that nationality act, not the state: treated like a sponsor
        sponsor = sponsor or (state and bool(IRREGULAR_AFTER.match(sentence, m.end)))
        locative = low[m.start : m.end] in place_keys and bool(LOCATIVE_BEFORE.search(before))
        locative = locative or (state and bool(PLACE_NOUN_AFTER.match(sentence, m.end)))
        end = m.end
        # the knowledge base names a state's forces as whole aliases ("Turkish soldiers")
        force = bool(FORCE_NOUN.match(sentence, m.end) or FORCE_NOUN_END.search(m.text))
        title = TITLE_RUN.match(sentence, m.end)
        if title and not sponsor:
            end = title.end()
        mentions.append(
            ActorMention(
                start=m.start,
                end=end,
                code=m.key,
                text=sentence[m.start : end],
                sponsor=sponsor,
                locative=locative,
                force=force,
                after_of=bool(PREP_BEFORE.search(before)),
                city_name=low[m.start : m.end] in _city_aliases(registry),
                country_name=low[m.start : m.end] in _country_aliases(registry),
            )
        )
        covered.append((m.start, end))
    for named in SELF_NAMED.finditer(sentence):
        s, e = named.span("name")
        if not any(s < ce and cs < e for cs, ce in covered):
            name = named.group("name")
            mentions.append(ActorMention(s, e, name, name, known=False))
            covered.append((s, e))
    for unknown in UNKNOWN_ORG.finditer(sentence):
        s, e = unknown.start(), unknown.end()
        name = unknown.group(0)
        first = name.split()[0]
        if first in ("The", "A", "An") and len(name.split()) > 2:
            s += len(first) + 1  # "The Democratic Party ...": the article is no part of it
            name = sentence[s:e]
        elif first in ("The", "A", "An", "In", "On", "This", "That"):
            continue
        tail = unknown.start("of") if unknown.group("of") else e
        # a demonym inside the name's "of" part is part of the name, not an actor on stage
        inside = [m for m in mentions if tail <= m.start and m.end <= e]
        if inside:
            mentions = [m for m in mentions if m not in inside]
            covered = [(cs, ce) for cs, ce in covered if not (tail <= cs and ce <= e)]
        if any(s < ce and cs < e for cs, ce in covered):
            continue
        before = sentence[max(0, s - 40) : s]
        after_of = bool(PREP_BEFORE.search(before))
        province_of = _provincial_force_state(name, registry)
        mentions.append(
            ActorMention(s, e, province_of, name, force=True, after_of=after_of)
            if province_of
            else ActorMention(s, e, name, name, known=False, after_of=after_of)
        )
    for generic in GENERIC_PERPETRATORS.finditer(sentence):
        s, e = generic.span("noun")
        if any(s < ce and cs < e for cs, ce in covered) or _named_just_before(mentions, s):
            continue
        noun = generic.group("noun").lower()
        before = sentence[max(0, generic.start() - 40) : generic.start()]
        mentions.append(
            ActorMention(s, e, noun, noun, known=False, after_of=bool(PREP_BEFORE.search(before)))
        )
        covered.append((s, e))
    mentions.sort(key=lambda x: x.start)
    return _owned_groups(sentence, _coordinated_locatives(sentence, mentions, place_keys), registry)


# Unnamed perpetrators, reported as written ("gunmen stormed the school"): the contract
# wants the name as written for an actor the registry does not know.
GENERIC_PERPETRATORS = re.compile(
    # "the insurgents" points back to a group named before: coreference reads it
    r"(?<!\bthe\s)(?<!\bThe\s)(?<!\bthose\s)(?<!\bthese\s)"
    r"\b(?:(?:suspected|armed|masked|unidentified|unknown|heavily\s+armed)\s+)?"
    r"(?P<noun>gunmen|insurgents|militants|separatists|gangs|gang\s+members|rebels|bandits|"
    r"armed\s+men|kidnappers|attackers|assailants|jihadists|suicide\s+bombers?|tribesmen|"
    r"militiamen)\b",
    re.IGNORECASE,
)


def _named_just_before(mentions: list[ActorMention], start: int) -> bool:
    """ "Houthi rebels", "Iraqi militants": the noun belongs to the name before it."""
    return any(0 <= start - m.end <= 1 for m in mentions)


PROVINCIAL_FORCE = re.compile(r"(?P<place>.+?)\s+(?:National\s+Guard|State\s+Police)$")


def _provincial_force_state(name: str, registry: Registry) -> str | None:
    """ "the New Jersey National Guard", "Texas State Police": a province's own force is
    the state's (its country in the gazetteer), not a group of its own."""
    found = PROVINCIAL_FORCE.match(name)
    place = registry.places.get(found.group("place")) if found else None
    if place is None or place.precision == "country" or not registry.is_state(place.country):
        return None
    return place.country


def _owned_groups(
    sentence: str, mentions: list[ActorMention], registry: Registry
) -> list[ActorMention]:
    """ "Yemen's Houthi movement", "Lebanon's Hezbollah": the group acts; the country in
    the possessive only says where it is from."""
    out = list(mentions)
    for i, m in enumerate(out[:-1]):
        group = out[i + 1]
        if (
            registry.is_state(m.code)
            and not registry.is_state(group.code)
            and group.known
            # "Iran's U.N. ambassador" speaks for Iran
            and registry.actors[group.code].kind != "intergovernmental"
            and re.fullmatch(r"['\u2019]s\s+", sentence[m.end : group.start])
        ):
            out[i] = replace(m, sponsor=True)
    return out


DEFINITE_SINGULAR = re.compile(r"(?:group|militia|faction|movement)(?:['\u2019]s)?$")


def _proxy_phrase(
    sentence: str, m: Match, registry: Registry, earlier: list[ActorMention]
) -> ActorMention | None:
    """ "Iran-backed militias", "pro-Tehran fighters" as one mention: the registry's
    `<SPONSOR>_BACKED_MILITIAS` actor when there is one, else the phrase as written.
    "Houthi targets ... the Iran-backed group's attacks": a definite singular names the
    group just mentioned."""
    if not registry.is_state(m.key):
        return None
    if sentence[max(0, m.start - 4) : m.start].lower() == "pro-":
        start, noun_at = m.start - 4, m.end
    else:
        suffix = PROXY_SUFFIX.match(sentence, m.end)
        if suffix is None:
            return None
        start, noun_at = m.start, suffix.end()
    noun = PROXY_NOUN.match(sentence, noun_at)
    if noun is None:
        return None
    text = sentence[start : noun.end()]
    code = registry.proxies_of(m.key)
    definite = re.search(r"\bthe\s+$", sentence[max(0, start - 5) : start], re.IGNORECASE)
    if definite and DEFINITE_SINGULAR.search(text + sentence[noun.end() : noun.end() + 2]):
        named = [e for e in earlier if e.known and _names_one_group(registry, e.code)]
        if named:
            code = named[-1].code
    return ActorMention(
        start,
        noun.end(),
        code or text,
        text,
        known=code is not None,
        after_of=bool(PREP_BEFORE.search(sentence[max(0, start - 40) : start])),
    )


def _names_one_group(registry: Registry, code: str) -> bool:
    kind = registry.actors[code].kind if code in registry.actors else ""
    return kind not in ("state", "intergovernmental") and "umbrella" not in kind


def _coordinated_locatives(
    sentence: str, mentions: list[ActorMention], place_keys: frozenset[str]
) -> list[ActorMention]:
    """ "in Syria and Iraq", "in Baghdad, Iraq": the second place is a place too."""
    out: list[ActorMention] = []
    for m in mentions:
        previous = out[-1] if out else None
        if (
            previous is not None
            and previous.locative
            and not m.locative
            and sentence[m.start : m.end].lower() in place_keys
            and re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", sentence[previous.end : m.start])
        ):
            m = replace(m, locative=True)
        out.append(m)
    return out


def _city_aliases(registry: Registry) -> frozenset[str]:
    return registry.memo("city_alias_set", lambda: _lowered_names(registry, ("city", "site")))


def _country_aliases(registry: Registry) -> frozenset[str]:
    return registry.memo("country_alias_set", lambda: _lowered_names(registry, ("country",)))


def _place_aliases(registry: Registry) -> frozenset[str]:
    return registry.memo("place_alias_set", lambda: _lowered_names(registry, None))


def _lowered_names(registry: Registry, precisions: tuple[str, ...] | None) -> frozenset[str]:
    """Every name and alias, lower-cased, of the places of these precisions (None: all)."""
    names: set[str] = set()
    for place in registry.places.values():
        if precisions is None or place.precision in precisions:
            names.add(place.name.lower())
            names.update(a.lower() for a in place.aliases)
    return frozenset(names)


ACRONYM_AFTER = re.compile(r"\s*\((?P<acronym>[A-Z]{2,6})\)")


def defined_acronyms(sentence: str, mentions: list[ActorMention]) -> dict[str, str]:
    """ "the Sinjar Resistance Units (YBS)": a group the registry does not know, with the
    short name the article will use for it from then on."""
    out = {}
    for m in mentions:
        if m.known:
            continue
        defined = ACRONYM_AFTER.match(sentence, m.end)
        if defined:
            out[defined.group("acronym")] = m.code
    return out


def acronym_mentions(
    sentence: str, acronyms: dict[str, str], mentions: list[ActorMention]
) -> list[ActorMention]:
    """The mentions plus the uses of acronyms the article defined earlier ("The YBS
    denied ..."), reported under the full name."""
    if not acronyms:
        return mentions
    added = []
    for acronym, name in acronyms.items():
        for hit in re.finditer(rf"(?<![\w(-]){acronym}(?![\w)-])", sentence):
            s, e = hit.span()
            if any(s < m.end and m.start < e for m in mentions):
                continue
            before = sentence[max(0, s - 40) : s]
            added.append(
                ActorMention(
                    s, e, name, acronym, known=False, after_of=bool(PREP_BEFORE.search(before))
                )
            )
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda x: x.start)
