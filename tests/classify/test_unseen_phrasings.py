"""Phrasings the held-out articles showed the classifier missing, in sentences written for
these tests (none taken from those articles): verdicts, denials and backing in other
words, coordinated speech acts, forces leaving and towns entered in force, pronouns after
a quotation that runs over sentences, a country's group in the possessive, and the
furniture of scraped pages."""

from ingest.classify.cleanup import clean

from .helpers import codes_of, one, read


def test_a_regarded_verdict_and_piracy_are_condemnations():
    events = read(
        "Beijing said it viewed the blockade as an attack on Iran's sovereignty. "
        "Britain's foreign secretary called it an act of piracy."
    )
    assert one(events, "condemn", "CHN").status == "asserted"
    assert one(events, "condemn", "GBR").status == "asserted"


def test_having_nothing_to_do_with_it_or_being_no_party_is_a_denial():
    events = read(
        "Qatar said it had nothing to do with the uprising. "
        'Egypt said it was "not a party" to the fighting in Sudan.'
    )
    assert one(events, "deny", "QAT").status == "asserted"
    assert one(events, "deny", "EGY").status == "asserted"


def test_continued_support_and_exacting_a_price():
    events = read(
        "Moscow will continue to firmly support the government in Damascus. "
        "Israel will exact a heavy price from Hezbollah, the defence minister said."
    )
    assert one(events, "support", "RUS").status == "asserted"
    assert one(events, "threaten", "ISR").target == "HEZBOLLAH"


def test_military_backing_and_relative_descriptions_are_no_endorsement():
    events = read(
        "The Kurdish fighters, backed by American jets and artillery, held the line. "
        "Iran, which backs several Iraqi militias, stayed silent on the vote."
    )
    assert [e for e in events if e.type == "support"] == []


def test_coordinated_speech_acts_share_their_speaker():
    events = read(
        "Asaib Ahl al-Haq welcomed the vote but warned that it would resume attacks on "
        "American troops if they stayed past the summer."
    )
    assert one(events, "support", "AAH").status == "asserted"
    assert one(events, "threaten", "AAH").status == "asserted"


def test_a_warning_about_others_is_still_no_threat():
    events = read("The UN warned that the fighting could spread to Lebanon.")
    assert [e for e in events if e.type == "threaten"] == []


def test_forces_leaving_a_named_base_and_redeploying_out_of_a_city_withdraw():
    events = read(
        "Italian troops will leave the Erbil base by the end of the year. "
        "The Syrian army said its units had redeployed out of Hama."
    )
    leaving = one(events, "withdraw", "ITA")
    assert (leaving.location, leaving.status) == ("Erbil", "planned")
    assert one(events, "withdraw", "SYR").location == "Hama"


def test_its_forces_after_a_named_army_are_that_army():
    events = read(
        "The Iraqi army admitted heavy losses near Rawa. Its forces pulled back from the "
        "town overnight."
    )
    assert one(events, "withdraw", "IRQ").status == "asserted"


def test_a_town_swept_into_is_captured_and_a_headline_as_clause_has_its_own_subject():
    events = read(
        "Islamic State fighters swept into Palmyra on Wednesday.",
        title="ISIS sweeps into Palmyra as troops pull back",
    )
    assert one(events, "capture", "ISIS").location == "Palmyra"
    assert [e for e in events if e.type == "withdraw" and e.actor == "ISIS"] == []


def test_the_doer_named_after_a_participle_of_a_noun_acts():
    events = read("The commander died in an ambush carried out by Syrian rebel fighters.")
    assert one(events, "attack", "SYRIAN_REBELS").status == "asserted"


def test_a_pronoun_after_a_quotation_over_two_sentences_is_the_speaker_before_it():
    events = read(
        "Hezbollah's leader in a speech: \"We have done our part. The next round will be "
        'harder for the enemy." He also warned Israel against any ground incursion.'
    )
    assert one(events, "threaten", "HEZBOLLAH").target == "ISR"


def test_a_country_in_the_possessive_before_its_group_is_no_actor():
    assert codes_of("Lebanon's Hezbollah fired rockets.") == [("LBN", True), ("HEZBOLLAH", False)]
    assert codes_of("Iran's U.N. ambassador spoke.")[0] == ("IRN", False)


def test_conjoined_speakers_condemn_together_and_not_each_other():
    events = read("Jordan, Egypt and the Arab League condemned the raid on the mosque.")
    for code in ("JOR", "EGY", "ARAB_LEAGUE"):
        assert one(events, "condemn", code).target in (None, "ISR")


def test_both_named_deniers_deny():
    events = read("The PKK and the YPG both denied any role in the bombing.")
    assert one(events, "deny", "PKK").target != "YPG"
    assert one(events, "deny", "YPG").status == "asserted"


def test_force_levels_in_compound_directions_and_spread_over_bases():
    events = read(
        "Washington keeps about 900 troops in northeastern Syria. Around 3,000 Turkish "
        "soldiers are stationed at more than 20 bases inside northern Iraq."
    )
    us = one(events, "force_level", "USA")
    # the knowledge base knows the region itself, kept as a place of Syria
    assert (us.location, us.country) == ("Northeast Syria", "SYR")
    assert us.quantity == {"value": 900, "unit": "troops"}
    assert one(events, "force_level", "TUR").quantity == {"value": 3000, "unit": "troops"}


def test_a_background_word_in_a_later_clause_does_not_drop_the_act():
    events = read(
        "The Kurdish government called on Baghdad to pay salaries, saying families had "
        "waited for years."
    )
    assert one(events, "demand", "KRG").target == "IRQ"


def test_page_furniture_lines_are_dropped_before_reading():
    body = (
        "Iraqi forces retook the town.\n"
        "Most read: 1. Army deploys to border 2. Militia attacks base\n"
        "Related: Turkish jets strike Qandil\n"
        "Share this article: Facebook Twitter"
    )
    cleaned = clean("Title", body)
    assert cleaned.body == "Iraqi forces retook the town."


def test_an_acronym_the_article_defines_names_the_new_group_later():
    events = read(
        "Two fighters of the Nineveh Plains Protection Units (NPU) were wounded. "
        "The NPU, a Christian force founded in 2014 after the fall of Mosul, accused "
        "the PMF of shelling its posts."
    )
    accusation = one(events, "condemn", "Nineveh Plains Protection Units")
    assert accusation.target == "PMF"


def test_forces_sent_with_an_apposition_between_are_a_planned_deployment_by_the_speaker():
    events = read(
        "A British official said on Friday that a destroyer, HMS Diamond, would be sent "
        "to the Red Sea."
    )
    deployment = one(events, "deploy", "GBR")
    assert (deployment.status, deployment.location) == ("planned", "Red Sea")


def test_a_deed_claimed_by_one_group_is_not_a_second_denied_deed_of_its_denier():
    events = read(
        "A rocket attack on a base near Erbil wounded two soldiers on Sunday. "
        "Kataib Hezbollah claimed responsibility for the attack. "
        "Iran rejected accusations that it was behind the attack."
    )
    assert one(events, "deny", "IRN").status == "asserted"
    assert [e for e in events if e.type == "attack" and e.actor == "IRN"] == []
    assert one(events, "attack", "KH").status == "claimed"


def test_a_vow_to_respond_after_a_blame_threatens_the_blamed():
    events = read(
        "A drone hit a patrol base in Syria on Monday. The Pentagon blamed Kataib "
        'Hezbollah for the strike. "We will respond," US Defense Secretary Lloyd Austin said.'
    )
    assert one(events, "threaten", "USA").target == "KH"


def test_each_of_two_named_deniers_denies_to_its_own_accuser():
    events = read(
        "Ankara blamed the PKK for the bombing in Ankara. "
        "The PKK and the SDF both denied any involvement in it."
    )
    assert one(events, "deny", "PKK").target == "TUR"
    assert one(events, "deny", "SDF").status == "asserted"


def test_a_relative_clause_with_a_pronoun_subject_is_the_speakers_act():
    text = "said the raid killed Abu Salem, an al-Qaeda commander, whom it blamed for a bombing."
    assert one(read("The Syrian army " + text), "condemn", "SYR").target == "AQ"
    # no speaker named: nobody is read as blaming, least of all the one blamed
    assert [e for e in read("The army " + text) if e.type == "condemn"] == []


def test_a_speech_verb_after_a_complement_clause_is_the_speakers():
    events = read(
        "French President Emmanuel Macron said the Kurdish forces were vital against ISIS "
        "and called on Ankara to halt its offensive."
    )
    assert one(events, "demand", "FRA").target == "TUR"


def test_the_backer_of_attacking_factions_is_not_the_attacker_but_does_its_own_strikes():
    events = read("Rebel factions backed by Russian jets attacked Kurdish positions near Afrin.")
    assert [e for e in events if e.type == "attack" and e.actor == "RUS"] == []
    backed = read("Iraqi troops, backed by US airstrikes, stormed the village.")
    assert one(backed, "attack", "USA").status == "asserted"


def test_own_operations_that_will_continue_are_a_threat_and_own_sovereignty_is_no_misreading():
    events = read(
        "The Revolutionary Guards warned that the operations would continue. "
        "Jordan's foreign ministry called the raid a violation of Jordanian sovereignty."
    )
    assert one(events, "threaten", "IRGC").status == "asserted"
    assert one(events, "condemn", "JOR").status == "asserted"


def test_air_defence_batteries_sent_north_are_a_deployment():
    events = read("The Israeli military said it had sent air defence batteries to Haifa.")
    assert one(events, "deploy", "ISR").location == "Haifa"


def test_a_new_party_named_with_a_demonym_after_of_is_one_actor_and_the_party_continues_it():
    found = codes_of("The Kurdistan Green Dawn Party of Iranian Kurds said so.")
    assert found == [("Kurdistan Green Dawn Party of Iranian Kurds", False)]
    events = read(
        "The Komala Party of Iranian Kurdistan said its offices were shelled. "
        "The party accused Tehran of collective punishment."
    )
    # the knowledge base knows Komala: the party continues the known actor
    assert one(events, "condemn", "KOMALA").target == "IRN"
    # a name that opens with a demonym is still that state's body
    assert codes_of("Turkish Armed Forces said so.")[0][0] == "TUR"
