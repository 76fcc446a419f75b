"""Event triggers per type: the words of conflict news that say something happened.

Each trigger knows whether it is a speech act (condemn, threaten, demand, deny, support,
agree, ultimatum: the speaker is the actor) or a physical one (deploy, withdraw, attack,
capture), and whether it is a bare noun ("the strike"), which names an actor only through
a modifier ("US drone strike"), a "by"/"from" phrase or a light verb ("carried out strikes").
"""

from __future__ import annotations

import re

import ahocorasick

from ingest.classify.trigger_types import (
    FORCES,
    PHYSICAL_TYPES,
    SPEECH_TYPES,
    Trigger,
    TriggerRule,
    whole_words,
)

__all__ = ["FORCES", "PHYSICAL_TYPES", "SPEECH_TYPES", "Trigger", "TriggerRule", "find_triggers"]


# what a condemnation calls the deed
VERDICT = (
    r"[\"\u201c]?(?:a\s+|an\s+|another\s+)?[\"\u201c]?(?:[\w-]+\s+(?:and\s+)?){0,3}?"
    r"(?:crime|terror(?:ism|ist\s+act)?|violation|aggression|betrayal|stab\s+in\s+the\s+back|"
    r"massacre|provocation|act\s+of\s+war|mistake|atrocity|escalation|piracy|"
    r"attack\s+on\s+(?:[\w'\u2019-]+\s+){0,2}sovereignty)\b"
)
VERDICT_CUES = (
    "crime",
    "violation",
    "terror",
    "aggression",
    "betrayal",
    "stab in",
    "massacre",
    "provocation",
    "act of war",
    "mistake",
    "atrocity",
    "escalation",
    "piracy",
    "sovereignty",
)

RULES: list[TriggerRule] = [
    # --- attack
    TriggerRule("attack", whole_words(
        r"struck|striking|attack(?:ed|s|ing)?|bomb(?:ed|s|ing)|shell(?:ed|s|ing)|"
        r"raid(?:ed|s|ing)?|ambush(?:ed|es|ing)?|invad(?:ed|es|ing)|storm(?:ed|s|ing)|"
        r"target(?:ed|ing)|hit|hits|pound(?:ed|ing)|shot\s+down|shoot(?:s|ing)?\s+down|"
        r"opened\s+fire|fir(?:ed|ing)\s+(?:on|at|upon|rockets?|missiles?|drones?|mortars?|shells|"
        r"tear\s+gas)|oust(?:ed|s|ing)?|drove\s+out|assault(?:ed|s|ing)?|"
        r"assassinat(?:ed|es|ing)|destroy(?:ed|s)|[\"\u201c]?neutrali[sz]ed[\"\u201d]?|"
        # "militants killed three soldiers", "killed a senior ISIS leader": the killing is
        # the attack (a passive "were killed" has no object and is a casualty count only)
        r"kill(?:ed|s)(?=\s+(?:at\s+least\s+|some\s+|more\s+than\s+|nearly\s+|about\s+)?"
        r"(?:\d|one\b|two\b|three\b|four\b|five\b|six\b|seven\b|eight\b|nine\b|ten\b|"
        r"dozens|scores|hundreds|several|a\s|an\s|(?-i:[A-Z])))|"
        r"bombard(?:ed|s|ing)|set\s+fire\s+to|la(?:id|y)\s+siege|besieged|broke\s+into|"
        r"responding\s+with\s+fire|returned\s+fire|retaliated|shelled|"
        r"(?:launched|fired|lobbed)\s+(?:[\w,-]+\s+){0,4}?(?:rockets?|missiles?|drones?|mortars?|"
        r"projectiles?|shells)\b"
    ), hint=("struck", "striking", "attack", "bomb", "shell", "raid", "ambush", "invad",
             "storm", "target", "hit", "pound", "shot", "shoot", "fire", "firing", "oust",
             "drove", "assault",
             "siege", "launched", "lobbed", "besieged", "broke", "retaliated", "assassinat",
             "kill", "destroy", "neutrali")),
    # "18 drones ... launched by the Houthis": the launcher is the attacker
    TriggerRule(
        "attack",
        whole_words(r"(?:launched|fired)(?=\s+by\b)"),
        hint=("launched", "fired"),
        context_before=re.compile(
            r"\b(?:drones?|missiles?|rockets?|projectiles|shells|mortars?)\s*$", re.IGNORECASE
        ),
    ),
    TriggerRule("attack", whole_words(
        r"(?:(?:air|drone|missile|rocket|artillery|precision|retaliatory)[- ]?)?strikes?|"
        r"airstrikes?|air-strikes?|bombings?|shelling|shootdown|invasion|incursion|"
        r"offensive|counter-?attack|(?:rocket|artillery|mortar)\s+fire|"
        r"(?:missile|rocket|drone|suicide|ballistic\s+missile)\s+attacks?|operation"
    ), noun=True, hint=("strike", "bombing", "shelling", "shootdown", "invasion", "incursion",
                        "offensive", "attack", "fire", "operation")),
    # --- deploy
    TriggerRule("deploy", whole_words(
        r"deploy(?:ed|s|ing)?|dispatch(?:ed|es|ing)?|mobili[sz](?:ed|es|ing)|"
        r"reinforc(?:ed|es|ing)|"
        rf"sen(?:t|d|ds|ding)\s+(?:[\w,.-]+\s+){{0,4}}?{FORCES}|"
        # "a second carrier, the USS Carl Vinson, would be sent": an apposition may intervene
        rf"{FORCES}\s*,?\s+(?:[\w-]+,?\s+){{0,9}}?(?:were|are|was|is|be|being|been)\s+(?:being\s+)?sent|"
        r"re-?deploy(?:ed|s|ing)?|re-?position(?:ed|s|ing)?\s+(?:in|to|into|at)|"
        rf"(?:moved|rushed|massed|poured)\s+(?:\w+\s+){{0,3}}?{FORCES}"
    ), hint=("deploy", "dispatch", "mobili", "arriv", "reinforc", "sen", "moved", "rushed",
             "massed", "poured", "redeploy", "re-deploy", "reposition", "re-position")),
    # forces moving somewhere: "troops ... are expected to move to western Iraq",
    # "commandos were flown in"
    TriggerRule(
        "deploy",
        whole_words(r"mov(?:e|es|ed|ing)\s+(?:in)?to|flown\s+in(?:to)?|airlifted\s+(?:in)?to"),
        hint=("mov", "flown", "airlifted"),
        context_before=re.compile(rf"\b{FORCES}\b[^.;]{{0,60}}$", re.IGNORECASE),
    ),
    # forces arriving, not visitors: "soldiers that arrived in northern Iraq"
    TriggerRule(
        "deploy",
        whole_words(r"arriv(?:ed|es|ing)\s+in"),
        hint=("arriv",),
        context_before=re.compile(rf"\b{FORCES}\b[^.;]{{0,60}}$", re.IGNORECASE),
    ),
    TriggerRule("deploy", whole_words(r"deployments?|entry\s+into|build-?up|troop\s+surge"),
                noun=True),
    # --- withdraw
    TriggerRule("withdraw", whole_words(
        r"withdr(?:aw|ew|awn|aws|awing)|pull(?:ed|s|ing)?\s+(?:\w+\s+){0,3}?(?:out|back)|"
        r"retreat(?:ed|s|ing)?|evacuat(?:ed|es|ing)|"
        # leaving a named place or "the country": not "left the talks", "leave open"
        r"leav(?:e|es|ing)(?=\s+(?-i:[A-Z][a-z])|\s+the\s+(?:country|region|area|"
        r"town|city|base|territory|enclave))|"
        r"re-?(?:deploy|position)(?:ed|s|ing)?\s+(?:\w+\s+){0,2}?(?:out\s+of|away\s+from)"
    ), hint=("withdr", "pull", "retreat", "evacuat", "leav",
             "redeploy", "re-deploy", "reposition", "re-position")),
    # forces leaving a named place or their positions: "coalition forces will leave the
    # Ain al-Asad air base", "the troops left their positions"
    TriggerRule(
        "withdraw",
        whole_words(r"leav(?:e|es|ing)|left(?=\s+(?:the\s+|their\s+|its\s+)?(?:(?-i:[A-Z])|"
           r"positions?|bases?|posts?|the\s+(?:country|city|town|area|region)))"),
        hint=("leav", "left"),
        context_before=re.compile(rf"\b{FORCES}\b[^.;]{{0,40}}$", re.IGNORECASE),
    ),
    TriggerRule("withdraw", whole_words(r"withdrawal|pullout|pull-out|drawdown"), noun=True),
    # --- capture
    TriggerRule("capture", whole_words(
        r"seiz(?:e|ed|es|ing)|captur(?:e|ed|es|ing)|took\s+(?:full\s+|complete\s+)?control\s+of|"
        r"tak(?:e|es|ing)\s+(?:full\s+)?control\s+of|retook|recaptur(?:ed|es|ing)|"
        r"retak(?:e|en|es|ing)|overr(?:an|un)|liberat(?:e|ed|es|ing)|took\s+over|"
        r"(?<!the\s)(?<!-)occup(?:ied|ies)|"
        r"gained\s+control\s+of|"
        # "rebels swept into Aleppo": a town entered in force is taken
        r"s(?:wept|weeps?|weeping)\s+(?:in)?to"
    ), hint=("seiz", "captur", "took", "tak", "retook", "recaptur", "retak", "overr", "liberat",
             "occup", "gained", "swept", "sweep")),
    TriggerRule("capture", whole_words(r"fell\s+to|falls\s+to|fallen\s+to"), agent_after=True),
    # "the army said it had freed Lalibela": a named town freed is retaken
    TriggerRule("capture", whole_words(r"freed(?=\s+(?-i:[A-Z][a-z]))"), hint=("freed",)),
    # "the TNLA took Mogok", "had taken several villages": taking a named place or a
    # settlement (not "took part", "took years")
    TriggerRule("capture", whole_words(
        r"(?:took|taken|taking)(?=\s+(?:(?:the|several|two|three|four|five|six|dozens\s+of|"
        r"\d+)\s+)?(?:(?-i:[A-Z][a-z])|villages?\b|towns?\b|cit(?:y|ies)\b|settlements?\b|"
        r"districts?\b|positions?\b|outposts?\b|bases?\b|airports?\b|hills?\b))"
    ), hint=("took", "taken", "taking")),
    # "the town was under Viv Ansanm control", "back in Ukrainian hands": who holds it now
    TriggerRule("capture", whole_words(
        r"(?:came|fell|was|were|is|are|now|firmly|back|remained)\s+(?:under|in)(?=\s+(?:the\s+)?"
        r"(?:(?-i:[A-Z])[\w'-]+\s+){1,3}(?:control|hands)\b)"
    ), agent_after=True, hint=("under", "in")),
    # --- condemn
    TriggerRule("condemn", whole_words(
        r"condemn(?:s|ed|ing)?|denounc(?:e|ed|es|ing)|critici[sz](?:e|ed|es|ing)|"
        r"accus(?:e|ed|es|ing)|blam(?:e|ed|es|ing)|rebuk(?:ed|es)|slamm(?:ed|ing)|slams|"
        r"blasted|lambast(?:ed|s)|decr(?:ied|ies)|"
        r"violation\s+(?:of|to)\s+(?:\w+\s+){0,2}(?:sovereignty|international\s+law|"
        r"(?:the\s+)?(?:U\.?N\.?|United\s+Nations)\s+Charter)|"
        r"violated\s+(?:\w+\s+){0,2}sovereignty|"
        # "called the withdrawal a 'stab in the back'", "said the strikes were another
        # strategic mistake": a verdict, not a description
        rf"(?:called|calling|describ(?:ed|ing))\s+(?:it|them|(?:the|this|that)\s+[\w-]+)\s+"
        rf"(?:as\s+)?{VERDICT}|"
        rf"(?:regard(?:ed|s|ing)|view(?:ed|s|ing)|consider(?:ed|s|ing)|saw|sees)\s+"
        rf"(?:it|them|(?:the|this|that)\s+[\w-]+)\s+as\s+{VERDICT}"
    ), hint=("condemn", "denounc", "critici", "accus", "blam", "rebuk", "slam", "blasted",
             "lambast", "decr", "violat", "regard", "view", "consider", "saw", "sees",
             *VERDICT_CUES)),
    # "said the US strikes were another strategic mistake": the speaker condemns the subject
    TriggerRule("condemn", whole_words(rf"(?:was|were|is|are)\s+{VERDICT}"), hint=VERDICT_CUES,
                subject_is_patient=True),
    TriggerRule("condemn", whole_words(r"condemnation|criticism|rebuke"), noun=True),
    # --- threaten
    TriggerRule("threaten", whole_words(
        r"threaten(?:s|ed|ing)?|(?:issued|made)\s+(?:a\s+|an\s+)?(?:\w+\s+)?threat|"
        r"warn(?:s|ed|ing)?|vow(?:s|ed|ing)?\s+(?:to\s+)?(?:[\w\"\u201c-]+\s+){0,3}?"
        r"(?:retaliate|respond|revenge|vengeance|retribution|avenge|punish|hit\s+back|destroy|"
        r"crush|eliminate)|pledg(?:e|ed|es)\s+to\s+(?:retaliate|respond|avenge|punish)|"
        # "we will respond at a time of our choosing", "reserves the right to respond"
        r"(?:will|would|shall)\s+(?:certainly\s+|surely\s+)?(?:respond|retaliate|hit\s+back|"
        r"take\s+revenge)|reserv(?:e|es|ed)\s+(?:its|the|their|our)\s+(?:[\w\"\u201c-]+\s+){0,3}?"
        r"right\s+to\s+(?:respond|retaliate|(?:give|deliver)\s+(?:a\s+)?(?:\w+\s+)?response)|"
        # "would resume the operation if the fighters did not leave"
        r"(?:will|would)\s+(?:resume|launch|restart|expand|begin)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:operations?|offensive|attacks?|strikes?|military\s+action)\s+(?:if|unless)|"
        r"promised\s+(?:revenge|retaliation)|"
        r"exact\s+(?:a\s+|the\s+|its\s+)?(?:heavy\s+|high\s+|steep\s+)?price|"
        r"make\s+(?:\w+\s+){1,2}pay\s+(?:a\s+|the\s+)?(?:heavy\s+|high\s+|steep\s+)?price|"
        r"vow(?:s|ed)?\s+that\s+[^.;]{0,40}?(?:respond|retaliate|revenge|avenge|punish)"
    ), hint=("threat", "warn", "vow", "pledg", "promised", "will", "would", "shall",
             "reserv", "exact", "make")),
    TriggerRule("threaten", whole_words(
        r"(?:will|would)\s+not\s+(?:go|leave|let)\s+[^.;]{0,40}?(?:unanswered|unpunished)"
    ), negation_ok=True, hint=("unanswered", "unpunished")),
    # "Khamenei said Israel 'will be punished'": the speaker threatens who is named
    TriggerRule("threaten", whole_words(
        r"(?:will|would)\s+(?:certainly\s+|surely\s+)?be\s+[\"\u201c]?punished"
    ), hint=("punished",), subject_is_patient=True),
    # --- demand
    TriggerRule("demand", whole_words(
        r"demand(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:on|upon|for)|urg(?:e|ed|es|ing)|"
        r"ask(?:s|ed)?\s+(?:\w+\s+){0,3}to\s+(?:leave|withdraw)|"
        r"end\s+(?:the\s+|its\s+|their\s+)?(?:\w+\s+){0,3}presence|"
        r"end\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}presence|expel(?:led|s)?"
    )),
    # --- ultimatum
    TriggerRule("ultimatum", whole_words(
        r"(?:gave|give|gives|given|giving)\s+(?:\w+\s+){0,3}?(?:\d+|\w+)[- ]"
        r"(?:hours?|days?|weeks?|months?)\s+to|\d+[- ](?:hour|day)\s+deadline|"
        r"(?:gave|give|gives|given|giving)\s+(?:[\w-]+\s+){0,4}?until\s+[^.;]{3,40}?\s+to"
    ), negation_ok=True, hint=("gave", "give", "giving", "deadline")),
    # "issued an ultimatum" names its giver; "rejected the ultimatum" names none
    TriggerRule("ultimatum", whole_words(r"ultimatum"), noun=True),
    # --- deny
    TriggerRule("deny", whole_words(
        r"den(?:y|ied|ies|ying)|refut(?:e|ed|es)|"
        r"reject(?:ed|s)?\s+(?:the\s+)?(?:reports?|claims?|allegations?|accusations?)|"
        r"dismiss(?:ed|es)?\s+(?:the\s+)?(?:reports?|claims?|allegations?)"
    )),
    # "said it had no involvement in the strike", "played no role in"
    TriggerRule("deny", whole_words(
        r"(?:had|has|have|played|plays)\s+no\s+(?:\w+\s+)?(?:involvement|role|part|hand)\s+in|"
        r"(?:was|were)\s+not\s+involved\s+in|"
        r"(?:had|has|have)\s+(?:had\s+)?nothing\s+to\s+do\s+with|"
        r"(?:was|is|were|are)\s+[\"\u201c]?not\s+(?:a\s+)?party[\"\u201d]?\s+to"
    ), negation_ok=True, hint=("involvement", "no role", "no part", "no hand", "involved",
                               "nothing to do", "party")),
    TriggerRule("deny", whole_words(r"denial"), noun=True),
    # --- support
    TriggerRule("support", whole_words(
        r"supports|supported|backs|backed|endorse[sd]?|welcome[sd]|prais(?:ed|es|ing)|"
        r"hail(?:ed|s)|(?:expressed|voiced|pledged|offered)\s+(?:\w+\s+)?support\s+for|"
        r"(?:did|does|do|will|would)\s+(?:not\s+)?support|"
        r"continu(?:e|es|ed|ing)\s+to\s+(?:\w+ly\s+)?support"
    ), hint=("support", "backs", "backed", "endorse", "welcome", "prais", "hail")),
    # "in a show of support for Israel", "American support for Israel's security"
    TriggerRule("support", whole_words(
        r"(?:show|sign|expression|message|gesture)\s+of\s+(?:\w+\s+)?(?:support|solidarity)\s+"
        r"(?:for|with)"
    ), hint=("show", "sign", "expression", "message", "gesture")),
    TriggerRule("support", whole_words(r"support\s+for"), noun=True, hint=("support",)),
    TriggerRule("support", whole_words(r"(?:are|is|were|was)\s+necessary"), subject_is_patient=True,
                hint=("necessary",)),
    # --- agree
    TriggerRule("agree", whole_words(
        r"agreed|agree\s+(?:to|on)|reach(?:ed)?\s+(?:an?\s+)?(?:\w+\s+)?(?:agreement|deal|"
        r"accord|understanding|truce|ceasefire)|sign(?:ed)?\s+(?:an?\s+)?(?:\w+\s+)?"
        r"(?:agreement|deal|accord|memorandum)|struck\s+a\s+deal|"
        r"(?:crafted|drew\s+up|drafted)\s+a\s+road\s*map|"
        # "Hamas accepted the ceasefire proposal", "Kyiv accepted a 30-day truce"
        r"accept(?:ed|s|ing)?\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){0,3}?(?:ceasefire|truce|"
        r"peace|deal|agreement|accord|proposal|plan)\b"
    ), hint=("agree", "reach", "sign", "struck", "road", "accept")),
]  # fmt: skip


# Words that are verbs or nouns: after a determiner they are nouns ("the attack on").
NOUN_OR_VERB = frozenset(
    [
        "attack",
        "attacks",
        "raid",
        "raids",
        "assault",
        "assaults",
        "storming",
        "bombing",
        "shelling",
        "ambush",
        "strike",
        "deployment",
        "withdrawal",
        "condemnation",
        "warning",
        "warnings",
        "threat",
    ]
)
DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|this|that|these|those|its|their|his|her|our|any|no|every|each|"
    r"another|other|more|multiple|several|such|of|in|for|after|before|since)|['\u2019]s)"
    r"\s+(?:[\"\u201c\u2018]?[\w-]+\s+){0,2}[\"\u201c\u2018]?$",
    re.IGNORECASE,
)
# plural forms are nouns far more often than verbs ("militia attacks", "the raids")
PLURAL_NOUNS = frozenset(["attacks", "raids", "assaults", "strikes"])


def _as_noun(rule: TriggerRule) -> TriggerRule:
    return TriggerRule(rule.type, rule.pattern, noun=True, negation_ok=rule.negation_ok)


def _cue_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for cue in {c for rule in RULES for c in (rule.cues or ())}:
        automaton.add_word(cue, cue)
    automaton.make_automaton()
    return automaton


CUE_AUTOMATON = _cue_automaton()


def present_cues(low: str) -> set[str]:
    """Every cue word start that occurs in the (lower-cased) sentence, in one pass."""
    return {cue for _, cue in CUE_AUTOMATON.iter(low)}


def find_triggers(sentence: str) -> list[Trigger]:
    """All triggers, longest first where they overlap ("struck a deal" is not a strike)."""
    found: list[Trigger] = []
    cues_here = present_cues(sentence.lower())
    for rule in RULES:
        rule_cues = rule.cues
        if rule_cues is not None and cues_here.isdisjoint(rule_cues):
            continue
        for m in rule.pattern.finditer(sentence):
            text = m.group(0)
            if rule.context_before is not None and not rule.context_before.search(
                sentence[max(0, m.start() - 120) : m.start()]
            ):
                continue
            used = rule
            if (
                not rule.noun
                and text.lower() in NOUN_OR_VERB
                and DETERMINER_BEFORE.search(sentence[max(0, m.start() - 40) : m.start()])
            ) or (not rule.noun and text.lower() in PLURAL_NOUNS):
                used = _as_noun(rule)
            found.append(Trigger(rule.type, m.start(), m.end(), text, used))
    found.sort(key=lambda t: (-(t.end - t.start), t.start))
    chosen: list[Trigger] = []
    for t in found:
        if any(t.start < c.end and c.start < t.end for c in chosen):
            continue
        chosen.append(t)
    chosen.sort(key=lambda t: t.start)
    return chosen
